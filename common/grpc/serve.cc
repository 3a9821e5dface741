#include "common/grpc/serve.h"

#include <cstdio>

#include "common/logging/log.h"

namespace gzedu {
namespace {

std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return (colon == std::string::npos ? address : address.substr(0, colon)) + ":" + std::to_string(port);
}

}  // namespace

int StartupFailed(const absl::Status& status) {
  Log(LogLevel::kError, "startup failed", {{"error", status.ToString()}});
  return 1;
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
  Log(LogLevel::kInfo, "listening",
      {{"services", options.service_names}, {"grpc", grpc_address}, {"metrics", metrics_address}});
  std::printf("listening grpc=%s metrics=%s\n", grpc_address.c_str(), metrics_address.c_str());
  std::fflush(stdout);

  const int signal_number = WaitForShutdownSignal();
  Log(LogLevel::kInfo, "shutting down", {{"signal", signal_number}});
  if (hooks.before_shutdown) hooks.before_shutdown();
  runner.Shutdown(std::chrono::seconds(5));
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

}  // namespace gzedu
