// evaluation_load: the evaluation service's speed targets, measured from
// outside with a C++ gRPC client against a real `gzedu serve` (started here
// on port 0 with a temporary data directory) holding the bundled city:
//
//   1. EvaluateCity of all 11 districts with a cold cache: a freshly
//      started process (empty cache) asked under conventions never
//      evaluated before (no snapshot), end to end. Target: < 1 s.
//   2. Fan-out: 500 WatchIndicators streams (callback-API client), then
//      repeated source changes (a Huadu school's teaching area, through the
//      registry's public API); for every watcher, the time from the write's
//      acknowledgement to the update's arrival. Target: p99 < 200 ms.
//
//   evaluation_load [--gzedu=PATH] [--watchers=500] [--changes=20] [--bundle=DIR]
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/serve_suite.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"

namespace {

using gzedu::benchmarks::Suite;

namespace iv1 = ::gzedu::indicators::v1;
namespace rv1 = ::gzedu::registry::v1;
using Clock = std::chrono::steady_clock;

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1, static_cast<size_t>(p / 100 * values.size()));
  return values[index];
}

// One watch stream; records when each update arrives.
class WatchReader : public grpc::ClientReadReactor<iv1::WatchIndicatorsResponse> {
 public:
  explicit WatchReader(iv1::IndicatorEvaluationService::Stub* stub) {
    request_.add_district_codes("440114");
    request_.set_school_year(2024);
    stub->async()->WatchIndicators(&context_, &request_, this);
    StartRead(&message_);
    StartCall();
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    if (message_.has_update()) {
      std::lock_guard<std::mutex> lock(mutex_);
      arrivals_.push_back({message_.update().version(), Clock::now()});
    }
    StartRead(&message_);
  }
  void OnDone(const grpc::Status&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
    cv_.notify_all();
  }
  void Cancel() { context_.TryCancel(); }
  void WaitDone() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return done_; });
  }
  // When the first update with a version above `after` arrived.
  std::optional<Clock::time_point> ArrivalAfter(int64_t after) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [version, at] : arrivals_) {
      if (version > after) return at;
    }
    return std::nullopt;
  }

 private:
  grpc::ClientContext context_;
  iv1::WatchIndicatorsRequest request_;
  iv1::WatchIndicatorsResponse message_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::vector<std::pair<int64_t, Clock::time_point>> arrivals_;
};

int64_t LatestVersion(iv1::IndicatorEvaluationService::Stub* stub) {
  iv1::EvaluateDistrictRequest request;
  request.set_district_code("440114");
  request.set_school_year(2024);
  iv1::EvaluateDistrictResponse response;
  grpc::ClientContext context;
  if (!stub->EvaluateDistrict(&context, request, &response).ok()) return 0;
  return response.evaluation().snapshot_version();
}

}  // namespace

int main(int argc, char** argv) {
  std::string gzedu = GZEDU_CLI_BINARY;
  std::string bundle = std::string(GZEDU_SOURCE_DIR) + "/data/guangzhou";
  int watchers = 500;
  int changes = 20;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--gzedu=", 0) == 0) gzedu = arg.substr(8);
    if (arg.rfind("--bundle=", 0) == 0) bundle = arg.substr(9);
    if (arg.rfind("--watchers=", 0) == 0) watchers = std::atoi(arg.c_str() + 11);
    if (arg.rfind("--changes=", 0) == 0) changes = std::atoi(arg.c_str() + 10);
  }
  char dir_template[] = "/tmp/gzedu-load-XXXXXX";
  const std::string data_dir = mkdtemp(dir_template);

  {
    Suite suite(gzedu, data_dir);
    std::printf("gzedu serve at %s; importing %s\n", suite.address().c_str(), bundle.c_str());
    const auto start = Clock::now();
    const std::string command =
        gzedu + " import bundle " + bundle + " --quiet --target=" + suite.address() + " > /dev/null";
    if (std::system(command.c_str()) != 0) {
      std::fprintf(stderr, "import failed\n");
      return 1;
    }
    std::printf("import: %.1f s\n", std::chrono::duration<double>(Clock::now() - start).count());
  }

  // 1. EvaluateCity, cold: a fresh process each time, conventions never
  // evaluated before.
  std::vector<double> cold_ms;
  for (int run = 1; run <= 3; ++run) {
    Suite suite(gzedu, data_dir);
    auto stub = iv1::IndicatorEvaluationService::NewStub(
        grpc::CreateChannel(suite.address(), grpc::InsecureChannelCredentials()));
    iv1::EvaluateCityRequest request;
    request.set_school_year(2024);
    request.mutable_conventions()->set_teaching_point_min_students(run);
    iv1::EvaluateCityResponse response;
    grpc::ClientContext context;
    const auto start = Clock::now();
    const grpc::Status status = stub->EvaluateCity(&context, request, &response);
    cold_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    if (!status.ok() || response.evaluations_size() != 11) {
      std::fprintf(stderr, "EvaluateCity failed: %s\n", status.error_message().c_str());
      return 1;
    }
    // Warm: the same again (snapshots current).
    grpc::ClientContext again;
    const auto warm_start = Clock::now();
    (void)stub->EvaluateCity(&again, request, &response);
    std::printf("EvaluateCity cold run %d: %.0f ms (then warm: %.1f ms)\n", run, cold_ms.back(),
                std::chrono::duration<double, std::milli>(Clock::now() - warm_start).count());
  }

  // 2. Fan-out to watchers.
  Suite suite(gzedu, data_dir);
  auto channel = grpc::CreateChannel(suite.address(), grpc::InsecureChannelCredentials());
  auto stub = iv1::IndicatorEvaluationService::NewStub(channel);
  auto registry = rv1::SchoolRegistryService::NewStub(channel);
  LatestVersion(stub.get());
  std::vector<std::unique_ptr<WatchReader>> readers;
  for (int i = 0; i < watchers; ++i) readers.push_back(std::make_unique<WatchReader>(stub.get()));
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let every stream register

  rv1::ListSchoolYearRecordsRequest list;
  list.set_district_code("440114");
  list.set_school_year(2024);
  list.set_page_size(1000);
  rv1::ListSchoolYearRecordsResponse records;
  {
    grpc::ClientContext context;
    if (!registry->ListSchoolYearRecords(&context, list, &records).ok() || records.records_size() == 0) return 1;
  }
  rv1::SchoolYearRecord record = records.records(0);
  std::vector<double> latencies_ms;
  int missing = 0;
  for (int change = 0; change < changes; ++change) {
    const int64_t before = LatestVersion(stub.get());
    // Alternately more and less teaching area in the first section.
    rv1::SchoolSection* section = record.mutable_sections(0);
    section->mutable_facilities()->set_teaching_area_m2(section->facilities().teaching_area_m2() +
                                                        (change % 2 == 0 ? 500 : -500));
    rv1::UpsertSchoolYearRecordsRequest upsert;
    upsert.set_request_id("load-change-" + std::to_string(change) + "-" + std::to_string(getpid()));
    *upsert.add_records() = record;
    rv1::UpsertSchoolYearRecordsResponse response;
    grpc::ClientContext context;
    if (!registry->UpsertSchoolYearRecords(&context, upsert, &response).ok()) return 1;
    const auto acknowledged = Clock::now();
    const auto deadline = acknowledged + std::chrono::seconds(10);
    std::vector<std::optional<Clock::time_point>> arrivals(readers.size());
    size_t arrived = 0;
    while (arrived < readers.size() && Clock::now() < deadline) {
      arrived = 0;
      for (size_t i = 0; i < readers.size(); ++i) {
        if (!arrivals[i]) arrivals[i] = readers[i]->ArrivalAfter(before);
        arrived += arrivals[i].has_value();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    for (const auto& at : arrivals) {
      if (!at) {
        ++missing;
        continue;
      }
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(*at - acknowledged).count());
    }
  }
  for (auto& reader : readers) reader->Cancel();
  for (auto& reader : readers) reader->WaitDone();

  std::printf("watch fan-out: %d watchers x %d changes = %zu deliveries (%d missing)\n", watchers, changes,
              latencies_ms.size(), missing);
  std::printf("  change acknowledged -> update received: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              Percentile(latencies_ms, 50), Percentile(latencies_ms, 90), Percentile(latencies_ms, 99),
              Percentile(latencies_ms, 100));
  std::printf("EvaluateCity cold: best %.0f ms, worst %.0f ms (target < 1000 ms)\n",
              *std::min_element(cold_ms.begin(), cold_ms.end()), *std::max_element(cold_ms.begin(), cold_ms.end()));
  std::filesystem::remove_all(data_dir);
  return missing == 0 ? 0 : 1;
}
