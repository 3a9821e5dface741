#include "common/grpc/server_metrics.h"

#include <chrono>

#include <google/protobuf/descriptor.h>

#include <prometheus/gauge.h>

#include "common/build_info/build_info.h"
#include "common/metrics/metrics.h"

namespace gzedu {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr const char* kCodeNames[17] = {
    "OK",       "Canceled",       "Unknown",          "InvalidArgument",   "DeadlineExceeded",
    "NotFound", "AlreadyExists",  "PermissionDenied", "ResourceExhausted", "FailedPrecondition",
    "Aborted",  "OutOfRange",     "Unimplemented",    "Internal",          "Unavailable",
    "DataLoss", "Unauthenticated"};

class MetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit MetricsInterceptor(const GrpcServerMetrics::MethodMetrics& metrics)
      : metrics_(metrics), start_(std::chrono::steady_clock::now()) {
    metrics_.started->Increment();
  }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      metrics_.msg_received->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      metrics_.msg_sent->Increment();
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const int code = static_cast<int>(methods->GetSendStatus().error_code());
      metrics_.handled[code >= 0 && code < 17 ? code : 2]->Increment();
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
      metrics_.handling_seconds->Observe(elapsed.count());
    }
    methods->Proceed();
  }

 private:
  const GrpcServerMetrics::MethodMetrics& metrics_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

GrpcServerMetrics::GrpcServerMetrics(prometheus::Registry& registry, const std::vector<std::string>& service_names)
    : started_(prometheus::BuildCounter()
                   .Name("grpc_server_started_total")
                   .Help("Total number of RPCs started on the server.")
                   .Register(registry)),
      handled_(prometheus::BuildCounter()
                   .Name("grpc_server_handled_total")
                   .Help("Total number of RPCs completed on the server, regardless of success or failure.")
                   .Register(registry)),
      msg_received_(prometheus::BuildCounter()
                        .Name("grpc_server_msg_received_total")
                        .Help("Total number of RPC stream messages received on the server.")
                        .Register(registry)),
      msg_sent_(prometheus::BuildCounter()
                    .Name("grpc_server_msg_sent_total")
                    .Help("Total number of gRPC stream messages sent by the server.")
                    .Register(registry)),
      handling_seconds_(prometheus::BuildHistogram()
                            .Name("grpc_server_handling_seconds")
                            .Help("Histogram of response latency (seconds) of gRPC that had been application-level "
                                  "handled by the server.")
                            .Register(registry)) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& service_name : service_names) {
    const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(service_name);
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      const char* type = method->client_streaming() ? (method->server_streaming() ? "bidi_stream" : "client_stream")
                                                    : (method->server_streaming() ? "server_stream" : "unary");
      methods_.emplace("/" + service_name + "/" + method->name(), CreateMethod(type, service_name, method->name()));
    }
  }
  unknown_ = CreateMethod("unknown", "unknown", "unknown");
}

GrpcServerMetrics::MethodMetrics GrpcServerMetrics::CreateMethod(const std::string& type, const std::string& service,
                                                                 const std::string& method) {
  const std::map<std::string, std::string> labels = {
      {"grpc_type", type}, {"grpc_service", service}, {"grpc_method", method}};
  MethodMetrics m;
  m.started = &started_.Add(labels);
  m.msg_received = &msg_received_.Add(labels);
  m.msg_sent = &msg_sent_.Add(labels);
  m.handling_seconds = &handling_seconds_.Add(labels, LatencyBuckets());
  for (int code = 0; code < 17; ++code) {
    std::map<std::string, std::string> with_code = labels;
    with_code["grpc_code"] = kCodeNames[code];
    m.handled[code] = &handled_.Add(with_code);
  }
  return m;
}

void AddBuildInfoGauge(prometheus::Registry& registry) {
  prometheus::BuildGauge()
      .Name("gzedu_build_info")
      .Help("What this binary was built from: the project version and git revision (always 1).")
      .Register(registry)
      .Add({{"version", std::string(BuildVersion())}, {"revision", std::string(BuildRevision())}})
      .Set(1);
}

grpc::experimental::Interceptor* GrpcServerMetrics::CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) {
  auto it = methods_.find(info->method());
  return new MetricsInterceptor(it == methods_.end() ? unknown_ : it->second);
}

}  // namespace gzedu
