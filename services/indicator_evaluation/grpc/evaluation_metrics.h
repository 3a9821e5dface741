#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_EVALUATION_METRICS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_EVALUATION_METRICS_H_

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "common/domain/cache.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"

namespace gzedu::indicators {

// The evaluation service's domain gauges for municipal monitoring, labelled
// by district (11 values), indicator (R1..S1) and stage (primary, junior or
// empty): gzedu_indicator_value, gzedu_indicator_meets_standard (1 or 0;
// absent while pending or not applicable), gzedu_indicator_cv and
// gzedu_indicator_cv_max (R1-R7: a district's coefficient of variation and
// its limit), gzedu_district_sections_failing,
// gzedu_evaluation_age_seconds (refreshed every few seconds),
// gzedu_watch_subscribers, gzedu_event_lag{source} and, with Redis,
// gzedu_redis_connected. Only snapshots under
// the strict national reading feed them. Thread-safe.
class EvaluationMetrics : public EvaluationObserver {
 public:
  EvaluationMetrics(prometheus::Registry& registry, std::function<int64_t()> now_unix_ms);
  ~EvaluationMetrics() override;

  void OnSnapshot(const Snapshot& snapshot) override;
  // A watch stream opened (+1) or ended (-1).
  void AddWatchers(int delta) { watchers_.Increment(delta); }
  void SetLag(const std::string& source, int64_t lag);
  // Whether the Redis event stream answers (gzedu_redis_connected).
  // Absent until first called, so a deployment without Redis has no series.
  void SetRedisConnected(bool connected);

 private:
  void RefreshAges();

  prometheus::Registry& registry_;
  const std::function<int64_t()> now_unix_ms_;
  prometheus::Family<prometheus::Gauge>& value_;
  prometheus::Family<prometheus::Gauge>& meets_;
  prometheus::Family<prometheus::Gauge>& cv_;
  prometheus::Family<prometheus::Gauge>& cv_max_;
  prometheus::Family<prometheus::Gauge>& failing_;
  prometheus::Family<prometheus::Gauge>& age_;
  prometheus::Gauge& watchers_;
  prometheus::Family<prometheus::Gauge>& lag_;
  prometheus::Family<prometheus::Gauge>& redis_connected_;
  std::mutex mutex_;
  std::map<std::string, int64_t> evaluated_at_;  // district -> latest strict evaluation
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread ticker_;
};

// A cache that counts its hits and misses as
// gzedu_cache_requests_total{cache,result}. Thread-safe.
class CountingCache : public Cache {
 public:
  CountingCache(Cache* inner, prometheus::Registry& registry, const std::string& name);
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) override {
    inner_->Put(key, value, ttl);
  }

 private:
  Cache* inner_;
  prometheus::Counter& hits_;
  prometheus::Counter& misses_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_EVALUATION_METRICS_H_
