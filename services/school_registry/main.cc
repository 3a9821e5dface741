// gzedu-school-registry: the school registry service on its own. Wiring
// only: flags, storage, the gRPC service, and the shared run loop.
#include <CLI/CLI.hpp>

#include "absl/strings/match.h"
#include "common/config/server_flags.h"
#include "common/grpc/serve.h"
#include "common/logging/log.h"
#include "common/redis/redis_events.h"
#include "common/storage/sql_database.h"
#include "services/school_registry/domain/observed_school_repository.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/school_registry_grpc_service.h"
#include "services/school_registry/storage/sql_school_repository.h"

int main(int argc, char** argv) {
  gzedu::PrepareServerSignals();
  gzedu::SetLogService("school-registry");  // every log line names it

  gzedu::ServerFlags flags;
  flags.listen = "127.0.0.1:50061";
  flags.metrics_listen = "127.0.0.1:9461";
  flags.database = "sqlite:gzedu-school-registry.db";
  CLI::App app{
      "gzedu-school-registry: the school registry of gzedu (gRPC service "
      "gzedu.registry.v1.SchoolRegistryService).\n"
      "Stores schools and their school-year records in SQLite, publishes every change through ListChanges,\n"
      "serves gRPC health and reflection, and Prometheus metrics at /metrics. Stops cleanly on SIGTERM."};
  if (std::optional<int> exit = gzedu::ParseServerCommandLine(app, flags, argc, argv)) return *exit;
  absl::StatusOr<gzedu::ServerOptions> transport = gzedu::ServerOptionsFromFlags(flags);
  if (!transport.ok()) return gzedu::BadFlags(transport.status());
  if (absl::Status auth = gzedu::InstallAuthentication(flags); !auth.ok()) return gzedu::BadFlags(auth);

  gzedu::Metrics metrics;
  gzedu::StorageMetrics storage_metrics(metrics.registry(), "school_registry");
  if (flags.migrate_only) {
    auto migrated = gzedu::registry::SqlSchoolRepository::Open(flags.database, &storage_metrics);
    if (!migrated.ok()) return gzedu::StartupFailed(migrated.status());
    return gzedu::MigrationsApplied(flags);
  }
  // The server listens (readiness NOT_SERVING) while the database is opened
  // and migrated, e.g. while another replica holds the migration lock.
  gzedu::DeferredSqlDatabase* database = nullptr;
  auto repository = gzedu::registry::SqlSchoolRepository::OpenDeferred(flags.database, &storage_metrics, &database);
  // A SQLite file is this process's alone (locked at open): GetSchool and
  // ListSchools answer from memory, kept exact by every commit. PostgreSQL
  // is shared by replicas, whose writes this process would not see.
  const bool sole_writer = absl::StartsWith(flags.database, "sqlite:");
  gzedu::registry::ObservedSchoolRepository observed(repository.get());
  gzedu::registry::SchoolRegistry registry(sole_writer ? static_cast<gzedu::registry::SchoolRepository*>(&observed)
                                                       : repository.get());
  // With --redis, every committed write is announced on the change stream.
  std::unique_ptr<gzedu::RedisEventPublisher> events;
  if (!flags.redis.empty()) {
    events = std::make_unique<gzedu::RedisEventPublisher>(flags.redis);
    registry.set_event_publisher(events.get());
  }
  gzedu::registry::SchoolRegistryGrpcService service(&registry, sole_writer ? &observed : nullptr);

  gzedu::ServerOptions options = *transport;
  options.service_names = {"gzedu.registry.v1.SchoolRegistryService"};
  options.readiness_check = [store = repository.get()] { return store->CheckHealth(); };
  gzedu::Log(gzedu::LogLevel::kInfo, "storage", {{"database", gzedu::RedactDatabaseUrl(flags.database)}});
  gzedu::ServeHooks hooks;
  hooks.prepare = [database](const std::function<void()>& waiting) { return database->OpenAndMigrate(waiting); };
  hooks.cancel_prepare = [database] { database->Cancel(); };
  return gzedu::ServeUntilSignalled(options, {&service}, metrics, hooks);
}
