#ifndef GZEDU_COMMON_GRPC_RPC_CALL_H_
#define GZEDU_COMMON_GRPC_RPC_CALL_H_

#include <chrono>
#include <string>
#include "absl/strings/string_view.h"

#include <grpcpp/server_context.h>

#include "absl/status/status.h"

namespace gzedu {

// One RPC being served, from the adapter's point of view: when it finishes,
// the call is logged (method, request id, code, duration, and the first
// violations of a rejected request) and its status converted with
// ToGrpcStatus. The request id is the request's own `request_id` field for
// writes, otherwise the caller's "x-request-id" metadata, if any. Not
// thread-safe; lives on the handler's stack.
class RpcCall {
 public:
  RpcCall(const grpc::ServerContext* context, absl::string_view method, absl::string_view request_id = {});

  grpc::Status Finish(const absl::Status& status);

 private:
  std::string method_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_RPC_CALL_H_
