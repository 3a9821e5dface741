#ifndef GZEDU_TOOLS_GZEDU_SERVE_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_SERVE_COMMAND_H_

#include <string>

#include "tools/gzedu/targets.h"

namespace gzedu::cli {

struct ServeOptions {
  std::string listen = kDefaultTarget;  // and so where the other commands call by default
  std::string metrics_listen = "127.0.0.1:9460";
  std::string data_dir = ".gzedu-data";
  int rotation_min_years = 6;
  int heartbeat_seconds = 15;
  // Plaintext on a non-loopback --listen: refused unless given.
  bool insecure = false;
  // Bearer tokens (required off loopback), as every server's --auth-key-file.
  std::string auth_key_file;
  // debug, info, warning or error, as every server's --log-level.
  std::string log_level = "info";
};

// `gzedu serve`: the whole suite in one process on one port: the school
// registry, teacher rotation, funding ledger and indicator evaluation
// services, each on its own SQLite file under the data directory, the
// evaluation service reading the others over in-process channels and woken
// by an in-process event bus. Prints "listening grpc=... metrics=..." and
// serves until SIGTERM or SIGINT. Returns the exit status.
int Serve(const ServeOptions& options);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_SERVE_COMMAND_H_
