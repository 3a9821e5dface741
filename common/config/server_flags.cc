#include "common/config/server_flags.h"

#include <cstdio>
#include <filesystem>
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

#include "common/build_info/build_info.h"
#include "common/logging/log.h"
#include "common/storage/sql_database.h"

namespace gzedu {

void AddServerFlags(CLI::App& app, ServerFlags& flags) {
  app.add_option("--listen", flags.listen, "gRPC address HOST:PORT (port 0 picks a free port)")
      ->envname("GZEDU_LISTEN")
      ->capture_default_str();
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "HTTP address HOST:PORT serving Prometheus /metrics (port 0 picks a free port)")
      ->envname("GZEDU_METRICS_LISTEN")
      ->capture_default_str();
  app.add_option("--database", flags.database,
                 "storage: sqlite:///absolute/path.db, sqlite:relative/path.db, or "
                 "postgresql://USER:PASSWORD@HOST:PORT/DB (shared by replicas)")
      ->envname("GZEDU_DATABASE")
      ->capture_default_str();
  app.add_option("--redis", flags.redis, "optional Redis, redis://HOST:PORT")->envname("GZEDU_REDIS");
  app.add_option("--tls-cert", flags.tls_cert,
                 "PEM certificate chain: serve TLS (re-read when the file changes, see --tls-refresh-seconds)")
      ->envname("GZEDU_TLS_CERT");
  app.add_option("--tls-key", flags.tls_key, "PEM private key of --tls-cert")->envname("GZEDU_TLS_KEY");
  app.add_option("--tls-client-ca", flags.tls_client_ca,
                 "PEM CA bundle: require client certificates that chain to it (mutual TLS)")
      ->envname("GZEDU_TLS_CLIENT_CA");
  app.add_option("--tls-refresh-seconds", flags.tls_refresh_seconds,
                 "how often the certificate, key and CA files are re-read (rotation without restart)")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();
  app.add_option("--health-listen", flags.health_listen,
                 "plaintext HOST:PORT answering gRPC health only, for probes that cannot speak TLS")
      ->envname("GZEDU_HEALTH_LISTEN");
  app.add_flag("--insecure", flags.insecure,
               "allow plaintext (no TLS) on a non-loopback --listen address (without it the server refuses to\n"
               "start there); tokens are still required there (--auth-key-file)")
      ->envname("GZEDU_INSECURE");
  app.add_option("--auth-key-file", flags.auth_key_file,
                 "the HS256 signing key (at least 32 bytes): every call must carry a bearer token signed with it\n"
                 "(`gzedu token issue`); roles and district scopes are enforced. Required off loopback")
      ->envname("GZEDU_AUTH_KEY_FILE");
  app.add_option("--audit-log", flags.audit_log,
                 "append the audit records (every write and every refusal: principal, method, districts, request\n"
                 "id, outcome) to this file as JSON lines; query it with `gzedu audit FILE`")
      ->envname("GZEDU_AUDIT_LOG");
  app.add_flag("--migrate-only", flags.migrate_only,
               "apply the database's schema migrations and exit (the Helm chart's migration job)")
      ->envname("GZEDU_MIGRATE_ONLY");
  app.add_option("--log-level", flags.log_level, "debug, info, warning or error")
      ->envname("GZEDU_LOG_LEVEL")
      ->capture_default_str();
}

absl::Status ApplyServerFlags(const ServerFlags& flags) {
  LogLevel level;
  if (!ParseLogLevel(flags.log_level, &level)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--log-level: '", flags.log_level, "' is not debug, info, warning or error"));
  }
  SetLogLevel(level);
  if (!flags.redis.empty() && !IsRedisUrl(flags.redis)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--redis: '", flags.redis, "' is not of the form redis://HOST:PORT"));
  }
  return absl::OkStatus();
}

std::optional<int> ParseServerCommandLine(CLI::App& app, ServerFlags& flags, int argc, char** argv) {
  AddServerFlags(app, flags);
  const std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "gzedu";
  app.set_version_flag("--version", VersionLine(program), "print the version and git revision, then exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (absl::Status status = ApplyServerFlags(flags); !status.ok()) {
    std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
    return 2;
  }
  if (!flags.audit_log.empty() && !SetAuditLogFile(flags.audit_log)) {
    std::fprintf(stderr, "--audit-log: cannot open %s for appending\n", flags.audit_log.c_str());
    return 2;
  }
  if (absl::Status status = CheckDatabaseUrl(flags.database); !status.ok()) {
    std::fprintf(stderr, "--database: %s\n", std::string(status.message()).c_str());
    return 2;
  }
  return std::nullopt;
}

int MigrationsApplied(const ServerFlags& flags) {
  Log(LogLevel::kInfo, "migrations applied", {{"database", RedactDatabaseUrl(flags.database)}});
  return 0;
}

bool IsRedisUrl(absl::string_view url) {
  if (!absl::StartsWith(url, "redis://")) return false;
  const absl::string_view host_port = url.substr(8);
  const size_t colon = host_port.rfind(':');
  if (colon == absl::string_view::npos || colon == 0) return false;
  int port = 0;
  return absl::SimpleAtoi(host_port.substr(colon + 1), &port) && port > 0 && port < 65536;
}

}  // namespace gzedu
