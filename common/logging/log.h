#ifndef GZEDU_COMMON_LOGGING_LOG_H_
#define GZEDU_COMMON_LOGGING_LOG_H_

#include "absl/strings/string_view.h"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gzedu {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// A log line's fields held flat, each value already in its JSON form, so a
// line is written without building a JSON tree (the access log line every
// call writes, see RpcCall). Adding a key again replaces its value. Strings
// are escaped as nlohmann::json dumps them (invalid UTF-8 replaced by
// U+FFFD). Not thread-safe; lives on one thread's stack.
class LogFields {
 public:
  struct Field {
    std::string key;
    std::string json;  // the value, as JSON
  };

  LogFields() { fields_.reserve(8); }
  LogFields& Add(absl::string_view key, absl::string_view value);
  LogFields& Add(absl::string_view key, const char* value) { return Add(key, absl::string_view(value)); }
  LogFields& Add(absl::string_view key, const std::string& value) { return Add(key, absl::string_view(value)); }
  LogFields& Add(absl::string_view key, double value);
  LogFields& Add(absl::string_view key, const nlohmann::json& value);
  const std::vector<Field>& fields() const { return fields_; }

 private:
  LogFields& Put(absl::string_view key, std::string json);

  std::vector<Field> fields_;
};

// Structured logs: one JSON object per line on stderr, with "ts" (UTC,
// milliseconds), "level", "msg", "service" and the given fields, e.g. the
// request id of the RPC being served; keys in byte order. The service is the
// one `fields` names, else the calling thread's LogContext's, else the
// process's (SetLogService); a thread inside a call's LogContext also adds
// its "request_id" unless `fields` has one. Thread-safe: each line is one
// write(2) under a lock, so lines never interleave.
void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields = nlohmann::json::object());
void Log(LogLevel level, absl::string_view message, const LogFields& fields);

// Appends `text` to `out` as a JSON string: as is between quotes when it is
// valid UTF-8 with nothing to escape, otherwise as nlohmann::json dumps it
// (quotes, backslashes and control characters escaped, invalid UTF-8
// replaced by U+FFFD).
void AppendJsonString(std::string& out, absl::string_view text);

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
