#include "common/logging/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

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

std::string Timestamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return buffer;
}

// The service a line names when its fields do not: the thread's, else the
// process's.
std::string CurrentService() {
  if (!t_context.service.empty()) return t_context.service;
  std::lock_guard<std::mutex> lock(g_service_mutex);
  return ProcessService();
}

void WriteLine(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
  nlohmann::json line = {{"ts", Timestamp()}, {"level", LevelName(level)}, {"msg", std::string(message)}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  if (!line.contains("service")) line["service"] = CurrentService();
  if (!line.contains("request_id") && !t_context.request_id.empty()) line["request_id"] = t_context.request_id;
  // Replace invalid UTF-8 rather than throw: a log line must never fail.
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::lock_guard<std::mutex> lock(g_write_mutex);
  std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace

void Log(LogLevel level, absl::string_view message, const nlohmann::json& fields) {
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
  WriteLine(LogLevel::kInfo, "audit", with_service);
  std::lock_guard<std::mutex> lock(g_audit_mutex);
  if (g_audit_file == nullptr) return;
  nlohmann::json line = {{"ts", Timestamp()}};
  for (auto it = with_service.begin(); it != with_service.end(); ++it) line[it.key()] = it.value();
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
