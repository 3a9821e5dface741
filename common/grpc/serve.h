#ifndef GZEDU_COMMON_GRPC_SERVE_H_
#define GZEDU_COMMON_GRPC_SERVE_H_

#include <vector>

#include "common/grpc/server_runner.h"

namespace gzedu {

// The run loop every server binary shares: starts the server, logs where it
// listens and prints one line "listening grpc=HOST:PORT metrics=HOST:PORT"
// on stdout (for scripts and tests that start it on port 0), waits for
// SIGTERM or SIGINT, shuts down gracefully and returns the process exit
// status (0, or 1 when the server could not start). Call
// BlockShutdownSignals() first thing in main().
int ServeUntilSignalled(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics& metrics);

// Logs a failed start-up and returns exit status 1.
int StartupFailed(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_SERVE_H_
