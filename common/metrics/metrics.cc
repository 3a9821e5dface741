#include "common/metrics/metrics.h"

#include <exception>

#include "absl/strings/str_cat.h"

namespace gzedu {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

absl::StatusOr<int> Metrics::StartExposer(const std::string& address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address, /*num_threads=*/1);
  } catch (const std::exception& e) {
    // CivetWeb says only "null context when constructing CivetServer".
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", address,
                                               " (--metrics-listen): the port is in use or not bindable (", e.what(),
                                               ")"));
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(process_collector_);
  const std::vector<int> ports = exposer_->GetListeningPorts();
  if (ports.empty()) return absl::UnavailableError(absl::StrCat("metrics endpoint ", address, " has no port"));
  return ports.front();
}

StorageMetrics::StorageMetrics(prometheus::Registry& registry, std::string service)
    : service_(std::move(service)),
      latency_family_(prometheus::BuildHistogram()
                          .Name("gzedu_storage_operation_seconds")
                          .Help("Latency of storage operations (statements and transactions), in seconds.")
                          .Register(registry)),
      error_family_(prometheus::BuildCounter()
                        .Name("gzedu_storage_errors_total")
                        .Help("Storage operations that failed.")
                        .Register(registry)) {}

void StorageMetrics::ObserveOperation(absl::string_view operation, double seconds, bool ok) {
  Children* children = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = children_.find(operation);
    if (it == children_.end()) {
      const std::map<std::string, std::string> labels = {{"service", service_}, {"operation", std::string(operation)}};
      it = children_
               .emplace(std::string(operation),
                        Children{&latency_family_.Add(labels, LatencyBuckets()), &error_family_.Add(labels)})
               .first;
    }
    children = &it->second;
  }
  children->latency->Observe(seconds);
  if (!ok) children->errors->Increment();
}

}  // namespace gzedu
