#include "services/indicator_evaluation/grpc/evaluation_metrics.h"

#include "common/domain/stage.h"

namespace gzedu::indicators {
namespace {

// How often the evaluation ages are brought up to date.
constexpr std::chrono::seconds kAgeRefresh{5};

}  // namespace

EvaluationMetrics::EvaluationMetrics(prometheus::Registry& registry, std::function<int64_t()> now_unix_ms)
    : registry_(registry),
      now_unix_ms_(std::move(now_unix_ms)),
      value_(prometheus::BuildGauge()
                 .Name("gzedu_indicator_value")
                 .Help("The latest value of an indicator of a district (strict national reading).")
                 .Register(registry)),
      meets_(prometheus::BuildGauge()
                 .Name("gzedu_indicator_meets_standard")
                 .Help("1 when the indicator meets its standard, 0 when it does not; absent while pending.")
                 .Register(registry)),
      cv_(prometheus::BuildGauge()
              .Name("gzedu_indicator_cv")
              .Help("A resource indicator's (R1-R7) coefficient of variation across the district's school sections.")
              .Register(registry)),
      cv_max_(prometheus::BuildGauge()
                  .Name("gzedu_indicator_cv_max")
                  .Help("The largest coefficient of variation the standard allows for the indicator and stage.")
                  .Register(registry)),
      failing_(prometheus::BuildGauge()
                   .Name("gzedu_district_sections_failing")
                   .Help("School sections failing the per-section rule of the resource indicators.")
                   .Register(registry)),
      age_(prometheus::BuildGauge()
               .Name("gzedu_evaluation_age_seconds")
               .Help("Seconds since the district's latest evaluation.")
               .Register(registry)),
      watchers_(prometheus::BuildGauge()
                    .Name("gzedu_watch_subscribers")
                    .Help("Open WatchIndicators streams.")
                    .Register(registry)
                    .Add({})),
      lag_(prometheus::BuildGauge()
               .Name("gzedu_event_lag")
               .Help("Source changes not yet applied to the evaluations, per source.")
               .Register(registry)),
      redis_connected_(prometheus::BuildGauge()
                           .Name("gzedu_redis_connected")
                           .Help("1 while the Redis event stream answers, 0 while it does not; absent without "
                                 "Redis.")
                           .Register(registry)) {
  for (const char* source : {"registry", "rotation", "ledger"}) lag_.Add({{"source", source}}).Set(0);
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stop_cv_.wait_for(lock, kAgeRefresh, [this] { return stopping_; })) {
      lock.unlock();
      RefreshAges();
      lock.lock();
    }
  });
}

EvaluationMetrics::~EvaluationMetrics() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

void EvaluationMetrics::OnSnapshot(const Snapshot& snapshot) {
  if (snapshot.conventions_key != ConventionsKey({})) return;
  const std::string& district = snapshot.district_code;
  for (const engine::IndicatorResult& r : snapshot.evaluation.indicators) {
    const std::map<std::string, std::string> labels = {
        {"district", district},
        {"indicator", r.indicator_id},
        {"stage", r.stage ? std::string(StageName(*r.stage)) : std::string()}};
    if (r.value) value_.Add(labels).Set(*r.value);
    if (r.cv_actual) cv_.Add(labels).Set(*r.cv_actual);
    if (r.cv_max) cv_max_.Add(labels).Set(*r.cv_max);
    if (r.verdict == engine::Verdict::kMeets || r.verdict == engine::Verdict::kDoesNotMeet) {
      meets_.Add(labels).Set(r.verdict == engine::Verdict::kMeets ? 1 : 0);
    }
  }
  for (const engine::StageResult& stage : snapshot.evaluation.stages) {
    failing_.Add({{"district", district}, {"stage", std::string(StageName(stage.stage))}}).Set(stage.sections_failing);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    evaluated_at_[district] = snapshot.evaluated_at_unix_ms;
  }
  RefreshAges();
}

void EvaluationMetrics::SetRedisConnected(bool connected) {
  redis_connected_.Add({}).Set(connected ? 1 : 0);  // rare: only when the connection changes
}

void EvaluationMetrics::SetLag(const std::string& source, int64_t lag) {
  lag_.Add({{"source", source}}).Set(static_cast<double>(lag));
}

void EvaluationMetrics::RefreshAges() {
  std::map<std::string, int64_t> evaluated_at;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    evaluated_at = evaluated_at_;
  }
  const int64_t now = now_unix_ms_();
  for (const auto& [district, at] : evaluated_at) {
    age_.Add({{"district", district}}).Set(static_cast<double>(now - at) / 1000);
  }
}

namespace {

prometheus::Family<prometheus::Counter>& CacheFamily(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("gzedu_cache_requests_total")
      .Help("Cache lookups by cache and result (hit or miss).")
      .Register(registry);
}

}  // namespace

CountingCache::CountingCache(Cache* inner, prometheus::Registry& registry, const std::string& name)
    : inner_(inner),
      hits_(CacheFamily(registry).Add({{"cache", name}, {"result", "hit"}})),
      misses_(CacheFamily(registry).Add({{"cache", name}, {"result", "miss"}})) {}

std::optional<std::string> CountingCache::Get(const std::string& key) {
  std::optional<std::string> value = inner_->Get(key);
  (value ? hits_ : misses_).Increment();
  return value;
}

}  // namespace gzedu::indicators
