#include "tools/gzedu/serve_command.h"

#include <filesystem>
#include <system_error>

#include <grpcpp/server.h>

#include "common/domain/date.h"
#include "common/domain/events.h"
#include "common/grpc/authentication.h"
#include "common/grpc/serve.h"
#include "common/grpc/tls.h"
#include "common/logging/log.h"
#include "services/funding_ledger/domain/funding_ledger.h"
#include "services/funding_ledger/grpc/funding_ledger_grpc_service.h"
#include "services/funding_ledger/storage/sql_ledger_repository.h"
#include "services/indicator_evaluation/evaluation_components.h"
#include "services/school_registry/domain/observed_school_repository.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/school_registry_grpc_service.h"
#include "services/school_registry/storage/sql_school_repository.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"
#include "services/teacher_rotation/grpc/teacher_rotation_grpc_service.h"
#include "services/teacher_rotation/storage/sql_rotation_repository.h"

namespace gzedu::cli {

int Serve(const ServeOptions& options) {
  PrepareServerSignals();
  // The process's own lines; a call's lines name its service (RpcCall).
  SetLogService("serve");
  LogLevel level = LogLevel::kInfo;
  if (!ParseLogLevel(options.log_level, &level)) {
    return BadFlags(
        absl::InvalidArgumentError("--log-level: '" + options.log_level + "' is not debug, info, warning or error"));
  }
  SetLogLevel(level);
  // The embedded default is plaintext: meant for loopback.
  if (absl::Status status = CheckServerTransport(options.listen, ServerTls{}, options.insecure); !status.ok()) {
    return BadFlags(status);
  }
  if (absl::Status status = InstallAuthentication(options.listen, options.auth_key_file); !status.ok()) {
    return BadFlags(status);
  }
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) {
    return StartupFailed(absl::FailedPreconditionError(
        "cannot create the data directory " + options.data_dir + " (--data-dir): " + error.message() +
        "; give a directory this user may create, or create it and check its permissions"));
  }
  const std::string dir = std::filesystem::absolute(options.data_dir).string();

  Metrics metrics;
  InProcessEventBus bus;

  StorageMetrics registry_storage(metrics.registry(), "school_registry");
  auto registry_repository =
      registry::SqlSchoolRepository::Open("sqlite:" + dir + "/school-registry.db", &registry_storage);
  if (!registry_repository.ok()) return StartupFailed(registry_repository.status());
  // The SQLite file is this process's alone (locked at open): GetSchool and
  // ListSchools answer from memory, kept exact by every commit.
  registry::ObservedSchoolRepository observed_registry(registry_repository->get());
  registry::SchoolRegistry registry_domain(&observed_registry);
  registry_domain.set_event_publisher(&bus);
  registry::SchoolRegistryGrpcService registry_service(&registry_domain, &observed_registry);

  StorageMetrics rotation_storage(metrics.registry(), "teacher_rotation");
  auto rotation_repository =
      rotation::SqlRotationRepository::Open("sqlite:" + dir + "/teacher-rotation.db", &rotation_storage);
  if (!rotation_repository.ok()) return StartupFailed(rotation_repository.status());
  SystemClock clock;
  rotation::TeacherRotation rotation_domain(rotation_repository->get(), &clock, options.rotation_min_years);
  rotation_domain.set_event_publisher(&bus);
  rotation::TeacherRotationGrpcService rotation_service(&rotation_domain);

  StorageMetrics ledger_storage(metrics.registry(), "funding_ledger");
  auto ledger_repository = funding::SqlLedgerRepository::Open("sqlite:" + dir + "/funding-ledger.db", &ledger_storage);
  if (!ledger_repository.ok()) return StartupFailed(ledger_repository.status());
  funding::FundingLedger ledger_domain(ledger_repository->get());
  ledger_domain.set_event_publisher(&bus);
  funding::FundingLedgerGrpcService ledger_service(&ledger_domain);

  indicators::EvaluationComponents::Options evaluation_options;
  evaluation_options.database_url = "sqlite:" + dir + "/indicator-evaluation.db";
  evaluation_options.heartbeat_interval = std::chrono::seconds(options.heartbeat_seconds);
  auto evaluation = indicators::EvaluationComponents::Create(evaluation_options, metrics);
  if (!evaluation.ok()) return StartupFailed(evaluation.status());
  indicators::EvaluationComponents& components = **evaluation;
  components.set_event_publisher(&bus);
  bus.Subscribe([&components](const ChangeEvent& event) { components.OnChangeEvent(event); });
  // The bus delivers in the writing thread before the write is acknowledged:
  // the evaluation service knows every source's version without asking.
  components.set_events_synchronous(true);

  ServerOptions server;
  server.listen = options.listen;
  server.metrics_listen = options.metrics_listen;
  server.service_names = {"gzedu.registry.v1.SchoolRegistryService", "gzedu.rotation.v1.TeacherRotationService",
                          "gzedu.funding.v1.FundingLedgerService", "gzedu.indicators.v1.IndicatorEvaluationService"};
  server.readiness_check = [&]() -> absl::Status {
    for (absl::Status status : {(*registry_repository)->CheckHealth(), (*rotation_repository)->CheckHealth(),
                                (*ledger_repository)->CheckHealth(), components.repository().CheckHealth()}) {
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  };
  Log(LogLevel::kInfo, "storage", {{"data_dir", dir}});
  ServeHooks hooks;
  hooks.on_started = [&components](GrpcServerRunner& runner) {
    // The evaluation service reads the other three in this process, with a
    // token of its own when --auth-key-file is given (as the separate binary
    // does over the network); none is sent without it.
    const BearerToken token = ServiceToken("indicator-evaluation");
    components.ConnectSources(OpenInProcessChannel(*runner.server(), token),
                              OpenInProcessChannel(*runner.server(), token),
                              OpenInProcessChannel(*runner.server(), token));
    return absl::OkStatus();
  };
  hooks.before_shutdown = [&components] { components.Stop(); };
  return ServeUntilSignalled(server, {&registry_service, &rotation_service, &ledger_service, components.service()},
                             metrics, hooks);
}

}  // namespace gzedu::cli
