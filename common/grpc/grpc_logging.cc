#include "common/grpc/grpc_logging.h"

#include <grpc/support/log.h>

#include <string>

#include "common/logging/log.h"

namespace gzedu {
namespace {

LogLevel LevelOf(gpr_log_severity severity) {
  switch (severity) {
    case GPR_LOG_SEVERITY_DEBUG:
      return LogLevel::kDebug;
    case GPR_LOG_SEVERITY_INFO:
      return LogLevel::kInfo;
    case GPR_LOG_SEVERITY_ERROR:
      return LogLevel::kError;
  }
  return LogLevel::kError;
}

void LogGrpcMessage(gpr_log_func_args* args) {
  const LogLevel level = LevelOf(args->severity);
  if (!LogLevelEnabled(level)) return;
  nlohmann::json fields = {{"source", "grpc"}};
  if (args->file != nullptr) fields["file"] = std::string(args->file);
  fields["line"] = args->line;
  Log(level, args->message == nullptr ? "" : args->message, fields);
}

}  // namespace

void RouteGrpcLogsToJson() { gpr_set_log_function(&LogGrpcMessage); }

}  // namespace gzedu
