#ifndef GZEDU_COMMON_LOGGING_LOG_H_
#define GZEDU_COMMON_LOGGING_LOG_H_

#include "absl/strings/string_view.h"

#include <string>

#include <nlohmann/json.hpp>

namespace gzedu {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Structured logs: one JSON object per line on stderr, with "ts" (UTC,
// milliseconds), "level", "msg", "service" and the given fields, e.g. the
// request id of the RPC being served. The service is the one `fields` names,
// else the calling thread's LogContext's, else the process's
// (SetLogService); a thread inside a call's LogContext also adds its
// "request_id" unless `fields` has one. Thread-safe: lines never interleave.
void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields = nlohmann::json::object());

// Lines below `level` are dropped (audit records never are). The default is
// kInfo.
void SetLogLevel(LogLevel level);
// True when a line at `level` would be written.
bool LogLevelEnabled(LogLevel level);

// The service the process's own lines name, e.g. "school-registry", or
// "serve" in `gzedu serve`, which hosts several. Default "gzedu".
// Thread-safe.
void SetLogService(absl::string_view service);

// Whom the lines logged by one thread belong to: a service (empty: the
// process's) and the request id of the call being served (empty: none).
struct LogContext {
  std::string service;
  std::string request_id;
};

// Makes `context` the calling thread's LogContext until destroyed, then
// restores the previous one. Lives on one thread's stack.
class ScopedLogContext {
 public:
  explicit ScopedLogContext(LogContext context);
  ~ScopedLogContext();
  ScopedLogContext(const ScopedLogContext&) = delete;
  ScopedLogContext& operator=(const ScopedLogContext&) = delete;

 private:
  LogContext previous_;
};

// The calling thread's LogContext, e.g. to hand to a thread it starts.
LogContext CurrentLogContext();

// The audit log: every write and every refused call (see RpcCall). Each
// record is logged (msg "audit", whatever the log level) and, once SetAuditLogFile has opened a
// file, also appended to it as one JSON line (with "ts"), flushed at once, so
// `gzedu audit FILE` can query it. Never give it tokens or personal data.
// Thread-safe.
void Audit(const nlohmann::json& record);
// Opens (creating, appending) the audit file. False when it cannot be opened.
bool SetAuditLogFile(const std::string& path);

// Parses "debug", "info", "warning" or "error"; false for anything else.
bool ParseLogLevel(absl::string_view text, LogLevel* level);

}  // namespace gzedu

#endif  // GZEDU_COMMON_LOGGING_LOG_H_
