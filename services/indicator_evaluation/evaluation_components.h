#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_EVALUATION_COMPONENTS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_EVALUATION_COMPONENTS_H_

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/channel.h>

#include "common/domain/cache.h"
#include "common/domain/events.h"
#include "common/metrics/metrics.h"
#include "common/redis/redis_events.h"
#include "services/indicator_evaluation/domain/change_follower.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"
#include "services/indicator_evaluation/domain/source_versions.h"
#include "services/indicator_evaluation/domain/watch_hub.h"
#include "services/indicator_evaluation/grpc/cached_snapshots.h"
#include "services/indicator_evaluation/grpc/evaluation_metrics.h"
#include "services/indicator_evaluation/grpc/indicator_evaluation_grpc_service.h"
#include "services/indicator_evaluation/storage/sql_evaluation_repository.h"

namespace gzedu::indicators {

// Everything the evaluation service is made of, wired once for both the
// separate binary and `gzedu serve`: the SQLite store, the source reader
// (over channels given later, when the sources are in the same server),
// the source-read cache, the watch hub, the change follower, the metrics
// and the gRPC service. Not thread-safe to set up; thread-safe once started.
class EvaluationComponents {
 public:
  struct Options {
    std::string database_url;  // sqlite:... or postgresql://...
    std::chrono::milliseconds heartbeat_interval{15000};
    std::chrono::milliseconds poll_interval{2000};
    size_t watch_queue_capacity = 1024;
    size_t cache_bytes = 64 << 20;
    // redis://HOST:PORT: source reads are cached in Redis and change events
    // are read from its stream; empty: in-process cache, events from the
    // in-process bus (OnChangeEvent) or polling only.
    std::string redis_url;
    // The store is not opened by Create but later, by
    // deferred_database()->OpenAndMigrate(), while the server already
    // listens; until then every store call answers Unavailable.
    bool open_database_later = false;
  };

  // Opens the store. Unavailable or Internal when it cannot be opened.
  static absl::StatusOr<std::unique_ptr<EvaluationComponents>> Create(const Options& options, Metrics& metrics);
  ~EvaluationComponents();

  // Connects the source reader to the three sources and starts following
  // their changes. Call once, after the sources are reachable (or at least
  // addressable: reads are retried).
  void ConnectSources(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> rotation,
                      std::shared_ptr<grpc::Channel> ledger);
  // Ends every watch stream and stops following changes.
  void Stop();

  grpc::Service* service() { return service_.get(); }
  IndicatorEvaluation& evaluation() { return *evaluation_; }
  ChangeFollower& follower() { return *follower_; }
  EvaluationRepository& repository() { return *repository_; }
  // With Options::open_database_later, the store's database to open;
  // null otherwise.
  DeferredSqlDatabase* deferred_database() { return deferred_database_; }
  // Notes the versions each event announces and wakes the change follower
  // (subscribe it to a bus). A bus that delivers in the writing thread
  // before the write is acknowledged (InProcessEventBus) makes the known
  // versions exact: say so with set_events_synchronous(true), and an
  // evaluation request then needs no call to the sources to know whether
  // anything changed.
  void OnChangeEvent(const ChangeEvent& event) {
    versions_->Announce(event);
    follower_->Wake();
  }
  void set_events_synchronous(bool synchronous) { versions_->set_announced_synchronously(synchronous); }
  // Also announces the service's own return writes to `publisher` (the
  // follower is always woken by them).
  void set_event_publisher(EventPublisher* publisher);

 private:
  class LateSourceReader;
  class ReturnEvents;
  EvaluationComponents() = default;

  std::unique_ptr<StorageMetrics> storage_metrics_;
  std::unique_ptr<SqlEvaluationRepository> repository_;
  DeferredSqlDatabase* deferred_database_ = nullptr;  // owned by repository_
  std::unique_ptr<Cache> backing_cache_;
  std::unique_ptr<RedisEventSubscriber> redis_events_;
  std::unique_ptr<ReturnEvents> return_events_;
  std::unique_ptr<CountingCache> cache_;
  std::unique_ptr<CountingCache> snapshot_cache_counts_;
  std::unique_ptr<CachedSnapshots> snapshot_cache_;
  std::unique_ptr<LateSourceReader> sources_;
  std::unique_ptr<EvaluationMetrics> metrics_;
  std::unique_ptr<WatchHub> hub_;
  std::unique_ptr<IndicatorEvaluation> evaluation_;
  std::unique_ptr<SourceVersions> versions_;
  std::unique_ptr<ChangeFollower> follower_;
  std::unique_ptr<IndicatorEvaluationGrpcService> service_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_EVALUATION_COMPONENTS_H_
