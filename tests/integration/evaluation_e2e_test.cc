// End to end through real processes: the registry, rotation and ledger
// binaries and the evaluation binary, all with a real redis-server on
// loopback: the bundled city imported through the public APIs evaluates
// exactly as the engine does on the same data; a changed school area
// reaches a watcher; a Redis outage fails no call and the watcher catches
// up; a restarted evaluation service resumes a watch without gaps.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "data/guangzhou/generator/dataset.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

namespace iv1 = ::gzedu::indicators::v1;
namespace rv1 = ::gzedu::registry::v1;
using gzedu::testing::RedisServer;
using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;

// Waits (polling, up to `seconds`) until `condition` holds.
bool Eventually(const std::function<bool()>& condition, int seconds = 30) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

// A WatchIndicators stream read on its own thread.
class WatchStream {
 public:
  WatchStream(iv1::IndicatorEvaluationService::Stub* stub, const iv1::WatchIndicatorsRequest& request) {
    reader_ = stub->WatchIndicators(&context_, request);
    thread_ = std::thread([this] {
      iv1::WatchIndicatorsResponse message;
      while (reader_->Read(&message)) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (message.has_update()) updates_.push_back(message.update());
      }
      std::lock_guard<std::mutex> lock(mutex_);
      ended_ = true;
    });
  }
  ~WatchStream() {
    context_.TryCancel();
    thread_.join();
  }
  std::vector<iv1::IndicatorUpdate> updates() {
    std::lock_guard<std::mutex> lock(mutex_);
    return updates_;
  }
  bool ended() {
    std::lock_guard<std::mutex> lock(mutex_);
    return ended_;
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<iv1::WatchIndicatorsResponse>> reader_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<iv1::IndicatorUpdate> updates_;
  bool ended_ = false;
};

// The value of an indicator in an update, if it is there.
std::optional<double> ValueIn(const iv1::IndicatorUpdate& update, const std::string& id, common::v1::Stage stage) {
  for (const iv1::IndicatorResult& r : update.indicators()) {
    if (r.indicator_id() == id && r.stage() == stage && r.has_value()) return r.value();
  }
  return std::nullopt;
}

class EvaluationEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_ = std::make_unique<ServerProcess>(GZEDU_REGISTRY_BINARY, dir_.path() + "/registry.db", Redis());
    rotation_ = std::make_unique<ServerProcess>(GZEDU_ROTATION_BINARY, dir_.path() + "/rotation.db", Redis());
    ledger_ = std::make_unique<ServerProcess>(GZEDU_LEDGER_BINARY, dir_.path() + "/ledger.db", Redis());
    StartEvaluation();
    registry_stub_ = rv1::SchoolRegistryService::NewStub(registry_->channel());
  }
  void TearDown() override {
    // Open connections would hold each graceful shutdown for its grace.
    stub_.reset();
    registry_stub_.reset();
    for (auto* server : {evaluation_.get(), ledger_.get(), rotation_.get(), registry_.get()}) {
      if (server != nullptr) server->Stop(SIGTERM);
    }
  }

  std::vector<std::string> Redis() const { return {"--redis=" + redis_.url()}; }

  void StartEvaluation() {
    evaluation_ = std::make_unique<ServerProcess>(
        GZEDU_EVALUATION_BINARY, dir_.path() + "/evaluation.db",
        std::vector<std::string>{"--redis=" + redis_.url(), "--registry=" + registry_->grpc_address(),
                                 "--rotation=" + rotation_->grpc_address(), "--ledger=" + ledger_->grpc_address(),
                                 "--poll-ms=500", "--watch-heartbeat-seconds=1"});
    stub_ = iv1::IndicatorEvaluationService::NewStub(evaluation_->channel());
  }

  // Imports a dataset directory through the public APIs with the CLI.
  void ImportBundle(const std::string& dir) {
    std::string out, err;
    ASSERT_EQ(gzedu::testing::RunCommand(
                  {GZEDU_CLI_BINARY, "import", "bundle", dir, "--quiet", "--registry=" + registry_->grpc_address(),
                   "--rotation=" + rotation_->grpc_address(), "--ledger=" + ledger_->grpc_address(),
                   "--evaluation=" + evaluation_->grpc_address()},
                  &out, &err),
              0)
        << out << err;
  }

  iv1::DistrictEvaluation Evaluate(const std::string& district) {
    iv1::EvaluateDistrictRequest request;
    request.set_district_code(district);
    request.set_school_year(2024);
    iv1::EvaluateDistrictResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub_->EvaluateDistrict(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.evaluation();
  }

  // Adds `m2` of teaching area to the primary section of a sample school.
  grpc::Status AddTeachingArea(const std::string& school_code, double m2, const std::string& request_id) {
    rv1::ListSchoolYearRecordsRequest list;
    list.set_district_code("440114");
    list.set_school_year(2024);
    list.set_page_size(1000);
    rv1::ListSchoolYearRecordsResponse records;
    {
      grpc::ClientContext context;
      const grpc::Status status = registry_stub_->ListSchoolYearRecords(&context, list, &records);
      if (!status.ok()) return status;
    }
    rv1::UpsertSchoolYearRecordsRequest upsert;
    upsert.set_request_id(request_id);
    for (const rv1::SchoolYearRecord& record : records.records()) {
      if (record.school_code() != school_code) continue;
      rv1::SchoolYearRecord changed = record;
      changed.mutable_facilities()->set_teaching_area_m2(record.facilities().teaching_area_m2() + m2);
      *upsert.add_records() = changed;
    }
    rv1::UpsertSchoolYearRecordsResponse response;
    grpc::ClientContext context;
    return registry_stub_->UpsertSchoolYearRecords(&context, upsert, &response);
  }

  std::string Metrics() { return gzedu::testing::HttpGet(evaluation_->metrics_address(), "/metrics"); }

  TempDir dir_;
  RedisServer redis_;
  std::unique_ptr<ServerProcess> registry_, rotation_, ledger_, evaluation_;
  std::unique_ptr<rv1::SchoolRegistryService::Stub> registry_stub_;
  std::unique_ptr<iv1::IndicatorEvaluationService::Stub> stub_;
};

const std::string kSamples = std::string(GZEDU_SOURCE_DIR) + "/data/sample";
const std::string kSampleSchool = "2144011401";  // a Huadu primary school of the samples

TEST_F(EvaluationEndToEndTest, TheImportedCityEvaluatesAsTheEngineDoesOnTheSameData) {
  ImportBundle(std::string(GZEDU_SOURCE_DIR) + "/data/guangzhou");
  iv1::EvaluateCityRequest request;
  request.set_school_year(2024);
  iv1::EvaluateCityResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub_->EvaluateCity(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::vector<dataset::GeneratedDistrict> city = dataset::BuildCity();
  ASSERT_EQ(response.evaluations_size(), static_cast<int>(city.size()));
  for (size_t d = 0; d < city.size(); ++d) {
    const engine::DistrictEvaluation direct = engine::Evaluate(city[d].input);
    const iv1::DistrictEvaluation& served = response.evaluations(static_cast<int>(d));
    SCOPED_TRACE(served.district_code());
    ASSERT_EQ(served.district_code(), direct.district_code);
    EXPECT_EQ(static_cast<int>(served.verdict()), static_cast<int>(direct.verdict) + 1);
    EXPECT_EQ(std::vector<std::string>(served.failing_indicators().begin(), served.failing_indicators().end()),
              direct.failing_indicators);
    ASSERT_EQ(served.indicators_size(), static_cast<int>(direct.indicators.size()));
    for (size_t i = 0; i < direct.indicators.size(); ++i) {
      const engine::IndicatorResult& want = direct.indicators[i];
      const iv1::IndicatorResult& got = served.indicators(static_cast<int>(i));
      SCOPED_TRACE(want.indicator_id);
      EXPECT_EQ(got.indicator_id(), want.indicator_id);
      EXPECT_EQ(static_cast<int>(got.verdict()), static_cast<int>(want.verdict) + 1);
      ASSERT_EQ(got.has_value(), want.value.has_value());
      if (want.value) {
        EXPECT_NEAR(got.value(), *want.value, 1e-9 * std::max(1.0, std::fabs(*want.value)));
      }
      if (want.cv_actual) {
        EXPECT_NEAR(got.cv_actual(), *want.cv_actual, 1e-9);
      }
    }
  }
  // Huadu's CVs are those it published, within 0.03 (R4 primary 0.446).
  for (const iv1::IndicatorResult& r : response.evaluations(7).indicators()) {
    if (r.indicator_id() == "R4" && r.stage() == common::v1::STAGE_PRIMARY) {
      EXPECT_NEAR(r.cv_actual(), 0.446, 0.03);
    }
  }
  EXPECT_NE(Metrics().find("gzedu_indicator_meets_standard{district=\"440114\",indicator=\"G4\",stage=\"\"} 0"),
            std::string::npos);
}

TEST_F(EvaluationEndToEndTest, AChangedSchoolAreaReachesTheWatcherAsTheChangedIndicator) {
  ImportBundle(kSamples);
  const iv1::DistrictEvaluation before = Evaluate("440114");
  std::optional<double> r4_before;
  for (const iv1::IndicatorResult& r : before.indicators()) {
    if (r.indicator_id() == "R4" && r.stage() == common::v1::STAGE_PRIMARY) r4_before = r.value();
  }
  ASSERT_TRUE(r4_before.has_value());
  iv1::WatchIndicatorsRequest request;
  request.add_district_codes("440114");
  request.add_indicator_ids("R4");
  request.set_school_year(2024);
  request.set_resume_after_version(before.snapshot_version());
  WatchStream watch(stub_.get(), request);
  ASSERT_TRUE(AddTeachingArea(kSampleSchool, 3000, "more-area-1").ok());
  ASSERT_TRUE(Eventually([&] { return !watch.updates().empty(); })) << "no update reached the watcher";
  const iv1::IndicatorUpdate update = watch.updates()[0];
  EXPECT_GT(update.version(), before.snapshot_version());
  const std::optional<double> r4_after = ValueIn(update, "R4", common::v1::STAGE_PRIMARY);
  ASSERT_TRUE(r4_after.has_value());
  EXPECT_GT(*r4_after, *r4_before);
  for (const iv1::IndicatorResult& r : update.indicators()) EXPECT_EQ(r.indicator_id(), "R4");
  // The stored snapshot agrees with what was pushed.
  const iv1::DistrictEvaluation after = Evaluate("440114");
  for (const iv1::IndicatorResult& r : after.indicators()) {
    if (r.indicator_id() == "R4" && r.stage() == common::v1::STAGE_PRIMARY) {
      EXPECT_DOUBLE_EQ(r.value(), *r4_after);
    }
  }
}

TEST_F(EvaluationEndToEndTest, ARedisOutageFailsNoCallAndTheWatcherCatchesUpWhenItReturns) {
  ImportBundle(kSamples);
  const iv1::DistrictEvaluation before = Evaluate("440114");
  iv1::WatchIndicatorsRequest request;
  request.add_district_codes("440114");
  request.set_school_year(2024);
  request.set_resume_after_version(before.snapshot_version());
  WatchStream watch(stub_.get(), request);
  ASSERT_TRUE(Eventually([&] { return Metrics().find("gzedu_redis_connected 1") != std::string::npos; }));

  redis_.Stop();
  // Writes, reads and evaluations all answer from the stores.
  ASSERT_TRUE(AddTeachingArea(kSampleSchool, 1000, "during-outage").ok());
  const iv1::DistrictEvaluation during = Evaluate("440114");
  EXPECT_GT(during.snapshot_version(), before.snapshot_version());
  iv1::GetEvaluationRequest get;
  get.set_district_code("440114");
  get.set_school_year(2024);
  iv1::GetEvaluationResponse stored;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetEvaluation(&context, get, &stored).ok());
  EXPECT_TRUE(Eventually([&] { return !watch.updates().empty(); })) << "the change made during the outage";
  EXPECT_TRUE(Eventually([&] { return Metrics().find("gzedu_redis_connected 0") != std::string::npos; }));

  redis_.Start();
  const size_t seen = watch.updates().size();
  ASSERT_TRUE(AddTeachingArea(kSampleSchool, 1000, "after-outage").ok());
  EXPECT_TRUE(Eventually([&] { return watch.updates().size() > seen; })) << "the change made after Redis returned";
  EXPECT_TRUE(Eventually([&] { return Metrics().find("gzedu_redis_connected 1") != std::string::npos; }));
  std::vector<int64_t> versions;
  for (const iv1::IndicatorUpdate& u : watch.updates()) versions.push_back(u.version());
  EXPECT_TRUE(std::is_sorted(versions.begin(), versions.end()));
  EXPECT_FALSE(watch.ended());
}

TEST_F(EvaluationEndToEndTest, ARestartedEvaluationServiceResumesAWatchWithoutGaps) {
  ImportBundle(kSamples);
  int64_t last_seen = 0;
  {
    const iv1::DistrictEvaluation before = Evaluate("440114");
    iv1::WatchIndicatorsRequest request;
    request.add_district_codes("440114");
    request.set_resume_after_version(before.snapshot_version());
    WatchStream watch(stub_.get(), request);
    ASSERT_TRUE(AddTeachingArea(kSampleSchool, 500, "before-restart").ok());
    ASSERT_TRUE(Eventually([&] { return !watch.updates().empty(); }));
    last_seen = watch.updates().back().version();
  }
  stub_.reset();
  evaluation_->Stop(SIGTERM);
  // Two changes while the evaluation service is down.
  ASSERT_TRUE(AddTeachingArea(kSampleSchool, 500, "while-down-1").ok());
  ASSERT_TRUE(AddTeachingArea("2144011402", 500, "while-down-2").ok());
  StartEvaluation();

  iv1::WatchIndicatorsRequest request;
  request.add_district_codes("440114");
  request.set_resume_after_version(last_seen);
  WatchStream resumed(stub_.get(), request);
  // The restarted service catches up from the change feeds; the resumed
  // watch gets exactly the updates after the last one seen, up to one
  // that includes both changes made while the service was down.
  rv1::ListChangesRequest changes;
  changes.set_since_version(1 << 30);
  rv1::ListChangesResponse latest;
  grpc::ClientContext context;
  ASSERT_TRUE(registry_stub_->ListChanges(&context, changes, &latest).ok());
  ASSERT_TRUE(Eventually([&] {
    const std::vector<iv1::IndicatorUpdate> updates = resumed.updates();
    return !updates.empty() && updates.back().input_versions().registry_version() >= latest.latest_version();
  })) << "no update after the restart";
  int64_t previous = last_seen;
  for (const iv1::IndicatorUpdate& u : resumed.updates()) {
    EXPECT_GT(u.version(), previous) << "an update repeated or out of order";
    previous = u.version();
  }
}

// Two evaluation replicas on one PostgreSQL database. Replica B cannot reach
// the sources, so it cannot compute anything itself: every update its
// watchers get was computed and stored by replica A, and reached B through
// the shared update log.
TEST_F(EvaluationEndToEndTest, AnUpdateOneReplicaComputedReachesTheOtherReplicasWatchers) {
  const std::string database = gzedu::testing::FreshPostgresDatabase();
  // No Redis for A: the fixture's own evaluation service caches snapshots
  // there under the same keys (same sources), with its own version numbers.
  ServerProcess a(GZEDU_EVALUATION_BINARY, database,
                  {"--registry=" + registry_->grpc_address(), "--rotation=" + rotation_->grpc_address(),
                   "--ledger=" + ledger_->grpc_address(), "--poll-ms=300", "--watch-heartbeat-seconds=1"});
  ServerProcess b(GZEDU_EVALUATION_BINARY, database,
                  {"--registry=127.0.0.1:9", "--rotation=127.0.0.1:9", "--ledger=127.0.0.1:9", "--poll-ms=300",
                   "--watch-heartbeat-seconds=1"});
  std::string out, err;
  ASSERT_EQ(
      gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "import", "bundle", kSamples, "--quiet",
                                  "--registry=" + registry_->grpc_address(), "--rotation=" + rotation_->grpc_address(),
                                  "--ledger=" + ledger_->grpc_address(), "--evaluation=" + a.grpc_address()},
                                 &out, &err),
      0)
      << out << err;
  auto on_a = iv1::IndicatorEvaluationService::NewStub(a.channel());
  auto on_b = iv1::IndicatorEvaluationService::NewStub(b.channel());
  iv1::EvaluateDistrictRequest evaluate;
  evaluate.set_district_code("440114");
  evaluate.set_school_year(2024);
  // Wait until A has followed the whole import (the snapshot stops moving).
  iv1::EvaluateDistrictResponse before;
  int64_t previous = -1;
  for (int i = 0; i < 40 && before.evaluation().snapshot_version() != previous; ++i) {
    previous = before.evaluation().snapshot_version();
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    grpc::ClientContext context;
    ASSERT_TRUE(on_a->EvaluateDistrict(&context, evaluate, &before).ok());
  }
  iv1::WatchIndicatorsRequest live;
  live.add_district_codes("440114");
  live.add_indicator_ids("R4");
  WatchStream live_on_b(on_b.get(), live);
  iv1::WatchIndicatorsRequest resuming = live;
  resuming.set_resume_after_version(before.evaluation().snapshot_version());
  WatchStream resumed_on_b(on_b.get(), resuming);
  ASSERT_TRUE(Eventually([&] {
    return gzedu::testing::HttpGet(b.metrics_address(), "/metrics").find("gzedu_watch_subscribers 2") !=
           std::string::npos;
  })) << "the two watches did not register on replica B";

  ASSERT_TRUE(AddTeachingArea(kSampleSchool, 3000, "more-area-replicas").ok());
  // The updates carrying the write's new R4 primary value. An update from
  // the import's tail that A was still storing may come first (it carries
  // no R4 primary change): it is not this write's.
  auto from_the_write = [](WatchStream& watch) {
    std::vector<int64_t> versions;
    for (const iv1::IndicatorUpdate& u : watch.updates()) {
      if (ValueIn(u, "R4", common::v1::STAGE_PRIMARY).has_value()) versions.push_back(u.version());
    }
    return versions;
  };
  for (WatchStream* watch : {&live_on_b, &resumed_on_b}) {
    ASSERT_TRUE(Eventually([&] { return !from_the_write(*watch).empty(); })) << "no update reached replica B's watcher";
    EXPECT_GT(from_the_write(*watch)[0], before.evaluation().snapshot_version());
  }
  // Exactly once each, and the same update on both: no second copy arrives
  // within three more log polls.
  std::this_thread::sleep_for(std::chrono::milliseconds(900));
  auto versions = [](WatchStream& watch) {
    std::string text;
    for (const iv1::IndicatorUpdate& u : watch.updates()) text += " " + std::to_string(u.version());
    return text;
  };
  ASSERT_EQ(from_the_write(live_on_b).size(), 1u) << "versions:" << versions(live_on_b);
  ASSERT_EQ(from_the_write(resumed_on_b).size(), 1u) << "versions:" << versions(resumed_on_b);
  EXPECT_EQ(from_the_write(live_on_b)[0], from_the_write(resumed_on_b)[0]);
  // Every update B's watchers got is delivered once.
  for (WatchStream* watch : {&live_on_b, &resumed_on_b}) {
    std::set<int64_t> seen;
    for (const iv1::IndicatorUpdate& u : watch->updates())
      EXPECT_TRUE(seen.insert(u.version()).second) << versions(*watch);
  }
  // Replica B reads the snapshot replica A stored.
  iv1::GetEvaluationRequest get;
  get.set_district_code("440114");
  get.set_school_year(2024);
  iv1::GetEvaluationResponse stored;
  grpc::ClientContext context;
  ASSERT_TRUE(on_b->GetEvaluation(&context, get, &stored).ok());
  EXPECT_GE(stored.evaluation().snapshot_version(), from_the_write(live_on_b)[0]);
  on_a.reset();
  on_b.reset();
  a.Stop(SIGTERM);
  b.Stop(SIGTERM);
}

// One request followed through every service's log: the evaluation service
// passes its caller's x-request-id on to the sources it reads, and their
// log lines of those calls name it. (The sources log at debug so that their
// change-feed reads, which are debug lines when nothing changed, show too.)
TEST(RequestIdAcrossServicesTest, TheSourcesLogLinesOfAnEvaluationNameTheCallersRequestId) {
  TempDir dir;
  const std::vector<std::string> debug = {"--log-level=debug"};
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db", debug);
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir.path() + "/rotation.db", debug);
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir.path() + "/ledger.db", debug);
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir.path() + "/evaluation.db",
                           {"--registry=" + registry.grpc_address(), "--rotation=" + rotation.grpc_address(),
                            "--ledger=" + ledger.grpc_address()});
  std::string out, err;
  ASSERT_EQ(
      gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "import", "bundle", kSamples, "--quiet",
                                  "--registry=" + registry.grpc_address(), "--rotation=" + rotation.grpc_address(),
                                  "--ledger=" + ledger.grpc_address(), "--evaluation=" + evaluation.grpc_address()},
                                 &out, &err),
      0)
      << out << err;

  const std::string request_id = "trace-evaluate-440114";
  auto stub = iv1::IndicatorEvaluationService::NewStub(evaluation.channel());
  iv1::EvaluateDistrictRequest request;
  request.set_district_code("440114");
  request.set_school_year(2024);
  iv1::EvaluateDistrictResponse response;
  grpc::ClientContext context;
  context.AddMetadata("x-request-id", request_id);
  const grpc::Status status = stub->EvaluateDistrict(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  const std::string named = "\"request_id\":\"" + request_id + "\"";
  for (ServerProcess* source : {&registry, &rotation, &ledger}) {
    const std::string& log = source->process().stderr_text();
    size_t rpc_lines = 0;
    for (size_t at = log.find(named); at != std::string::npos; at = log.find(named, at + 1)) {
      const size_t begin = log.rfind('\n', at) == std::string::npos ? 0 : log.rfind('\n', at) + 1;
      if (log.substr(begin, log.find('\n', at) - begin).find("\"msg\":\"rpc\"") != std::string::npos) ++rpc_lines;
    }
    EXPECT_GT(rpc_lines, 0u) << log.substr(log.size() > 4000 ? log.size() - 4000 : 0);
  }
  stub.reset();
  for (ServerProcess* server : {&evaluation, &ledger, &rotation, &registry}) EXPECT_EQ(server->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace gzedu
