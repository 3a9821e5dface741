#include "common/metrics/metrics.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gzedu {

const prometheus::Histogram::BucketBoundaries& LatencyBuckets() {
  static const prometheus::Histogram::BucketBoundaries kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  return kBuckets;
}

namespace {

// Connects to HOST:PORT and hangs up at once; for waking a server's poll.
// A wildcard host (every interface) is reached on loopback.
void Knock(std::string host, int port) {
  if (host.empty() || host == "0.0.0.0" || host == "*") host = "127.0.0.1";
  if (host == "::") host = "::1";
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    const int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const bool connected = connect(fd, a->ai_addr, a->ai_addrlen) == 0;
    close(fd);
    if (connected) break;
  }
  freeaddrinfo(found);
}

}  // namespace

absl::StatusOr<int> Metrics::StartExposer(const std::string& address) {
  std::lock_guard<std::mutex> lock(exposer_mutex_);
  // "HOST:PORT" or "[V6]:PORT".
  const size_t colon = address.rfind(':');
  exposer_host_ = std::string(
      absl::StripSuffix(absl::StripPrefix(address.substr(0, colon == std::string::npos ? 0 : colon), "["), "]"));
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

void Metrics::StopExposer() {
  std::lock_guard<std::mutex> lock(exposer_mutex_);
  if (exposer_ == nullptr) return;
  const std::vector<int> ports = exposer_->GetListeningPorts();
  std::atomic<bool> stopped{false};
  std::thread stop([this, &stopped] {
    exposer_.reset();  // CivetWeb's mg_stop: sets the stop flag, then waits
    stopped = true;
  });
  // A knock before the stop flag is set is served as a request (and the
  // poll starts again); the next one, after, ends the wait. Each takes a
  // fraction of a millisecond; once the port is closed they are refused.
  while (!stopped) {
    for (int port : ports) Knock(exposer_host_, port);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop.join();
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
