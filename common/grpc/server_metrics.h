#ifndef GZEDU_COMMON_GRPC_SERVER_METRICS_H_
#define GZEDU_COMMON_GRPC_SERVER_METRICS_H_

#include <array>
#include <string>
#include <unordered_map>
#include <vector>

#include <grpcpp/support/server_interceptor.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace gzedu {

// gRPC server metrics named as go-grpc-prometheus names them:
// grpc_server_started_total, grpc_server_handled_total (by code),
// grpc_server_msg_received_total, grpc_server_msg_sent_total and the
// grpc_server_handling_seconds histogram, each labelled grpc_type,
// grpc_service and grpc_method.
//
// Every series of every method of the named services is created up front
// (so a dashboard sees zeros, not gaps) and updated without locks. A call to
// any other method, which gRPC also passes through interceptors, is counted
// under grpc_service="unknown", grpc_method="unknown": label values stay
// bounded whatever clients send. Thread-safe; must outlive the server.
class GrpcServerMetrics : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  // `service_names` are full protobuf service names whose descriptors are
  // linked into the binary (e.g. "gzedu.registry.v1.SchoolRegistryService").
  GrpcServerMetrics(prometheus::Registry& registry, const std::vector<std::string>& service_names);

  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override;

  // The counters and histogram of one method.
  struct MethodMetrics {
    prometheus::Counter* started = nullptr;
    prometheus::Counter* msg_received = nullptr;
    prometheus::Counter* msg_sent = nullptr;
    prometheus::Histogram* handling_seconds = nullptr;
    std::array<prometheus::Counter*, 17> handled{};  // by grpc::StatusCode
  };

 private:
  MethodMetrics CreateMethod(const std::string& type, const std::string& service, const std::string& method);

  prometheus::Family<prometheus::Counter>& started_;
  prometheus::Family<prometheus::Counter>& handled_;
  prometheus::Family<prometheus::Counter>& msg_received_;
  prometheus::Family<prometheus::Counter>& msg_sent_;
  prometheus::Family<prometheus::Histogram>& handling_seconds_;
  std::unordered_map<std::string, MethodMetrics> methods_;  // by "/package.Service/Method"
  MethodMetrics unknown_;
};

// Sets gzedu_build_info{version="...",revision="..."} to 1: what the serving
// binary was built from (BuildVersion, BuildRevision in
// common/build_info/build_info.h), the usual Prometheus "info" gauge, so a
// dashboard can tell versions apart during a rollout. Calling it again on the
// same registry changes nothing.
void AddBuildInfoGauge(prometheus::Registry& registry);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_SERVER_METRICS_H_
