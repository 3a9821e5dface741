// gzedu-funding-ledger: the funding ledger on its own. Wiring only: flags,
// storage, the gRPC service, and the shared run loop.
#include <CLI/CLI.hpp>

#include "common/config/server_flags.h"
#include "common/grpc/serve.h"
#include "common/logging/log.h"
#include "common/redis/redis_events.h"
#include "common/storage/sql_database.h"
#include "services/funding_ledger/domain/funding_ledger.h"
#include "services/funding_ledger/grpc/funding_ledger_grpc_service.h"
#include "services/funding_ledger/storage/sql_ledger_repository.h"

int main(int argc, char** argv) {
  gzedu::PrepareServerSignals();
  gzedu::SetLogService("funding-ledger");  // every log line names it

  gzedu::ServerFlags flags;
  flags.listen = "127.0.0.1:50063";
  flags.metrics_listen = "127.0.0.1:9463";
  flags.database = "sqlite:gzedu-funding-ledger.db";
  CLI::App app{
      "gzedu-funding-ledger: the funding ledger of gzedu (gRPC service gzedu.funding.v1.FundingLedgerService).\n"
      "An append-only, hash-chained double-entry journal of transfers in fen, with the funding facts of\n"
      "G6, G7, G8 and Q4; gRPC health and reflection; Prometheus metrics at /metrics. Stops cleanly on SIGTERM."};
  if (std::optional<int> exit = gzedu::ParseServerCommandLine(app, flags, argc, argv)) return *exit;
  absl::StatusOr<gzedu::ServerOptions> transport = gzedu::ServerOptionsFromFlags(flags);
  if (!transport.ok()) return gzedu::BadFlags(transport.status());
  if (absl::Status auth = gzedu::InstallAuthentication(flags); !auth.ok()) return gzedu::BadFlags(auth);

  gzedu::Metrics metrics;
  gzedu::StorageMetrics storage_metrics(metrics.registry(), "funding_ledger");
  if (flags.migrate_only) {
    auto migrated = gzedu::funding::SqlLedgerRepository::Open(flags.database, &storage_metrics);
    if (!migrated.ok()) return gzedu::StartupFailed(migrated.status());
    return gzedu::MigrationsApplied(flags);
  }
  // The server listens (readiness NOT_SERVING) while the database is opened
  // and migrated, e.g. while another replica holds the migration lock.
  gzedu::DeferredSqlDatabase* database = nullptr;
  auto repository = gzedu::funding::SqlLedgerRepository::OpenDeferred(flags.database, &storage_metrics, &database);
  gzedu::funding::FundingLedger ledger(repository.get());
  // With --redis, every committed write is announced on the change stream.
  std::unique_ptr<gzedu::RedisEventPublisher> events;
  if (!flags.redis.empty()) {
    events = std::make_unique<gzedu::RedisEventPublisher>(flags.redis);
    ledger.set_event_publisher(events.get());
  }
  gzedu::funding::FundingLedgerGrpcService service(&ledger);

  gzedu::ServerOptions options = *transport;
  options.service_names = {"gzedu.funding.v1.FundingLedgerService"};
  options.readiness_check = [store = repository.get()] { return store->CheckHealth(); };
  gzedu::Log(gzedu::LogLevel::kInfo, "storage", {{"database", gzedu::RedactDatabaseUrl(flags.database)}});
  gzedu::ServeHooks hooks;
  hooks.prepare = [database](const std::function<void()>& waiting) { return database->OpenAndMigrate(waiting); };
  hooks.cancel_prepare = [database] { database->Cancel(); };
  return gzedu::ServeUntilSignalled(options, {&service}, metrics, hooks);
}
