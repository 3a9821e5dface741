#ifndef GZEDU_COMMON_GRPC_HEALTH_SERVICE_H_
#define GZEDU_COMMON_GRPC_HEALTH_SERVICE_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "grpc/health/v1/health.grpc.pb.h"

namespace gzedu {

// The serving status of a server's health entries ("" for the whole server,
// and one per service), shared by the gRPC health services that report it
// (the main port's and the health-only port's), and the Watch streams open
// on them. Unlike gRPC's default health service, Shutdown() ends every
// Watch stream (NOT_SERVING, then UNAVAILABLE), so an open watch never
// holds a graceful shutdown for its whole grace. Thread-safe.
class HealthStatuses {
 public:
  class Watcher;

  // Sets every entry named (creating it).
  void Set(const std::vector<std::string>& names, bool serving);
  // Every entry NOT_SERVING from now on (later Set calls are ignored) and
  // every Watch stream ended.
  void Shutdown();

  // The status of `name`; nullopt when there is no such entry.
  std::optional<grpc::health::v1::HealthCheckResponse::ServingStatus> Get(const std::string& name);

  // For the Watch reactors.
  void Add(Watcher* watcher);
  void Remove(Watcher* watcher);

 private:
  std::mutex mutex_;
  bool shut_down_ = false;
  std::map<std::string, bool> serving_;
  std::set<Watcher*> watchers_;
};

// grpc.health.v1.Health over `statuses` (not owned; it must outlive the
// service), for one server. Check answers NOT_FOUND for an unknown entry;
// Watch sends the current status and every change (SERVICE_UNKNOWN while the
// entry does not exist), and ends with UNAVAILABLE when the server shuts
// down.
class HealthService : public grpc::health::v1::Health::CallbackService {
 public:
  explicit HealthService(HealthStatuses* statuses) : statuses_(statuses) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;
  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context, const grpc::health::v1::HealthCheckRequest* request) override;

 private:
  HealthStatuses* statuses_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_HEALTH_SERVICE_H_
