// gzedu-indicator-evaluation: the evaluation service on its own, reading the
// registry, rotation and ledger services over gRPC. Wiring only.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <CLI/CLI.hpp>

#include "common/config/server_flags.h"
#include "common/grpc/authentication.h"
#include "common/grpc/client_certificates.h"
#include "common/grpc/serve.h"
#include "common/grpc/tls.h"
#include "common/logging/log.h"
#include "common/storage/sql_database.h"
#include "services/indicator_evaluation/evaluation_components.h"

int main(int argc, char** argv) {
  gzedu::PrepareServerSignals();
  gzedu::SetLogService("indicator-evaluation");  // every log line names it

  gzedu::ServerFlags flags;
  flags.listen = "127.0.0.1:50064";
  flags.metrics_listen = "127.0.0.1:9464";
  flags.database = "sqlite:gzedu-indicator-evaluation.db";
  std::string registry = "127.0.0.1:50061";
  std::string rotation = "127.0.0.1:50062";
  std::string ledger = "127.0.0.1:50063";
  int heartbeat_seconds = 15;
  int poll_ms = 2000;
  std::string sources_ca;
  CLI::App app{
      "gzedu-indicator-evaluation: evaluates districts against the 2017 national method (gRPC service\n"
      "gzedu.indicators.v1.IndicatorEvaluationService). Keeps district returns and evaluation snapshots,\n"
      "reads schools, teachers and funds from the other three services, follows their changes and pushes\n"
      "changed indicators to WatchIndicators streams; gRPC health and reflection; Prometheus metrics."};
  app.add_option("--registry", registry, "the school registry's gRPC address HOST:PORT")
      ->envname("GZEDU_REGISTRY")
      ->capture_default_str();
  app.add_option("--rotation", rotation, "the teacher rotation service's gRPC address HOST:PORT")
      ->envname("GZEDU_ROTATION")
      ->capture_default_str();
  app.add_option("--ledger", ledger, "the funding ledger's gRPC address HOST:PORT")
      ->envname("GZEDU_LEDGER")
      ->capture_default_str();
  app.add_option("--tls-ca", sources_ca,
                 "PEM CA bundle the sources' certificates must chain to: call them over TLS (presenting\n"
                 "--tls-cert and --tls-key as the client certificate, for sources that require one)")
      ->envname("GZEDU_TLS_CA");
  app.add_option("--watch-heartbeat-seconds", heartbeat_seconds,
                 "seconds of silence after which a watch stream gets a heartbeat")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--poll-ms", poll_ms,
                 "how often the sources' change feeds are read when no change event arrives, in milliseconds")
      ->check(CLI::Range(50, 600000))
      ->capture_default_str();
  if (std::optional<int> exit = gzedu::ParseServerCommandLine(app, flags, argc, argv)) return *exit;
  absl::StatusOr<gzedu::ServerOptions> transport = gzedu::ServerOptionsFromFlags(flags);
  if (!transport.ok()) return gzedu::BadFlags(transport.status());
  if (absl::Status auth = gzedu::InstallAuthentication(flags); !auth.ok()) return gzedu::BadFlags(auth);

  gzedu::Metrics metrics;
  gzedu::indicators::EvaluationComponents::Options options;
  options.database_url = flags.database;
  options.heartbeat_interval = std::chrono::seconds(heartbeat_seconds);
  options.poll_interval = std::chrono::milliseconds(poll_ms);
  options.redis_url = flags.redis;
  // The server listens (readiness NOT_SERVING) while the database is opened
  // and migrated, e.g. while another replica holds the migration lock.
  options.open_database_later = !flags.migrate_only;
  // The client certificate towards the sources is re-read like a server's
  // (a broken rotation keeps the last good one).
  const gzedu::ClientTls sources_tls{sources_ca, flags.tls_cert, flags.tls_key, flags.tls_refresh_seconds};
  std::unique_ptr<gzedu::ReloadingClientCertificates> sources_certificates;
  if (sources_tls.enabled()) {
    auto started = gzedu::ReloadingClientCertificates::Start(sources_tls, metrics.registry());
    if (!started.ok()) return gzedu::BadFlags(started.status());
    sources_certificates = std::move(*started);
  }
  auto components = gzedu::indicators::EvaluationComponents::Create(options, metrics);
  if (!components.ok()) return gzedu::StartupFailed(components.status());
  if (flags.migrate_only) return gzedu::MigrationsApplied(flags);
  gzedu::indicators::EvaluationComponents& c = **components;

  gzedu::ServerOptions server = *transport;
  server.service_names = {"gzedu.indicators.v1.IndicatorEvaluationService"};
  server.readiness_check = [&c] { return c.repository().CheckHealth(); };
  gzedu::Log(gzedu::LogLevel::kInfo, "storage", {{"database", gzedu::RedactDatabaseUrl(flags.database)}});
  gzedu::ServeHooks hooks;
  hooks.on_started = [&](gzedu::GrpcServerRunner&) {
    const std::shared_ptr<grpc::ChannelCredentials> credentials =
        sources_certificates ? sources_certificates->credentials() : grpc::InsecureChannelCredentials();
    // With --auth-key-file the sources check tokens too: this service signs
    // its own (a whole-city reader) with the same key.
    const gzedu::BearerToken token = gzedu::ServiceToken("indicator-evaluation");
    c.ConnectSources(gzedu::OpenChannel(registry, credentials, token), gzedu::OpenChannel(rotation, credentials, token),
                     gzedu::OpenChannel(ledger, credentials, token));
    gzedu::Log(gzedu::LogLevel::kInfo, "sources",
               {{"registry", registry},
                {"rotation", rotation},
                {"ledger", ledger},
                {"transport", sources_tls.enabled() ? "tls" : "plaintext"}});
    return absl::OkStatus();
  };
  hooks.before_shutdown = [&c] { c.Stop(); };
  hooks.prepare = [&c](const std::function<void()>& waiting) { return c.deferred_database()->OpenAndMigrate(waiting); };
  hooks.cancel_prepare = [&c] { c.deferred_database()->Cancel(); };
  return gzedu::ServeUntilSignalled(server, {c.service()}, metrics, hooks);
}
