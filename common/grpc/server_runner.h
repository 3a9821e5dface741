#ifndef GZEDU_COMMON_GRPC_SERVER_RUNNER_H_
#define GZEDU_COMMON_GRPC_SERVER_RUNNER_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/server.h>

#include "absl/status/status.h"
#include "common/grpc/background_poller.h"
#include "common/grpc/health_service.h"
#include "common/grpc/server_certificates.h"
#include "common/grpc/server_metrics.h"
#include "common/grpc/tls.h"
#include "common/metrics/metrics.h"

namespace gzedu {

// The health entry for liveness probes: SERVING from start to shutdown,
// whatever the dependencies do (the overall "" entry and each service's
// follow readiness).
inline constexpr char kLivenessHealthEntry[] = "liveness";

// What a server process serves and where.
struct ServerOptions {
  std::string listen;          // gRPC HOST:PORT; port 0 picks a free port
  std::string metrics_listen;  // /metrics HOST:PORT; port 0 picks a free port
  // Full names of the gRPC services registered, e.g.
  // "gzedu.registry.v1.SchoolRegistryService": their metrics are created up
  // front and each gets a gRPC health entry.
  std::vector<std::string> service_names;
  // Called every `readiness_interval`; the services' health entries are
  // SERVING while it returns OK (typically: the service's store answers).
  std::function<absl::Status()> readiness_check;
  std::chrono::milliseconds readiness_interval{2000};
  // TLS (or mutual TLS) on `listen`; plaintext when not enabled.
  ServerTls tls;
  // Optional plaintext HOST:PORT serving gRPC health only (the same entries),
  // for probes that cannot speak (mutual) TLS, such as Kubernetes'.
  std::string health_listen;
};

// Runs one gRPC server the way every gzedu service runs: on `listen`
// (plaintext, TLS or mutual TLS per `tls`), gRPC health (grpc.health.v1) with an entry per service, server
// reflection (v1alpha), the gRPC server metrics interceptor and a /metrics
// endpoint. Not thread-safe: one thread starts and stops it.
class GrpcServerRunner {
 public:
  GrpcServerRunner() = default;
  ~GrpcServerRunner();

  // Builds and starts the server with `services` (not owned; they must
  // outlive the runner). InvalidArgument naming the flag when the TLS files
  // cannot serve (LoadServerCertificates); Unavailable naming the address
  // when one cannot be bound (in use: port sharing is off). `metrics` must
  // outlive the runner: its /metrics endpoint stops with the runner.
  absl::Status Start(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics& metrics);

  int grpc_port() const { return grpc_port_; }
  // The health-only port; 0 without health_listen.
  int health_port() const { return health_port_; }
  int metrics_port() const { return metrics_port_; }
  grpc::Server* server() const { return server_.get(); }

  // Runs the readiness check now rather than at its next interval (e.g. once
  // the database is open and migrated), so health follows at once.
  void CheckReadinessNow();

  // The first step of a shutdown, at once: stops the readiness checks, marks
  // every health entry NOT_SERVING for good, ends every health Watch stream
  // (with UNAVAILABLE) and starts stopping the /metrics endpoint (on a
  // thread of its own: nobody scrapes a server that is going; stopping
  // takes a moment that then overlaps the drain). Idempotent.
  void BeginShutdown();

  // BeginShutdown(), then lets calls in flight finish within `grace`
  // (cancelling those still running then), and stops the server and the
  // /metrics endpoint.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  void SetServing(bool serving);
  void ReadinessLoop();

  ServerOptions options_;
  Metrics* metrics_ = nullptr;
  std::thread metrics_stop_thread_;  // StopExposer, started by BeginShutdown
  std::unique_ptr<GrpcServerMetrics> grpc_metrics_;
  // Outlives the servers: their credentials call back into it.
  std::unique_ptr<ReloadingServerCertificates> certificates_;
  // The health entries, and the health service of each server.
  HealthStatuses health_statuses_;
  HealthService health_service_{&health_statuses_};
  HealthService health_only_service_{&health_statuses_};
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<grpc::Server> health_server_;
  int grpc_port_ = 0;
  int health_port_ = 0;
  int metrics_port_ = 0;
  std::thread readiness_thread_;
  std::unique_ptr<BackgroundPoller> poller_;  // see background_poller.h: no 100 ms stalls
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool check_now_ = false;
  bool serving_ = false;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// afterwards (WaitForShutdownSignal takes them), and ignores SIGXFSZ so that
// a file size limit fails a write (EFBIG: RESOURCE_EXHAUSTED) instead of
// killing the server. Call first thing in main(), before any thread exists.
void PrepareServerSignals();

// Waits until SIGTERM or SIGINT arrives (requires PrepareServerSignals) and
// returns the signal's number.
int WaitForShutdownSignal();

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_SERVER_RUNNER_H_
