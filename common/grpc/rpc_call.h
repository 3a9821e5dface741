#ifndef GZEDU_COMMON_GRPC_RPC_CALL_H_
#define GZEDU_COMMON_GRPC_RPC_CALL_H_

#include <chrono>
#include <string>
#include "absl/strings/string_view.h"

#include <grpcpp/server_context.h>

#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/grpc/authentication.h"
#include "common/logging/log.h"

namespace gzedu {

// One RPC being served, from the adapter's point of view: when it finishes,
// the call is logged (service, method, request id, code, duration, and the
// first violations of a rejected request) and its status converted with
// ToGrpcStatus. The request id is the request's own `request_id` field for
// writes, otherwise the call's id (see request_id.h: the caller's
// "x-request-id" metadata, or one generated for it, sent back either way);
// a write whose caller sent another "x-request-id" logs that too, as
// "x_request_id". While the RpcCall lives, every line its thread logs names
// the call's service and request id (ScopedLogContext). Not thread-safe;
// lives on the handler's stack.
//
// Every handler authorizes its call first (Authorize): the caller is
// authenticated from its bearer token and must have the role `access` needs.
// Writes, and every refusal (unauthenticated, wrong role, out of scope), are
// also written to the audit log: a JSON line {"msg":"audit", principal, role,
// method, districts, request_id, outcome} on stderr, never with the token.
class RpcCall {
 public:
  RpcCall(const grpc::ServerContextBase* context, absl::string_view method, absl::string_view request_id = {});
  // A call handed to another thread (a callback handler's pool): the moved
  // from call gives its thread back its previous log context; the new one
  // names the call on no thread until EnterThread.
  RpcCall(RpcCall&& other) noexcept;
  RpcCall& operator=(RpcCall&&) = delete;
  RpcCall(const RpcCall&) = delete;
  RpcCall& operator=(const RpcCall&) = delete;
  // Makes the calling thread's log lines name this call until LeaveThread
  // (or the call's end); call both on the same thread.
  void EnterThread() { log_context_.emplace(LogContext{service_, request_id_}); }
  void LeaveThread() { log_context_.reset(); }

  // The scope the call may write (see AuthorizeCall), or the refusal to
  // return through Finish.
  absl::StatusOr<AccessScope> Authorize(Access access);
  // Who the call's token names (after Authorize succeeded): its subject, or
  // "local" while authentication is off.
  const std::string& principal() const { return principal_; }
  // The districts the request names, for the audit log.
  void SetDistricts(std::set<std::string> districts) { districts_ = std::move(districts); }

  // The call succeeded but returned nothing new (an idle poll of a change
  // feed): its line is logged at debug rather than info.
  void MarkNothingNew() { nothing_new_ = true; }

  grpc::Status Finish(const absl::Status& status);

 private:
  const grpc::ServerContextBase* context_;
  std::string method_;
  std::string service_;
  std::string request_id_;
  std::string call_request_id_;  // the id the response carries back
  std::optional<ScopedLogContext> log_context_;
  bool nothing_new_ = false;
  std::chrono::steady_clock::time_point start_;
  Access access_ = Access::kRead;
  std::string principal_;
  std::string role_;
  std::set<std::string> districts_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_RPC_CALL_H_
