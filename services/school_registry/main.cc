// gzedu-school-registry: the school registry service on its own. Wiring
// only: flags, storage, the gRPC service, and the run loop.
#include <cstdio>
#include <memory>

#include <CLI/CLI.hpp>

#include "common/config/server_flags.h"
#include "common/grpc/server_runner.h"
#include "common/logging/log.h"
#include "common/metrics/metrics.h"
#include "common/storage/sqlite_database.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/school_registry_grpc_service.h"
#include "services/school_registry/storage/sqlite_school_repository.h"

namespace {

constexpr char kServiceName[] = "gzedu.registry.v1.SchoolRegistryService";

std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return (colon == std::string::npos ? address : address.substr(0, colon)) + ":" + std::to_string(port);
}

int Fail(const absl::Status& status) {
  gzedu::Log(gzedu::LogLevel::kError, "startup failed", {{"error", status.ToString()}});
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  gzedu::BlockShutdownSignals();

  gzedu::ServerFlags flags;
  flags.listen = "127.0.0.1:50061";
  flags.metrics_listen = "127.0.0.1:9461";
  flags.database = "sqlite:gzedu-school-registry.db";
  CLI::App app{
      "gzedu-school-registry: the school registry of gzedu (gRPC service "
      "gzedu.registry.v1.SchoolRegistryService).\n"
      "Stores schools and their school-year records in SQLite, publishes every change through ListChanges,\n"
      "serves gRPC health and reflection, and Prometheus metrics at /metrics. Stops cleanly on SIGTERM."};
  gzedu::AddServerFlags(app, flags);
  CLI11_PARSE(app, argc, argv);
  if (absl::Status status = gzedu::ApplyServerFlags(flags); !status.ok()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    return 2;
  }

  absl::StatusOr<std::string> path = gzedu::SqlitePathFromUrl(flags.database);
  if (!path.ok()) {
    std::fprintf(stderr, "--database: %s\n", std::string(path.status().message()).c_str());
    return 2;
  }
  if (!flags.redis.empty()) {
    gzedu::Log(gzedu::LogLevel::kWarning, "--redis is accepted but not used by the registry yet",
               {{"redis", flags.redis}});
  }

  gzedu::Metrics metrics;
  gzedu::StorageMetrics storage_metrics(metrics.registry(), "school_registry");
  auto repository = gzedu::registry::SqliteSchoolRepository::Open(*path, &storage_metrics);
  if (!repository.ok()) return Fail(repository.status());
  gzedu::registry::SchoolRegistry registry(repository->get());
  gzedu::registry::SchoolRegistryGrpcService service(&registry);

  gzedu::ServerOptions options;
  options.listen = flags.listen;
  options.metrics_listen = flags.metrics_listen;
  options.service_names = {kServiceName};
  gzedu::registry::SqliteSchoolRepository* store = repository->get();
  options.readiness_check = [store] { return store->CheckHealth(); };

  gzedu::GrpcServerRunner runner;
  if (absl::Status status = runner.Start(options, {&service}, metrics); !status.ok()) return Fail(status);

  const std::string grpc_address = WithPort(flags.listen, runner.grpc_port());
  const std::string metrics_address = WithPort(flags.metrics_listen, runner.metrics_port());
  gzedu::Log(gzedu::LogLevel::kInfo, "listening",
             {{"service", kServiceName}, {"grpc", grpc_address}, {"metrics", metrics_address}, {"database", *path}});
  // One line on stdout for scripts and tests that started the server on
  // port 0 and need to know where it is.
  std::printf("listening grpc=%s metrics=%s\n", grpc_address.c_str(), metrics_address.c_str());
  std::fflush(stdout);

  const int signal_number = gzedu::WaitForShutdownSignal();
  gzedu::Log(gzedu::LogLevel::kInfo, "shutting down", {{"signal", signal_number}});
  runner.Shutdown(std::chrono::seconds(5));
  gzedu::Log(gzedu::LogLevel::kInfo, "stopped");
  return 0;
}
