#include "common/grpc/serve.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/grpc/authentication.h"
#include "common/grpc/server_certificates.h"
#include "common/grpc/tls.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "common/status/status_text.h"

namespace gzedu {
namespace {

std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return (colon == std::string::npos ? address : address.substr(0, colon)) + ":" + std::to_string(port);
}

}  // namespace

int StartupFailed(const absl::Status& status) {
  Log(LogLevel::kError, "startup failed", {{"error", StatusText(status)}});
  return 1;
}

absl::StatusOr<ServerOptions> ServerOptionsFromFlags(const ServerFlags& flags) {
  ServerOptions options;
  options.listen = flags.listen;
  options.metrics_listen = flags.metrics_listen;
  options.tls.cert_path = flags.tls_cert;
  options.tls.key_path = flags.tls_key;
  options.tls.client_ca_path = flags.tls_client_ca;
  options.tls.refresh_seconds = flags.tls_refresh_seconds;
  options.health_listen = flags.health_listen;
  if (absl::Status status = CheckServerTransport(flags.listen, options.tls, flags.insecure); !status.ok()) {
    return status;
  }
  // Checked before anything opens: a certificate with the wrong key would
  // otherwise announce "listening transport=tls" and fail every handshake.
  if (options.tls.enabled()) {
    if (absl::Status status = LoadServerCertificates(options.tls).status(); !status.ok()) return status;
  }
  return options;
}

absl::Status InstallAuthentication(const ServerFlags& flags) {
  return InstallAuthentication(flags.listen, flags.auth_key_file);
}

absl::Status InstallAuthentication(const std::string& listen, const std::string& auth_key_file) {
  if (auth_key_file.empty()) {
    // Not even --insecure turns this off: without tokens every caller could
    // write every district.
    if (!IsLoopbackAddress(listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen: ", listen,
          " is not a loopback address; give --auth-key-file (authentication can be off on loopback only)"));
    }
    SetServerAuthenticator(nullptr);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ServerAuthenticator> authenticator, ServerAuthenticator::FromKeyFile(auth_key_file));
  SetServerAuthenticator(std::move(authenticator));
  return absl::OkStatus();
}

int BadFlags(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
  return 2;
}

int ServeUntilSignalled(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics& metrics,
                        const ServeHooks& hooks) {
  GrpcServerRunner runner;
  if (absl::Status status = runner.Start(options, services, metrics); !status.ok()) return StartupFailed(status);
  if (hooks.on_started) {
    if (absl::Status status = hooks.on_started(runner); !status.ok()) {
      runner.Shutdown(std::chrono::seconds(0));
      return StartupFailed(status);
    }
  }
  const std::string grpc_address = WithPort(options.listen, runner.grpc_port());
  const std::string metrics_address = WithPort(options.metrics_listen, runner.metrics_port());
  const char* transport = !options.tls.enabled()               ? "plaintext"
                          : options.tls.client_ca_path.empty() ? "tls"
                                                               : "mutual-tls";
  std::string health_word;
  if (!options.health_listen.empty()) {
    health_word = " health=" + WithPort(options.health_listen, runner.health_port());
  }
  Log(LogLevel::kInfo, "listening",
      {{"services", options.service_names},
       {"grpc", grpc_address},
       {"metrics", metrics_address},
       {"transport", transport},
       {"health", health_word.empty() ? std::string() : health_word.substr(8)}});
  std::printf("listening grpc=%s metrics=%s%s\n", grpc_address.c_str(), metrics_address.c_str(), health_word.c_str());
  std::fflush(stdout);

  const int signal_number = WaitForShutdownSignal();
  Log(LogLevel::kInfo, "shutting down", {{"signal", signal_number}});
  ShutDownWithinGrace(runner, hooks, kShutdownGrace);
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

void ShutDownWithinGrace(GrpcServerRunner& runner, const ServeHooks& hooks, std::chrono::milliseconds grace) {
  const auto start = std::chrono::steady_clock::now();
  // Whatever hangs below (a handler stuck in a call without a deadline, a
  // destructor waiting on a dependency), the process is gone within its
  // grace: Kubernetes would SIGKILL it anyway, without the log line.
  std::thread([grace] {
    std::this_thread::sleep_for(grace - std::chrono::milliseconds(300));
    Log(LogLevel::kError, "shutdown grace exceeded; exiting now", {{"grace_ms", grace.count()}});
    std::_Exit(1);
  }).detach();
  // Health NOT_SERVING (and health watches ended) before anything that may
  // take time.
  runner.BeginShutdown();
  // Ends the service's own streams and background work, cancelling its
  // outbound calls.
  if (hooks.before_shutdown) hooks.before_shutdown();
  // Calls in flight get what is left of the grace, less two seconds for
  // the exit (destructors take most of a second); those still running then
  // are cancelled. gRPC also waits that long for a client that keeps an idle
  // connection open (as long-lived clients do).
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(grace - std::chrono::milliseconds(2000) -
                                                                          (std::chrono::steady_clock::now() - start));
  runner.Shutdown(std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace gzedu
