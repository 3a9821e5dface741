#ifndef GZEDU_COMMON_CONFIG_SERVER_FLAGS_H_
#define GZEDU_COMMON_CONFIG_SERVER_FLAGS_H_

#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include <CLI/CLI.hpp>

#include "absl/status/status.h"

namespace gzedu {

// The flags every gzedu server takes (architecture.md section 4), each also
// read from a GZEDU_* environment variable (a flag wins over the variable).
struct ServerFlags {
  std::string listen;              // --listen, GZEDU_LISTEN
  std::string metrics_listen;      // --metrics-listen, GZEDU_METRICS_LISTEN
  std::string database;            // --database, GZEDU_DATABASE
  std::string redis;               // --redis, GZEDU_REDIS (optional)
  std::string log_level = "info";  // --log-level, GZEDU_LOG_LEVEL
  bool migrate_only = false;       // --migrate-only: apply schema migrations, then exit
  // Transport (checked by ServerOptionsFromFlags in common/grpc/serve.h).
  std::string tls_cert;          // --tls-cert, GZEDU_TLS_CERT
  std::string tls_key;           // --tls-key, GZEDU_TLS_KEY
  std::string tls_client_ca;     // --tls-client-ca, GZEDU_TLS_CLIENT_CA: require client certificates
  int tls_refresh_seconds = 10;  // --tls-refresh-seconds: how often the files are re-read
  std::string health_listen;     // --health-listen, GZEDU_HEALTH_LISTEN: plaintext health-only port
  bool insecure = false;         // --insecure: plaintext on a non-loopback address
  std::string auth_key_file;     // --auth-key-file, GZEDU_AUTH_KEY_FILE: check bearer tokens
  std::string audit_log;         // --audit-log, GZEDU_AUDIT_LOG: append audit records (JSON lines) here
};

// Declares the flags on `app`, with `flags`' current values as defaults.
void AddServerFlags(CLI::App& app, ServerFlags& flags);

// Checks the values after parsing (log level, Redis URL shape) and applies
// the log level. InvalidArgument naming
// the flag otherwise.
absl::Status ApplyServerFlags(const ServerFlags& flags);

// The command line of a server binary, done once for all of them: parses
// `argv` into `flags` (and whatever else the caller declared on `app`),
// applies the flags and checks the form of --database. Returns nullopt to go
// on, or the exit status to return from main() (0 after --help and after
// --version, which prints VersionLine; 2 with a message on stderr for a bad
// flag).
std::optional<int> ParseServerCommandLine(CLI::App& app, ServerFlags& flags, int argc, char** argv);

// After --migrate-only: logs that the migrations of --database (password
// hidden) are applied and returns exit status 0.
int MigrationsApplied(const ServerFlags& flags);

// True for redis://HOST:PORT.
bool IsRedisUrl(absl::string_view url);

}  // namespace gzedu

#endif  // GZEDU_COMMON_CONFIG_SERVER_FLAGS_H_
