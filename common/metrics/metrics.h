#ifndef GZEDU_COMMON_METRICS_METRICS_H_
#define GZEDU_COMMON_METRICS_METRICS_H_

#include <map>

#include <memory>
#include <mutex>
#include <string>
#include "absl/strings/string_view.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "absl/status/statusor.h"
#include "common/metrics/process_metrics.h"
#include "common/storage/storage_observer.h"

namespace gzedu {

// A process's Prometheus metrics and the HTTP endpoint that serves them at
// /metrics. Thread-safe. Owns the registry; metric families are created on it
// once, at start, by the components that update them.
class Metrics {
 public:
  Metrics() : registry_(std::make_shared<prometheus::Registry>()) {}
  ~Metrics() { StopExposer(); }

  prometheus::Registry& registry() { return *registry_; }

  // Serves /metrics on `address` (HOST:PORT; port 0 picks a free port) and
  // returns the bound port. Unavailable when the address cannot be bound.
  // Besides the registry, /metrics has the process metrics
  // (ProcessCollector).
  absl::StatusOr<int> StartExposer(const std::string& address);
  // Stops serving /metrics (if serving) and returns once the endpoint's
  // threads are gone, at once rather than at CivetWeb's next look at its
  // stop flag (its listening thread polls for 2 s between looks): while it
  // stops, connections to the endpoint wake that poll. Thread-safe with
  // StartExposer; idempotent.
  void StopExposer();

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::mutex exposer_mutex_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  std::string exposer_host_;  // the host part of StartExposer's address
  std::shared_ptr<ProcessCollector> process_collector_ = std::make_shared<ProcessCollector>();
};

// Storage latency and errors of one service, as
// gzedu_storage_operation_seconds{service,operation} and
// gzedu_storage_errors_total{service,operation}. Operations come from the
// storage adapters' fixed statement names, so the label set is bounded.
// Thread-safe.
class StorageMetrics : public StorageObserver {
 public:
  StorageMetrics(prometheus::Registry& registry, std::string service);

  void ObserveOperation(absl::string_view operation, double seconds, bool ok) override;

 private:
  struct Children {
    prometheus::Histogram* latency;
    prometheus::Counter* errors;
  };

  std::string service_;
  prometheus::Family<prometheus::Histogram>& latency_family_;
  prometheus::Family<prometheus::Counter>& error_family_;
  std::mutex mutex_;
  std::map<std::string, Children, std::less<>> children_;
};

// Latency buckets in seconds, from 100 µs to 10 s, shared by every latency
// histogram so dashboards can compare them.
const prometheus::Histogram::BucketBoundaries& LatencyBuckets();

}  // namespace gzedu

#endif  // GZEDU_COMMON_METRICS_METRICS_H_
