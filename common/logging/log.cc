#include "common/logging/log.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <utility>
#include <vector>

namespace gzedu {
namespace {

std::atomic<int> g_min_level{static_cast<int>(LogLevel::kInfo)};
std::mutex g_write_mutex;
std::mutex g_service_mutex;
std::string& ProcessService() {
  static std::string* service = new std::string("gzedu");  // never destroyed: threads log until exit
  return *service;
}
thread_local LogContext t_context;

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

// Appends `value` as `width` decimal digits, zero-padded.
void AppendDigits(std::string& out, int value, int width) {
  char digits[8];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits, static_cast<size_t>(width));
}

// Now, UTC, e.g. 2026-11-30T06:12:18.123Z (written digit by digit: this
// runs for every line, and snprintf cost more than the rest of the line).
std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::string text;
  text.reserve(24);
  AppendDigits(text, utc.tm_year + 1900, 4);
  text += '-';
  AppendDigits(text, utc.tm_mon + 1, 2);
  text += '-';
  AppendDigits(text, utc.tm_mday, 2);
  text += 'T';
  AppendDigits(text, utc.tm_hour, 2);
  text += ':';
  AppendDigits(text, utc.tm_min, 2);
  text += ':';
  AppendDigits(text, utc.tm_sec, 2);
  text += '.';
  AppendDigits(text, static_cast<int>(millis), 3);
  text += 'Z';
  return text;
}

// The service a line names when its fields do not: the thread's, else the
// process's.
std::string CurrentService() {
  if (!t_context.service.empty()) return t_context.service;
  std::lock_guard<std::mutex> lock(g_service_mutex);
  return ProcessService();
}

// Whether `text` is well-formed UTF-8 (Unicode table 3-7: no overlong
// forms, no surrogates, nothing above U+10FFFF), as nlohmann's decoder
// judges it.
bool IsWellFormedUtf8(absl::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int trailing = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      trailing = 1;
    } else if (c == 0xE0) {
      trailing = 2;
      low = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      trailing = 2;
    } else if (c == 0xED) {
      trailing = 2;
      high = 0x9F;
    } else if (c == 0xF0) {
      trailing = 3;
      low = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      trailing = 3;
    } else if (c == 0xF4) {
      trailing = 3;
      high = 0x8F;
    } else {
      return false;
    }
    if (end - p <= trailing) return false;
    if (p[1] < low || p[1] > high) return false;
    for (int i = 2; i <= trailing; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF) return false;
    }
    p += trailing + 1;
  }
  return true;
}

std::string DumpJson(const nlohmann::json& value) {
  // Replace invalid UTF-8 rather than throw: a log line must never fail.
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Writes all of `text` to stderr in one write(2) (more only if the kernel
// takes part of it).
void WriteToStderr(absl::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDERR_FILENO, text.data(), text.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return;  // nowhere to tell of it
    }
    text.remove_prefix(static_cast<size_t>(written));
  }
}

void WriteLine(LogLevel level, absl::string_view message, const LogFields& fields) {
  const std::string ts = Timestamp();
  std::string msg;
  AppendJsonString(msg, message);
  std::string level_name;
  AppendJsonString(level_name, LevelName(level));
  // (key, JSON value); the given fields come after the line's own, so they
  // win a key both have, as they did in a JSON object.
  std::vector<std::pair<absl::string_view, absl::string_view>> entries;
  entries.reserve(fields.fields().size() + 5);
  std::string ts_json;
  AppendJsonString(ts_json, ts);
  entries.emplace_back("ts", ts_json);
  entries.emplace_back("level", level_name);
  entries.emplace_back("msg", msg);
  bool has_service = false;
  bool has_request_id = false;
  for (const LogFields::Field& field : fields.fields()) {
    entries.emplace_back(field.key, field.json);
    has_service = has_service || field.key == "service";
    has_request_id = has_request_id || field.key == "request_id";
  }
  std::string service;
  if (!has_service) {
    AppendJsonString(service, CurrentService());
    entries.emplace_back("service", service);
  }
  std::string request_id;
  if (!has_request_id && !t_context.request_id.empty()) {
    AppendJsonString(request_id, t_context.request_id);
    entries.emplace_back("request_id", request_id);
  }
  // Keys in byte order, the last value of a repeated key, as a
  // nlohmann::json object dumps them. An insertion sort: stable, and a line
  // has a handful of fields.
  for (size_t i = 1; i < entries.size(); ++i) {
    for (size_t j = i; j > 0 && entries[j].first < entries[j - 1].first; --j) std::swap(entries[j], entries[j - 1]);
  }
  std::string text;
  text.reserve(256);
  text += '{';
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i + 1 < entries.size() && entries[i + 1].first == entries[i].first) continue;
    if (text.size() > 1) text += ',';
    AppendJsonString(text, entries[i].first);
    text += ':';
    text.append(entries[i].second.data(), entries[i].second.size());
  }
  text += "}\n";
  std::lock_guard<std::mutex> lock(g_write_mutex);
  WriteToStderr(text);
}

LogFields FieldsOf(const nlohmann::json& fields) {
  LogFields flat;
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) flat.Add(it.key(), it.value());
  }
  return flat;
}

}  // namespace

void AppendJsonString(std::string& out, absl::string_view text) {
  bool plain = true;
  bool ascii = true;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || c == '"' || c == '\\') {
      plain = false;
      break;
    }
    if (byte >= 0x80) ascii = false;
  }
  if (plain && (ascii || IsWellFormedUtf8(text))) {
    out += '"';
    out.append(text.data(), text.size());
    out += '"';
    return;
  }
  out += DumpJson(nlohmann::json(std::string(text)));
}

LogFields& LogFields::Put(absl::string_view key, std::string json) {
  for (Field& field : fields_) {
    if (field.key == key) {
      field.json = std::move(json);
      return *this;
    }
  }
  fields_.push_back(Field{std::string(key), std::move(json)});
  return *this;
}

LogFields& LogFields::Add(absl::string_view key, absl::string_view value) {
  std::string json;
  json.reserve(value.size() + 2);
  AppendJsonString(json, value);
  return Put(key, std::move(json));
}

LogFields& LogFields::Add(absl::string_view key, double value) { return Put(key, DumpJson(nlohmann::json(value))); }

LogFields& LogFields::Add(absl::string_view key, const nlohmann::json& value) {
  if (value.is_string()) return Add(key, value.get_ref<const std::string&>());
  return Put(key, DumpJson(value));
}

void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  if (!LogLevelEnabled(level)) return;
  WriteLine(level, message, FieldsOf(fields));
}

void Log(LogLevel level, absl::string_view message, const LogFields& fields) {
  if (!LogLevelEnabled(level)) return;
  WriteLine(level, message, fields);
}

bool LogLevelEnabled(LogLevel level) { return static_cast<int>(level) >= g_min_level.load(std::memory_order_relaxed); }

void SetLogService(absl::string_view service) {
  std::lock_guard<std::mutex> lock(g_service_mutex);
  ProcessService() = std::string(service);
}

ScopedLogContext::ScopedLogContext(LogContext context) : previous_(std::move(t_context)) {
  t_context = std::move(context);
}

ScopedLogContext::~ScopedLogContext() { t_context = std::move(previous_); }

LogContext CurrentLogContext() { return t_context; }

namespace {
std::mutex g_audit_mutex;
std::FILE* g_audit_file = nullptr;
}  // namespace

void Audit(const nlohmann::json& record) {
  nlohmann::json with_service = record.is_object() ? record : nlohmann::json::object();
  if (!with_service.contains("service")) with_service["service"] = CurrentService();
  // Whatever --log-level says: an operator who turns the noise down keeps
  // the record of who wrote what.
  WriteLine(LogLevel::kInfo, "audit", FieldsOf(with_service));
  std::lock_guard<std::mutex> lock(g_audit_mutex);
  if (g_audit_file == nullptr) return;
  nlohmann::json line = {{"ts", Timestamp()}};
  for (auto it = with_service.begin(); it != with_service.end(); ++it) line[it.key()] = it.value();
  const std::string text = DumpJson(line);
  std::fprintf(g_audit_file, "%s\n", text.c_str());
  std::fflush(g_audit_file);
}

bool SetAuditLogFile(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) return false;
  std::lock_guard<std::mutex> lock(g_audit_mutex);
  if (g_audit_file != nullptr) std::fclose(g_audit_file);
  g_audit_file = file;
  return true;
}

void SetLogLevel(LogLevel level) { g_min_level.store(static_cast<int>(level), std::memory_order_relaxed); }

bool ParseLogLevel(absl::string_view text, LogLevel* level) {
  for (LogLevel candidate : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarning, LogLevel::kError}) {
    if (text == LevelName(candidate)) {
      *level = candidate;
      return true;
    }
  }
  return false;
}

}  // namespace gzedu
