#ifndef GZEDU_COMMON_GRPC_REQUEST_ID_H_
#define GZEDU_COMMON_GRPC_REQUEST_ID_H_

#include <string>

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include "absl/strings/string_view.h"
#include "common/logging/log.h"

namespace gzedu {

// The metadata key of a call's request id, both ways: a client may send one;
// every response carries the call's id back in its initial metadata (which
// gRPC sends with an error status too).
inline constexpr char kRequestIdMetadataKey[] = "x-request-id";

// The longest request id a client may send; a longer one is replaced.
inline constexpr size_t kMaxRequestIdLength = 128;

// What a server knows of a call for its log lines: the gzedu service it
// belongs to (e.g. "school-registry"; empty for health and reflection, which
// belong to the process) and its request id.
struct CallLabels {
  std::string service;
  std::string request_id;
};

// The labels of the call `context` serves, as RequestIdInterceptorFactory's
// interceptor set them; empty when the call went through no such
// interceptor (e.g. a handler called directly in a test). Thread-safe.
CallLabels LabelsOfCall(const grpc::ServerContextBase* context);
// The same as the LogContext of the lines a handler logs for the call
// (RpcCall sets it; a streaming handler without RpcCall uses this).
LogContext LogContextOfCall(const grpc::ServerContextBase* context);

// Gives every call a request id and sends it back: the client's
// "x-request-id" when it sent one (1 to kMaxRequestIdLength characters),
// else the request's own `request_id` field (a write's idempotency key, so
// the log, the audit record and the response name one id), else a new one
// (NewRequestId). The id is known before the handler runs (LabelsOfCall) and
// is added to the response's initial metadata. Stateless and thread-safe;
// the server builder owns it.
class RequestIdInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;
};

// 128 random bits as 32 lowercase hex digits. Thread-safe.
std::string NewRequestId();

// The service a gRPC method's log lines name: the gzedu service name in
// kebab case ("/gzedu.registry.v1.SchoolRegistryService/GetSchool" is
// "school-registry"); empty for any other package (health, reflection).
std::string LogServiceOfMethod(absl::string_view method);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_REQUEST_ID_H_
