#include "common/grpc/rpc_call.h"

#include "absl/status/status.h"
#include "common/grpc/request_id.h"
#include "common/grpc/status_conversion.h"
#include "common/logging/log.h"
#include "common/status/server_state.h"

namespace gzedu {

RpcCall::RpcCall(const grpc::ServerContextBase* context, absl::string_view method, absl::string_view request_id)
    : context_(context), method_(method), request_id_(request_id), start_(std::chrono::steady_clock::now()) {
  const CallLabels labels = LabelsOfCall(context);
  service_ = labels.service;
  call_request_id_ = labels.request_id;
  if (call_request_id_.empty() && context != nullptr) {  // served without the interceptor
    auto it = context->client_metadata().find(kRequestIdMetadataKey);
    if (it != context->client_metadata().end()) call_request_id_.assign(it->second.data(), it->second.size());
  }
  if (request_id_.empty()) request_id_ = call_request_id_;
  log_context_.emplace(LogContext{service_, request_id_});
}

RpcCall::RpcCall(RpcCall&& other) noexcept
    : context_(other.context_),
      method_(std::move(other.method_)),
      service_(std::move(other.service_)),
      request_id_(std::move(other.request_id_)),
      call_request_id_(std::move(other.call_request_id_)),
      nothing_new_(other.nothing_new_),
      start_(other.start_),
      access_(other.access_),
      principal_(std::move(other.principal_)),
      role_(std::move(other.role_)),
      districts_(std::move(other.districts_)) {
  other.log_context_.reset();
}

absl::StatusOr<AccessScope> RpcCall::Authorize(Access access) {
  access_ = access;
  if (context_ == nullptr) {  // no caller to check: allowed only while authentication is off
    if (ServerAuthenticationEnabled()) return absl::UnauthenticatedError("no call context to authenticate");
    return AccessScope::WholeCity();
  }
  Principal authenticated;
  absl::StatusOr<Caller> caller = AuthorizeCall(*context_, access, &authenticated);
  if (!caller.ok()) {
    // A verified caller refused for its role is audited by name.
    principal_ = authenticated.subject;
    if (!authenticated.subject.empty()) role_ = RoleName(authenticated.role);
    return caller.status();
  }
  principal_ = caller->principal.subject;
  role_ = RoleName(caller->principal.role);
  return caller->scope;
}

grpc::Status RpcCall::Finish(const absl::Status& status) {
  const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - start_;
  // Flat, written as it is built: this line is written for every call.
  LogFields fields;
  fields.Add("method", method_)
      .Add("code", absl::StatusCodeToString(status.code()))
      .Add("duration_ms", elapsed.count());
  if (!request_id_.empty()) fields.Add("request_id", request_id_);
  if (!call_request_id_.empty() && call_request_id_ != request_id_) fields.Add("x_request_id", call_request_id_);
  if (!principal_.empty()) fields.Add("principal", principal_);
  LogLevel level = nothing_new_ && status.ok() ? LogLevel::kDebug : LogLevel::kInfo;
  if (!status.ok()) {
    fields.Add("error", status.message());
    const absl::StatusCode code = status.code();
    // A refusal for the server's state (starting, shutting down) is a
    // warning: readiness and the server's own lines report that state.
    const bool server_fault = (code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnavailable ||
                               code == absl::StatusCode::kDataLoss || code == absl::StatusCode::kUnknown) &&
                              !IsServerStateRefusal(status);
    level = server_fault ? LogLevel::kError : LogLevel::kWarning;
  }
  Log(level, "rpc", fields);
  const absl::StatusCode code = status.code();
  const bool refused = code == absl::StatusCode::kUnauthenticated || code == absl::StatusCode::kPermissionDenied;
  if (access_ == Access::kWrite || refused) {
    nlohmann::json audit = {{"method", method_},
                            {"principal", principal_.empty() ? std::string("(unauthenticated)") : principal_},
                            {"role", role_},
                            {"districts", districts_},
                            {"request_id", request_id_},
                            {"outcome", refused       ? "denied"
                                        : status.ok() ? "ok"
                                                      : "failed"},
                            {"code", absl::StatusCodeToString(code)}};
    if (refused) audit["reason"] = std::string(status.message());
    Audit(audit);
  }
  return ToGrpcStatus(status);
}

}  // namespace gzedu
