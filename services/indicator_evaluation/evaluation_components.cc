#include "services/indicator_evaluation/evaluation_components.h"

#include <mutex>

#include "common/logging/log.h"
#include "common/redis/redis_cache.h"
#include "common/status/localized_text.h"
#include "common/status/macros.h"
#include "common/status/server_state.h"
#include "services/indicator_evaluation/sources/grpc_source_reader.h"

namespace gzedu::indicators {
namespace {

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// A SourceReader whose target is set after the server starts (in-process
// channels exist only then); until then every read is Unavailable.
class EvaluationComponents::LateSourceReader : public SourceReader {
 public:
  void Set(std::unique_ptr<GrpcSourceReader> inner) {
    std::lock_guard<std::mutex> lock(mutex_);
    inner_ = std::move(inner);
  }
  // Cancels the reads in flight and fails every later one (shutting down).
  void CancelAll() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (inner_ != nullptr) inner_->CancelAll();
  }
  absl::StatusOr<InputVersions> LatestVersions() override {
    SourceReader* inner = Get();
    if (inner == nullptr) return NotYet();
    return inner->LatestVersions();
  }
  absl::StatusOr<SourceData> ReadDistrict(const std::string& district_code, int32_t school_year) override {
    SourceReader* inner = Get();
    if (inner == nullptr) return NotYet();
    return inner->ReadDistrict(district_code, school_year);
  }
  absl::StatusOr<std::vector<SourceChange>> ChangesSince(const std::string& source, int64_t since_version,
                                                         int32_t limit, int64_t* latest_version) override {
    SourceReader* inner = Get();
    if (inner == nullptr) return NotYet();
    return inner->ChangesSince(source, since_version, limit, latest_version);
  }

 private:
  static absl::Status NotYet() {
    return MarkServerState(LocalizedError(absl::StatusCode::kUnavailable,
                                          {"the source services are not connected yet", "尚未连接到数据来源服务"}));
  }
  SourceReader* Get() {
    std::lock_guard<std::mutex> lock(mutex_);
    return inner_.get();
  }
  std::mutex mutex_;
  std::unique_ptr<GrpcSourceReader> inner_;
};

// The service's own return writes wake its follower at once, and go on to
// another publisher when one is set.
class EvaluationComponents::ReturnEvents : public EventPublisher {
 public:
  ReturnEvents(ChangeFollower* follower, SourceVersions* versions) : follower_(follower), versions_(versions) {}
  void set_next(EventPublisher* next) { next_ = next; }
  void Publish(const ChangeEvent& event) override {
    versions_->Announce(event);
    follower_->Wake();
    if (next_ != nullptr) next_->Publish(event);
  }

 private:
  ChangeFollower* follower_;
  SourceVersions* versions_;
  EventPublisher* next_ = nullptr;
};

absl::StatusOr<std::unique_ptr<EvaluationComponents>> EvaluationComponents::Create(const Options& options,
                                                                                   Metrics& metrics) {
  std::unique_ptr<EvaluationComponents> c(new EvaluationComponents());
  c->storage_metrics_ = std::make_unique<StorageMetrics>(metrics.registry(), "indicator_evaluation");
  if (options.open_database_later) {
    c->repository_ =
        SqlEvaluationRepository::OpenDeferred(options.database_url, c->storage_metrics_.get(), &c->deferred_database_);
  } else {
    ASSIGN_OR_RETURN(c->repository_, SqlEvaluationRepository::Open(options.database_url, c->storage_metrics_.get()));
  }
  if (options.redis_url.empty()) {
    c->backing_cache_ = std::make_unique<InProcessCache>(options.cache_bytes);
  } else {
    c->backing_cache_ = std::make_unique<RedisCache>(options.redis_url);
  }
  c->cache_ = std::make_unique<CountingCache>(c->backing_cache_.get(), metrics.registry(), "source_reads");
  c->snapshot_cache_counts_ = std::make_unique<CountingCache>(c->backing_cache_.get(), metrics.registry(), "snapshots");
  c->snapshot_cache_ = std::make_unique<CachedSnapshots>(c->snapshot_cache_counts_.get());
  c->sources_ = std::make_unique<LateSourceReader>();
  c->metrics_ = std::make_unique<EvaluationMetrics>(metrics.registry(), NowUnixMs);
  WatchHub::Options hub_options;
  hub_options.queue_capacity = options.watch_queue_capacity;
  hub_options.heartbeat_interval = options.heartbeat_interval;
  // Replicas on one database: updates another replica stored reach this
  // one's watchers within a poll interval.
  hub_options.log_poll_interval = options.poll_interval;
  c->hub_ = std::make_unique<WatchHub>(c->repository_.get(), hub_options, NowUnixMs);
  c->evaluation_ = std::make_unique<IndicatorEvaluation>(c->repository_.get(), c->sources_.get(), c->hub_.get(),
                                                         NowUnixMs, c->metrics_.get());
  ChangeFollower::Options follower_options;
  follower_options.poll_interval = options.poll_interval;
  EvaluationMetrics* evaluation_metrics = c->metrics_.get();
  c->follower_ = std::make_unique<ChangeFollower>(
      c->repository_.get(), c->sources_.get(), c->evaluation_.get(), follower_options,
      [evaluation_metrics](const std::string& source, int64_t lag) { evaluation_metrics->SetLag(source, lag); });
  c->evaluation_->set_snapshot_cache(c->snapshot_cache_.get());
  c->versions_ = std::make_unique<SourceVersions>();
  c->evaluation_->set_source_versions(c->versions_.get());
  c->follower_->set_source_versions(c->versions_.get());
  c->return_events_ = std::make_unique<ReturnEvents>(c->follower_.get(), c->versions_.get());
  c->evaluation_->set_event_publisher(c->return_events_.get());
  if (!options.redis_url.empty()) {
    ChangeFollower* follower = c->follower_.get();
    SourceVersions* versions = c->versions_.get();
    RedisEventSubscriber::Callbacks callbacks;
    callbacks.handler = [follower, versions](const ChangeEvent& event) {
      versions->Announce(event);
      follower->Wake();
    };
    callbacks.on_resumed = [follower] { follower->Wake(); };
    evaluation_metrics->SetRedisConnected(false);  // until the stream first answers
    callbacks.on_connection = [evaluation_metrics](bool connected) {
      evaluation_metrics->SetRedisConnected(connected);
    };
    c->redis_events_ = std::make_unique<RedisEventSubscriber>(options.redis_url, "gzedu-evaluation", callbacks);
  }
  c->service_ = std::make_unique<IndicatorEvaluationGrpcService>(
      c->evaluation_.get(), c->hub_.get(), [evaluation_metrics](int delta) { evaluation_metrics->AddWatchers(delta); });
  return c;
}

EvaluationComponents::~EvaluationComponents() { Stop(); }

void EvaluationComponents::ConnectSources(std::shared_ptr<grpc::Channel> registry,
                                          std::shared_ptr<grpc::Channel> rotation,
                                          std::shared_ptr<grpc::Channel> ledger) {
  // The threads started here log for this service (which matters in `gzedu
  // serve`, whose own lines name "serve").
  ScopedLogContext log_context(LogContext{"indicator-evaluation", std::string()});
  sources_->Set(std::make_unique<GrpcSourceReader>(std::move(registry), std::move(rotation), std::move(ledger),
                                                   cache_.get(), GrpcSourceReader::Options{}));
  follower_->Start();
  if (redis_events_) redis_events_->Start();
}

void EvaluationComponents::set_event_publisher(EventPublisher* publisher) { return_events_->set_next(publisher); }

void EvaluationComponents::Stop() {
  // Watch streams end first (with a status), then the reads of the sources
  // in flight are cancelled, so the follower's round ends at once even when
  // a source hangs.
  if (hub_) hub_->Shutdown();
  if (sources_) sources_->CancelAll();
  if (redis_events_) redis_events_->Stop();
  if (follower_) follower_->Stop();
}

}  // namespace gzedu::indicators
