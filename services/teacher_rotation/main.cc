// gzedu-teacher-rotation: the teacher rotation service on its own. Wiring
// only: flags, storage, clock, the gRPC service, and the shared run loop.
#include <CLI/CLI.hpp>

#include "common/config/server_flags.h"
#include "common/domain/date.h"
#include "common/grpc/serve.h"
#include "common/logging/log.h"
#include "common/redis/redis_events.h"
#include "common/storage/sql_database.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"
#include "services/teacher_rotation/grpc/teacher_rotation_grpc_service.h"
#include "services/teacher_rotation/storage/sql_rotation_repository.h"

int main(int argc, char** argv) {
  gzedu::PrepareServerSignals();
  gzedu::SetLogService("teacher-rotation");  // every log line names it

  gzedu::ServerFlags flags;
  flags.listen = "127.0.0.1:50062";
  flags.metrics_listen = "127.0.0.1:9462";
  flags.database = "sqlite:gzedu-teacher-rotation.db";
  int min_years = gzedu::rotation::kDefaultMinYearsAtSchool;
  CLI::App app{
      "gzedu-teacher-rotation: the teacher roster and rotations of gzedu (gRPC service "
      "gzedu.rotation.v1.TeacherRotationService).\n"
      "Counts teachers per school section (R1-R3, G9, G12) and rotation figures per district (G11),\n"
      "serves gRPC health and reflection, and Prometheus metrics at /metrics. Stops cleanly on SIGTERM."};
  app.add_option("--rotation-min-years", min_years,
                 "years at the current school on 1 September that make a teacher eligible for rotation")
      ->envname("GZEDU_ROTATION_MIN_YEARS")
      ->check(CLI::Range(0, 60))
      ->capture_default_str();
  if (std::optional<int> exit = gzedu::ParseServerCommandLine(app, flags, argc, argv)) return *exit;
  absl::StatusOr<gzedu::ServerOptions> transport = gzedu::ServerOptionsFromFlags(flags);
  if (!transport.ok()) return gzedu::BadFlags(transport.status());
  if (absl::Status auth = gzedu::InstallAuthentication(flags); !auth.ok()) return gzedu::BadFlags(auth);

  gzedu::Metrics metrics;
  gzedu::StorageMetrics storage_metrics(metrics.registry(), "teacher_rotation");
  if (flags.migrate_only) {
    auto migrated = gzedu::rotation::SqlRotationRepository::Open(flags.database, &storage_metrics);
    if (!migrated.ok()) return gzedu::StartupFailed(migrated.status());
    return gzedu::MigrationsApplied(flags);
  }
  // The server listens (readiness NOT_SERVING) while the database is opened
  // and migrated, e.g. while another replica holds the migration lock.
  gzedu::DeferredSqlDatabase* database = nullptr;
  auto repository = gzedu::rotation::SqlRotationRepository::OpenDeferred(flags.database, &storage_metrics, &database);
  gzedu::SystemClock clock;
  gzedu::rotation::TeacherRotation rotation(repository.get(), &clock, min_years);
  // With --redis, every committed write is announced on the change stream.
  std::unique_ptr<gzedu::RedisEventPublisher> events;
  if (!flags.redis.empty()) {
    events = std::make_unique<gzedu::RedisEventPublisher>(flags.redis);
    rotation.set_event_publisher(events.get());
  }
  gzedu::rotation::TeacherRotationGrpcService service(&rotation);

  gzedu::ServerOptions options = *transport;
  options.service_names = {"gzedu.rotation.v1.TeacherRotationService"};
  options.readiness_check = [store = repository.get()] { return store->CheckHealth(); };
  gzedu::Log(gzedu::LogLevel::kInfo, "storage",
             {{"database", gzedu::RedactDatabaseUrl(flags.database)}, {"rotation_min_years", min_years}});
  gzedu::ServeHooks hooks;
  hooks.prepare = [database](const std::function<void()>& waiting) { return database->OpenAndMigrate(waiting); };
  hooks.cancel_prepare = [database] { database->Cancel(); };
  return gzedu::ServeUntilSignalled(options, {&service}, metrics, hooks);
}
