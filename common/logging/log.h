#ifndef GZEDU_COMMON_LOGGING_LOG_H_
#define GZEDU_COMMON_LOGGING_LOG_H_

#include "absl/strings/string_view.h"

#include <string>

#include <nlohmann/json.hpp>

namespace gzedu {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// Structured logs: one JSON object per line on stderr, with "ts" (UTC,
// milliseconds), "level", "msg" and the given fields, e.g. the request id of
// the RPC being served. Thread-safe: lines never interleave.
void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields = nlohmann::json::object());

// Lines below `level` are dropped. The default is kInfo.
void SetLogLevel(LogLevel level);

// The audit log: every write and every refused call (see RpcCall). Each
// record is logged (msg "audit") and, once SetAuditLogFile has opened a
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
