#include "common/grpc/server_runner.h"

#include <csignal>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/grpc_logging.h"
#include "common/grpc/request_id.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "grpc/health/v1/health.pb.h"

namespace gzedu {
namespace {

// The builder takes ownership of interceptor factories; the metrics object
// must stay with the runner (it holds the references to the series), so the
// builder gets this forwarder.
class ForwardingInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ForwardingInterceptorFactory(GrpcServerMetrics* metrics) : metrics_(metrics) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(grpc::experimental::ServerRpcInfo* info) override {
    return metrics_->CreateServerInterceptor(info);
  }

 private:
  GrpcServerMetrics* metrics_;
};

// gRPC turns SO_REUSEPORT on by default on Linux: a second server on a port
// in use would bind without error and the kernel would split the connections
// between the two. Off, a busy port fails the start.
void RefusePortSharing(grpc::ServerBuilder& builder) { builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0); }

}  // namespace

GrpcServerRunner::~GrpcServerRunner() { Shutdown(std::chrono::milliseconds(0)); }

absl::Status GrpcServerRunner::Start(const ServerOptions& options, const std::vector<grpc::Service*>& services,
                                     Metrics& metrics) {
  options_ = options;
  // gRPC's own messages (a client's failed TLS handshake, say) as JSON lines.
  RouteGrpcLogsToJson();
  // The TLS files first: a server that cannot complete a handshake must not
  // start, not even its /metrics (it would look alive to monitoring).
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (options.tls.enabled()) {
    ASSIGN_OR_RETURN(certificates_, ReloadingServerCertificates::Start(options.tls, metrics.registry()));
    credentials = certificates_->credentials();
  }
  AddBuildInfoGauge(metrics.registry());
  metrics_ = &metrics;
  ASSIGN_OR_RETURN(metrics_port_, metrics.StartExposer(options.metrics_listen));
  std::vector<std::string> instrumented = options.service_names;
  instrumented.push_back("grpc.health.v1.Health");
  instrumented.push_back("grpc.reflection.v1alpha.ServerReflection");
  grpc_metrics_ = std::make_unique<GrpcServerMetrics>(metrics.registry(), instrumented);

  // The built-in health service does not register its descriptor; touching
  // the generated one links it in, so reflection can describe health too.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  // Our own health service rather than gRPC's default one: that one never
  // ends its Watch streams, so one open watch held every shutdown for its
  // whole grace.
  grpc::EnableDefaultHealthCheckService(false);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (poller_ == nullptr) poller_ = std::make_unique<BackgroundPoller>();
  grpc::ServerBuilder builder;
  RefusePortSharing(builder);
  builder.AddListeningPort(options.listen, credentials, &grpc_port_);
  for (grpc::Service* service : services) builder.RegisterService(service);
  builder.RegisterService(&health_service_);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<ForwardingInterceptorFactory>(grpc_metrics_.get()));
  interceptors.push_back(std::make_unique<RequestIdInterceptorFactory>());
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || grpc_port_ == 0) {
    server_.reset();
    return absl::UnavailableError(
        absl::StrCat("cannot listen for gRPC on ", options.listen, " (--listen): the port is in use or not bindable"));
  }
  if (!options.health_listen.empty()) {
    // Only the default health service: nothing else is reachable in plaintext.
    grpc::ServerBuilder health_builder;
    RefusePortSharing(health_builder);
    health_builder.AddListeningPort(options.health_listen, grpc::InsecureServerCredentials(), &health_port_);
    health_builder.RegisterService(&health_only_service_);
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> health_interceptors;
    health_interceptors.push_back(std::make_unique<RequestIdInterceptorFactory>());
    health_builder.experimental().SetInterceptorCreators(std::move(health_interceptors));
    health_server_ = health_builder.BuildAndStart();
    if (health_server_ == nullptr || health_port_ == 0) {
      health_server_.reset();
      server_->Shutdown();
      server_.reset();
      return absl::UnavailableError(absl::StrCat("cannot listen for gRPC health on ", options.health_listen,
                                                 " (--health-listen): the port is in use or not bindable"));
    }
  }
  // Health is decided before Start() returns, so a server that announces
  // itself is already SERVING when its store answers; the readiness loop
  // then follows the store.
  serving_ = !options_.readiness_check || options_.readiness_check().ok();
  SetServing(serving_);
  health_statuses_.Set({kLivenessHealthEntry}, true);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = false;
  }
  readiness_thread_ = std::thread([this] { ReadinessLoop(); });
  return absl::OkStatus();
}

void GrpcServerRunner::SetServing(bool serving) {
  std::vector<std::string> names = options_.service_names;
  names.push_back("");  // the overall entry
  health_statuses_.Set(names, serving);
}

void GrpcServerRunner::ReadinessLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const absl::Status status = options_.readiness_check ? options_.readiness_check() : absl::OkStatus();
    lock.lock();
    if (stopping_) break;
    const bool serving = status.ok();
    if (serving != serving_) {
      serving_ = serving;
      SetServing(serving);
      Log(serving ? LogLevel::kInfo : LogLevel::kWarning, serving ? "ready" : "not ready",
          {{"reason", std::string(status.message())}});
    }
    stop_cv_.wait_for(lock, options_.readiness_interval, [this] { return stopping_ || check_now_; });
    check_now_ = false;
  }
}

void GrpcServerRunner::CheckReadinessNow() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    check_now_ = true;
  }
  stop_cv_.notify_all();
}

void GrpcServerRunner::BeginShutdown() {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    first = !stopping_;
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (first && metrics_ != nullptr)
    metrics_stop_thread_ = std::thread([metrics = metrics_] { metrics->StopExposer(); });
  // Before waiting for the readiness thread (whose check may take up to its
  // deadline): health says NOT_SERVING at once.
  health_statuses_.Shutdown();
  if (readiness_thread_.joinable()) readiness_thread_.join();
}

void GrpcServerRunner::Shutdown(std::chrono::milliseconds grace) {
  BeginShutdown();
  if (server_ != nullptr) {
    server_->Shutdown(std::chrono::system_clock::now() + grace);
    server_->Wait();
    server_.reset();
  }
  if (health_server_ != nullptr) {
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
    health_server_.reset();
  }
  if (metrics_stop_thread_.joinable()) metrics_stop_thread_.join();
  certificates_.reset();
  poller_.reset();
}

void PrepareServerSignals() {
  // A file size limit (RLIMIT_FSIZE) would kill the process with SIGXFSZ in
  // the middle of a write; ignored, the write fails with EFBIG, which the
  // storage answers as RESOURCE_EXHAUSTED like a full disk.
  std::signal(SIGXFSZ, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  return signal_number;
}

}  // namespace gzedu
