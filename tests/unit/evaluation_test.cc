// The evaluation service's domain: district returns, scenarios, change
// detection, the watch hub, the evaluation use cases and the change
// follower, against the in-memory repository and a fake source reader.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/support/byte_buffer.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/indicator_evaluation/domain/change_follower.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/grpc/cached_snapshots.h"
#include "services/indicator_evaluation/grpc/conversions.h"
#include "services/indicator_evaluation/grpc/encoded_snapshots.h"
#include "services/indicator_evaluation/storage/in_memory_evaluation_repository.h"
#include "tests/support/district_builder.h"
#include "tests/support/evaluation_fakes.h"

namespace gzedu::indicators {
namespace {

using gzedu::testing::FakeSourceReader;

bool HasViolation(const FieldViolations& violations, const std::string& field) {
  for (const FieldViolation& v : violations.list()) {
    if (v.field == field) return true;
  }
  return false;
}

// A small district whose resources all meet: 3 primary schools.
engine::DistrictInput SmallDistrict(const std::string& code = "440114", double teaching_area_m2 = 6000) {
  engine::DistrictInput input;
  input.district_code = code;
  input.school_year = 2024;
  gzedu::testing::AddSchools(input, engine::SchoolType::kPrimary, 3);
  for (engine::SchoolInput& school : input.schools) {
    engine::SectionInput& s = school.sections[0];
    s.students = 1000;
    s.classes = 25;
    s.class_sizes.assign(25, 40);
    s.teachers = {60, 60, 15, 12, 60, 60};
    s.facilities = engine::Facilities{teaching_area_m2, 9000, 300000000, 30};
  }
  return input;
}

int64_t NowMs() { return 1700000000000; }

TEST(DistrictReturnTest, ListsEveryViolation) {
  DistrictReturn r;
  r.district_code = "440199";
  r.school_year = 1999;
  r.facts.quota_total_places = 100;
  r.facts.quota_allocated_places = 120;
  r.facts.disabled_school_age_children = -1;
  r.facts.social_recognition_percent = 101;
  r.attestations = {{"G1", {true, "", "", "2024-13-01", "bureau"}},
                    {"G1", {true, "doc", "", "", "bureau"}},
                    {"Z9", {false, "", "", "", ""}}};
  r.vetoes = {{"", "evidence"}, {"key_classes", ""}};
  FieldViolations violations;
  ValidateDistrictReturn(r, "returns[0]", violations);
  EXPECT_TRUE(HasViolation(violations, "returns[0].district_code"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].school_year"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].facts.quota_allocated_places"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].facts.disabled_school_age_children"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].facts.social_recognition_percent"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].attestations[0].date"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].attestations[0].document"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].attestations[1].indicator_id"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].attestations[2].indicator_id"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].vetoes[0].kind"));
  EXPECT_FALSE(HasViolation(violations, "returns[0].vetoes[0].evidence"));
  EXPECT_TRUE(HasViolation(violations, "returns[0].vetoes[1].evidence"));  // a veto needs its evidence
}

std::string ViolationAt(const FieldViolations& violations, const std::string& field) {
  for (const FieldViolation& v : violations.list()) {
    if (v.field == field) return v.description;
  }
  return "";
}

TEST(DistrictReturnTest, RefusesEveryNumeratorAboveItsDenominator) {
  DistrictReturn r;
  r.district_code = "440114";
  r.school_year = 2024;
  engine::DistrictFacts& f = r.facts;
  f.zoned_admission_junior = 6901;
  f.admission_junior_total = 6900;
  f.quota_total_places = 4228;
  f.quota_hk_macao_class_places = 4229;
  f.migrant_children_eligible = 74762;
  f.migrant_children_in_public_schools = 37458;
  f.migrant_children_in_purchased_places = 37305;
  f.junior_cohort_enrolled = 18061;
  f.junior_transferred_in = 210;
  f.junior_transferred_out = 420;
  f.junior_deaths = 11;
  f.junior_graduates = 17841;
  f.disabled_school_age_children = 642;
  f.disabled_deferred = 25;
  f.disabled_enrolled = 618;
  f.operating_budget_fen = 100000;
  f.training_budget_fen = 100001;
  FieldViolations violations;
  ValidateDistrictReturn(r, "returns[0]", violations);
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.zoned_admission_junior"),
            "zoned_admission_junior (6901) is more than admission_junior_total (6900)");
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.quota_hk_macao_class_places"),
            "quota_hk_macao_class_places (4229) is more than quota_total_places (4228)");
  EXPECT_NE(ViolationAt(violations, "returns[0].facts.migrant_children_in_public_schools").find("(74763)"),
            std::string::npos);
  EXPECT_NE(ViolationAt(violations, "returns[0].facts.junior_graduates").find("= 17840"), std::string::npos);
  EXPECT_NE(ViolationAt(violations, "returns[0].facts.disabled_enrolled").find("(643)"), std::string::npos);
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.training_budget_fen"),
            "the training budget (1000.01 yuan) is more than operating_budget_fen (1000 yuan)");
  EXPECT_EQ(violations.size(), 6u);
}

TEST(DistrictReturnTest, RefusesValuesBeyondTheDocumentedBoundsNamingThem) {
  DistrictReturn r;
  r.district_code = "440114";
  r.school_year = 2024;
  r.facts.migrant_children_eligible = 50000001;
  r.facts.operating_budget_fen = 100000000000001;
  r.facts.teacher_average_pay_yuan = 0;
  r.facts.civil_servant_average_pay_yuan = 100000000.01;
  r.facts.monitoring_difference_rate = -0.1;
  FieldViolations violations;
  ValidateDistrictReturn(r, "returns[0]", violations);
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.migrant_children_eligible"),
            "50000001 is above the limit of 50000000 people (a district's whole population)");
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.operating_budget_fen"),
            "1000000000000.01 yuan is above the limit of 1000000000000 yuan (10^12 yuan) for any one amount");
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.teacher_average_pay_fen"), "0 must be an average pay > 0");
  EXPECT_EQ(ViolationAt(violations, "returns[0].facts.civil_servant_average_pay_fen"),
            "100000000.01 is above the limit of 100000000 yuan of average pay");
  EXPECT_NE(ViolationAt(violations, "returns[0].facts.monitoring_difference_rate").find("from 0 to 1"),
            std::string::npos);
  EXPECT_EQ(violations.size(), 5u);
}

TEST(DistrictReturnTest, SurvivesTheContractMessageUnchanged) {
  DistrictReturn r;
  r.district_code = "440114";
  r.school_year = 2024;
  r.facts.teacher_average_pay_yuan = 24165.5;
  r.facts.quota_total_places = 4228;
  r.facts.monitoring_difference_rate = 0.12;
  r.facts.left_behind_care_system = false;
  r.attestations = {{"Q3", {true, "doc 1", "https://example.org", "2024-05-01", "bureau"}}};
  r.vetoes = {{"falsified_data", "audit 2024-3"}};
  v1::DistrictReturn message;
  ToProto(r, &message);
  EXPECT_EQ(message.facts().teacher_average_pay_fen(), 2416550);
  EXPECT_FALSE(message.facts().has_junior_graduates());
  EXPECT_TRUE(FromProto(message).SameContent(r));
}

TEST(ScenarioTest, ScalesEnrolmentAndRejectsChangesThatCannotApply) {
  engine::DistrictInput input = SmallDistrict();
  FieldViolations violations;
  ApplyScenario({EnrolmentChange{10, Stage::kPrimary, ""}}, &input, violations);
  EXPECT_TRUE(violations.empty());
  EXPECT_EQ(input.schools[0].sections[0].students, 1100);
  int32_t sum = 0;
  for (int32_t size : input.schools[0].sections[0].class_sizes) sum += size;
  EXPECT_EQ(sum, 1100);

  TeacherChange remove;
  remove.school_code = input.schools[1].school_code;
  remove.delta.full_time = -100;
  ApplyScenario({remove, EnrolmentChange{-150, std::nullopt, ""}, TeacherChange{"9999999999", Stage::kJunior, {}}},
                &input, violations);
  EXPECT_TRUE(HasViolation(violations, "changes[0].teachers.full_time_teachers"));
  EXPECT_TRUE(HasViolation(violations, "changes[1].enrolment.percent"));
  EXPECT_TRUE(HasViolation(violations, "changes[2].teachers.school_code"));
}

TEST(ChangedIndicatorsTest, ReportsOnlyIndicatorsWhoseValueOrVerdictMoved) {
  const engine::DistrictEvaluation before = engine::Evaluate(SmallDistrict("440114", 6000));
  const engine::DistrictEvaluation same = engine::Evaluate(SmallDistrict("440114", 6000));
  EXPECT_TRUE(ChangedIndicators(&before, same).empty());
  const engine::DistrictEvaluation after = engine::Evaluate(SmallDistrict("440114", 6600));
  const std::vector<engine::IndicatorResult> changed = ChangedIndicators(&before, after);
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].indicator_id, "R4");
  EXPECT_DOUBLE_EQ(*changed[0].value, 6.6);
  EXPECT_EQ(ChangedIndicators(nullptr, after).size(), after.indicators.size());
}

// Collects what a watcher receives, by popping as a transport would.
class Collector {
 public:
  std::function<void()> OnReady() {
    return [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      cv_.notify_all();
    };
  }
  // Pops everything queued until `count` messages arrived or 5 s passed.
  std::vector<std::shared_ptr<const WatchMessage>> Take(Watcher& watcher, size_t count) {
    std::vector<std::shared_ptr<const WatchMessage>> out;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      while (auto message = watcher.Pop()) out.push_back(*message);
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait_for(lock, std::chrono::milliseconds(20));
    }
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
};

IndicatorUpdate Update(int64_t version, const std::string& district, std::vector<std::string> ids) {
  IndicatorUpdate u;
  u.version = version;
  u.district_code = district;
  u.school_year = 2024;
  for (const std::string& id : ids) {
    engine::IndicatorResult r;
    r.indicator_id = id;
    r.value = static_cast<double>(version);
    u.indicators.push_back(r);
  }
  return u;
}

// Stores an update in the repository the way the service does (snapshot
// first) and returns its version.
int64_t StoreUpdate(InMemoryEvaluationRepository& repository, IndicatorUpdate update) {
  Snapshot s;
  s.district_code = update.district_code;
  s.school_year = update.school_year;
  s.conventions_key = "strict";
  EXPECT_TRUE(repository.PutSnapshot(s, &update).ok());
  return update.version;
}

TEST(WatchHubTest, DeliversMatchingUpdatesFilteredByDistrictAndIndicator) {
  InMemoryEvaluationRepository repository;
  WatchHub hub(&repository, {}, NowMs);
  Collector all, huadu_r4;
  WatchFilter r4;
  r4.district_codes = {"440114"};
  r4.indicator_ids = {"R4"};
  auto w_all = hub.Subscribe({}, all.OnReady());
  auto w_r4 = hub.Subscribe(r4, huadu_r4.OnReady());
  hub.Publish(Update(1, "440103", {"R4"}));
  hub.Publish(Update(2, "440114", {"G5", "R4"}));
  hub.Publish(Update(3, "440114", {"G5"}));
  const auto got_all = all.Take(*w_all, 3);
  const auto got_r4 = huadu_r4.Take(*w_r4, 1);
  ASSERT_EQ(got_all.size(), 3u);
  ASSERT_EQ(got_r4.size(), 1u);
  const auto& update = std::get<IndicatorUpdate>(got_r4[0]->event);
  EXPECT_EQ(update.version, 2);
  ASSERT_EQ(update.indicators.size(), 1u);
  EXPECT_EQ(update.indicators[0].indicator_id, "R4");
  EXPECT_EQ(hub.watcher_count(), 2u);
}

TEST(WatchHubTest, ResumesFromTheLogWithoutGapsOrRepeats) {
  InMemoryEvaluationRepository repository;
  for (int64_t v = 1; v <= 5; ++v) StoreUpdate(repository, Update(0, "440114", {"R1"}));
  WatchHub hub(&repository, {}, NowMs);
  Collector collector;
  WatchFilter filter;
  filter.resume_after_version = 2;
  auto watcher = hub.Subscribe(filter, collector.OnReady());
  // Version 5 is both in the log and published live: delivered once.
  hub.Publish(Update(5, "440114", {"R1"}));
  const int64_t six = StoreUpdate(repository, Update(0, "440114", {"R1"}));
  hub.Publish(Update(six, "440114", {"R1"}));
  const auto got = collector.Take(*watcher, 4);
  std::vector<int64_t> versions;
  for (const auto& m : got) versions.push_back(std::get<IndicatorUpdate>(m->event).version);
  EXPECT_EQ(versions, (std::vector<int64_t>{3, 4, 5, 6}));
}

// Updates another replica stored (so never published here) reach this
// hub's watchers from the log, in order, before a later local one; and a
// watcher registering between a commit and its publication does not make the
// earlier watchers miss it.
TEST(WatchHubTest, UpdatesStoredElsewhereArriveFromTheLogInOrderAndNoneIsLost) {
  InMemoryEvaluationRepository repository;
  WatchHub::Options options;
  options.log_poll_interval = std::chrono::milliseconds(20);
  WatchHub hub(&repository, options, NowMs);
  Collector first;
  auto w_first = hub.Subscribe({}, first.OnReady());
  // A local update first: once it arrives, the watcher is registered.
  const int64_t local = StoreUpdate(repository, Update(0, "440114", {"R1"}));
  hub.Publish(Update(local, "440114", {"R1"}));
  ASSERT_EQ(first.Take(*w_first, 1).size(), 1u);
  const int64_t elsewhere = StoreUpdate(repository, Update(0, "440114", {"R1"}));  // another replica's
  const auto from_log = first.Take(*w_first, 1);
  ASSERT_EQ(from_log.size(), 1u) << "the log was not read";
  EXPECT_EQ(std::get<IndicatorUpdate>(from_log[0]->event).version, elsewhere);
  const int64_t two = StoreUpdate(repository, Update(0, "440114", {"R2"}));    // stored elsewhere, not published
  const int64_t three = StoreUpdate(repository, Update(0, "440114", {"R3"}));  // ours: committed, not yet published
  Collector late;
  auto w_late = hub.Subscribe({}, late.OnReady());  // registers in between
  hub.Publish(Update(three, "440114", {"R3"}));
  std::vector<int64_t> versions;
  for (const auto& m : first.Take(*w_first, 2)) versions.push_back(std::get<IndicatorUpdate>(m->event).version);
  EXPECT_EQ(versions, (std::vector<int64_t>{two, three}));
  EXPECT_GT(two, elsewhere);
  const int64_t four = StoreUpdate(repository, Update(0, "440114", {"R4"}));
  hub.Publish(Update(four, "440114", {"R4"}));
  const auto late_got = late.Take(*w_late, 1);
  ASSERT_EQ(late_got.size(), 1u);
  EXPECT_EQ(std::get<IndicatorUpdate>(late_got[0]->event).version, four);  // nothing from before it came
}

TEST(WatchHubTest, ASlowWatcherIsToldToResynchroniseAndNeverSlowsTheOthers) {
  InMemoryEvaluationRepository repository;
  WatchHub::Options options;
  options.queue_capacity = 4;
  WatchHub hub(&repository, options, NowMs);
  Collector slow, fast;
  auto w_slow = hub.Subscribe({}, slow.OnReady());
  auto w_fast = hub.Subscribe({}, fast.OnReady());
  std::vector<int64_t> fast_versions;
  for (int64_t v = 1; v <= 20; ++v) {
    hub.Publish(Update(v, "440114", {"R1"}));
    for (const auto& m : fast.Take(*w_fast, 1)) fast_versions.push_back(std::get<IndicatorUpdate>(m->event).version);
  }
  EXPECT_EQ(fast_versions.size(), 20u);
  const auto got = slow.Take(*w_slow, 1);
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<ResyncRequired>(got[0]->event));
  EXPECT_EQ(std::get<ResyncRequired>(got[0]->event).last_delivered_version, 0);
  EXPECT_TRUE(w_slow->Done());
  EXPECT_FALSE(w_fast->Done());
}

TEST(WatchHubTest, AWatcherArrivingAfterShutdownIsToldToResumeElsewhere) {
  InMemoryEvaluationRepository repository;
  WatchHub hub(&repository, {}, NowMs);
  hub.Shutdown();
  bool called = false;
  auto watcher = hub.Subscribe({}, [&called] { called = true; });
  EXPECT_FALSE(called);
  const auto message = watcher->Pop();
  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(std::holds_alternative<ResyncRequired>((*message)->event));
  EXPECT_TRUE(watcher->Done());
}

TEST(WatchHubTest, SendsHeartbeatsToIdleWatchersAndTheInitialStateFirst) {
  InMemoryEvaluationRepository repository;
  Snapshot s;
  s.district_code = "440114";
  s.school_year = 2024;
  s.conventions_key = "strict";
  s.evaluation = engine::Evaluate(SmallDistrict());
  ASSERT_TRUE(repository.PutSnapshot(s, nullptr).ok());
  WatchHub::Options options;
  options.heartbeat_interval = std::chrono::milliseconds(50);
  WatchHub hub(&repository, options, NowMs);
  Collector collector;
  WatchFilter filter;
  filter.initial_state = true;
  filter.indicator_ids = {"R4", "G5"};
  auto watcher = hub.Subscribe(filter, collector.OnReady());
  const auto got = collector.Take(*watcher, 2);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<IndicatorUpdate>(got[0]->event));
  EXPECT_TRUE(got[0]->initial_state);
  EXPECT_EQ(std::get<IndicatorUpdate>(got[0]->event).indicators.size(), 3u);  // R4 primary, R4 junior, G5
  EXPECT_TRUE(std::holds_alternative<Heartbeat>(got[1]->event));
  EXPECT_EQ(std::get<Heartbeat>(got[1]->event).latest_version, 1);
}

class IndicatorEvaluationTest : public ::testing::Test {
 protected:
  IndicatorEvaluationTest() : hub_(&repository_, {}, NowMs), evaluation_(&repository_, &sources_, &hub_, NowMs) {
    sources_.Set(SmallDistrict("440114", 6000));
  }
  InMemoryEvaluationRepository repository_;
  FakeSourceReader sources_;
  WatchHub hub_;
  IndicatorEvaluation evaluation_;
};

TEST_F(IndicatorEvaluationTest, ServesTheStoredSnapshotUntilAnInputVersionMoves) {
  absl::StatusOr<Snapshot> first = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(sources_.reads(), 1);
  absl::StatusOr<Snapshot> again = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(sources_.reads(), 1);
  EXPECT_EQ(again->version, first->version);
  sources_.Set(SmallDistrict("440114", 6600));
  sources_.Change("registry", "440114", 2024);
  absl::StatusOr<Snapshot> changed = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(sources_.reads(), 2);
  EXPECT_GT(changed->version, first->version);
  EXPECT_EQ(changed->input_versions.registry_version, 1);
  // The update log holds the first evaluation (everything) and then R4 only.
  absl::StatusOr<std::vector<IndicatorUpdate>> updates = repository_.UpdatesSince(0, 10);
  ASSERT_TRUE(updates.ok());
  ASSERT_EQ(updates->size(), 2u);
  ASSERT_EQ((*updates)[1].indicators.size(), 1u);
  EXPECT_EQ((*updates)[1].indicators[0].indicator_id, "R4");
}

TEST_F(IndicatorEvaluationTest, RefusesToEvaluateDataThatCannotBeTrueTogether) {
  // Each source accepted its part, but the rotation service counts more
  // qualified teachers than the section has full-time ones, and the ledger
  // a training budget above the operating budget.
  engine::DistrictInput input = SmallDistrict("440114", 6000);
  input.schools[1].sections[0].teachers->above_required_qualification = 61;
  input.schools[2].funding.operating_budget_fen = 100000;
  input.schools[2].funding.training_budget_fen = 100001;
  sources_.Set(input);
  absl::StatusOr<Snapshot> snapshot = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_EQ(snapshot.status().code(), absl::StatusCode::kFailedPrecondition) << snapshot.status();
  const std::vector<FieldViolation> violations = GetFieldViolations(snapshot.status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field,
            "schools[" + input.schools[1].school_code + "].sections[0].teachers.above_required_qualification");
  EXPECT_EQ(violations[1].field, "schools[" + input.schools[2].school_code + "].funding.training_budget_fen");
  EXPECT_TRUE(repository_.UpdatesSince(0, 10)->empty());
  // The change follower's refresh passes over it rather than stalling.
  EXPECT_TRUE(evaluation_.Refresh("440114", 2024).ok());
}

TEST_F(IndicatorEvaluationTest, TheCityRefusalNamesEveryDistrictWhoseDataCannotBeTrue) {
  // Two districts (one with two problems, one with one) whose data cannot
  // be true; the other nine evaluate (empty, so incomplete).
  engine::DistrictInput huadu = SmallDistrict("440114", 6000);
  huadu.schools[1].sections[0].teachers->above_required_qualification = 61;
  huadu.schools[2].funding.operating_budget_fen = 100000;
  huadu.schools[2].funding.training_budget_fen = 100001;
  sources_.Set(huadu);
  engine::DistrictInput liwan = SmallDistrict("440103", 6000);
  liwan.schools[0].funding.operating_budget_fen = 100000;
  liwan.schools[0].funding.training_budget_fen = 200000;
  sources_.Set(liwan);
  absl::StatusOr<std::vector<Snapshot>> city = evaluation_.EvaluateCity(2024, {});
  ASSERT_EQ(city.status().code(), absl::StatusCode::kFailedPrecondition) << city.status();
  EXPECT_NE(city.status().message().find("the data of 2 districts year 2024 cannot be true: 440103 (1 problem), "
                                         "440114 (2 problems)"),
            absl::string_view::npos)
      << city.status();
  const std::vector<FieldViolation> violations = GetFieldViolations(city.status());
  ASSERT_EQ(violations.size(), 3u);
  EXPECT_EQ(violations[0].field,
            "districts[440103].schools[" + liwan.schools[0].school_code + "].funding.training_budget_fen");
  EXPECT_EQ(violations[1].field, "districts[440114].schools[" + huadu.schools[1].school_code +
                                     "].sections[0].teachers.above_required_qualification");
  EXPECT_EQ(violations[2].field,
            "districts[440114].schools[" + huadu.schools[2].school_code + "].funding.training_budget_fen");
  EXPECT_NE(violations[0].description.find("training budget"), std::string::npos) << violations[0].description;
  // A caller scoped to other districts neither fails for these nor hears of
  // them; one scoped to Huadu and Tianhe hears of Huadu only.
  absl::StatusOr<std::vector<Snapshot>> scoped =
      evaluation_.EvaluateCity(2024, {}, AccessScope::Districts({"440106", "440111"}));
  ASSERT_TRUE(scoped.ok()) << scoped.status();
  ASSERT_EQ(scoped->size(), 2u);
  EXPECT_EQ((*scoped)[0].district_code, "440106");
  EXPECT_EQ((*scoped)[1].district_code, "440111");
  scoped = evaluation_.EvaluateCity(2024, {}, AccessScope::Districts({"440106", "440114"}));
  ASSERT_EQ(scoped.status().code(), absl::StatusCode::kFailedPrecondition) << scoped.status();
  EXPECT_EQ(scoped.status().message().find("440103"), absl::string_view::npos) << scoped.status();
  ASSERT_EQ(GetFieldViolations(scoped.status()).size(), 2u);
  for (const FieldViolation& v : GetFieldViolations(scoped.status())) {
    EXPECT_EQ(v.field.rfind("districts[440114].", 0), 0u) << v.field;
  }
  // Corrected, the city evaluates whole.
  sources_.Set(SmallDistrict("440114", 6000));
  sources_.Set(SmallDistrict("440103", 6000));
  sources_.Change("ledger", "440114", 2024);
  city = evaluation_.EvaluateCity(2024, {});
  ASSERT_TRUE(city.ok()) << city.status();
  EXPECT_EQ(city->size(), 11u);
}

TEST_F(IndicatorEvaluationTest, OtherConventionsAreStoredApartAndNotWatched) {
  engine::Conventions hk;
  hk.quota_excludes_hk_macao_classes = true;
  ASSERT_TRUE(evaluation_.EvaluateDistrict("440114", 2024, hk).ok());
  EXPECT_TRUE(repository_.UpdatesSince(0, 10)->empty());
  EXPECT_EQ(evaluation_.GetEvaluation("440114", 2024, {}).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::pair<Snapshot, bool>> stored = evaluation_.GetEvaluation("440114", 2024, hk);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->second);
  sources_.Change("ledger", "440114", 2024);
  EXPECT_TRUE(evaluation_.GetEvaluation("440114", 2024, hk)->second);
}

TEST_F(IndicatorEvaluationTest, ReturnsAreAtomicIdempotentAndReachTheEvaluation) {
  DistrictReturn r;
  r.district_code = "440114";
  r.school_year = 2024;
  r.facts.quota_total_places = 4228;
  r.facts.quota_allocated_places = 2039;
  DistrictReturn bad = r;
  bad.district_code = "440103";
  bad.facts.quota_allocated_places = 5000;
  EXPECT_EQ(evaluation_.UpsertDistrictReturns("req-1", {r, bad}, false).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*repository_.LatestReturnsVersion(), 0);
  absl::StatusOr<WriteSummary> written = evaluation_.UpsertDistrictReturns("req-1", {r}, false);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->created_count, 1);
  absl::StatusOr<WriteSummary> replay = evaluation_.UpsertDistrictReturns("req-1", {r}, false);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(evaluation_.UpsertDistrictReturns("req-1", {bad}, false).status().code(),
            absl::StatusCode::kInvalidArgument);
  r.facts.quota_allocated_places = 2000;
  EXPECT_EQ(evaluation_.UpsertDistrictReturns("req-1", {r}, false).status().code(), absl::StatusCode::kAlreadyExists);
  absl::StatusOr<Snapshot> snapshot = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(snapshot.ok());
  for (const engine::IndicatorResult& result : snapshot->evaluation.indicators) {
    if (result.indicator_id == "G14") {
      EXPECT_NEAR(*result.value, 48.23, 0.005);
    }
  }
}

TEST_F(IndicatorEvaluationTest, AScenarioWritesNothingAndNamesWhatChanges) {
  absl::StatusOr<ScenarioResult> result =
      evaluation_.EvaluateScenario("440114", 2024, {}, {EnrolmentChange{50, Stage::kPrimary, ""}});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*repository_.LatestVersion(), 0);
  bool r4_fails = false;
  for (const engine::IndicatorResult& r : result->changed) {
    if (r.indicator_id == "R4" && r.stage == Stage::kPrimary) r4_fails = r.verdict == engine::Verdict::kDoesNotMeet;
  }
  EXPECT_TRUE(r4_fails);  // 6000 m2 for 1500 students: 4.0 < 4.5
  EXPECT_EQ(evaluation_.EvaluateScenario("440114", 2024, {}, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(IndicatorEvaluationTest, AScenarioThatMakesTheDistrictImpossibleIsRefusedNamingTheProblem) {
  NewSchool school;
  school.school_code = "4401149999";
  school.students = 300;
  school.classes = 8;
  school.teachers.full_time = 10;
  school.teachers.backbone_county_or_above = 12;  // more backbone teachers than teachers
  absl::StatusOr<ScenarioResult> result = evaluation_.EvaluateScenario("440114", 2024, {}, {school});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
  bool named = false;
  for (const FieldViolation& v : GetFieldViolations(result.status())) {
    if (v.field == "changes" &&
        v.description.find("after the changes, schools[4401149999].sections[0].teachers.backbone_county_or_above: 12 "
                           "is more than full_time (10)") != std::string::npos) {
      named = true;
    }
  }
  EXPECT_TRUE(named) << result.status();
  school.teachers.backbone_county_or_above = 3;
  EXPECT_TRUE(evaluation_.EvaluateScenario("440114", 2024, {}, {school}).ok());
}

TEST_F(IndicatorEvaluationTest, TheFollowerRefreshesTouchedDistrictsAndMovesOnlyAfterSuccess) {
  ChangeFollower follower(&repository_, &sources_, &evaluation_, {});
  sources_.Change("registry", "440114", 2024);
  sources_.set_down(true);
  EXPECT_EQ(follower.CatchUp().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(*repository_.GetCursor("registry"), 0);
  sources_.set_down(false);
  ASSERT_TRUE(follower.CatchUp().ok());
  EXPECT_EQ(*repository_.GetCursor("registry"), 1);
  ASSERT_TRUE(repository_.FindSnapshot("440114", 2024, "strict")->has_value());
  // A rotation change names no year: every watched year of the district.
  sources_.Set(SmallDistrict("440114", 7000));
  sources_.Change("rotation", "440114", 0);
  ASSERT_TRUE(follower.CatchUp().ok());
  const std::optional<Snapshot> snapshot = *repository_.FindSnapshot("440114", 2024, "strict");
  EXPECT_EQ(snapshot->input_versions.rotation_version, 1);
}

// Sources whose district reads wait until `callers` of them are inside: two
// evaluations of the same district then both miss the stored snapshot and
// both read the same inputs (the change follower's round and a client's
// EvaluateDistrict, racing after an import).
class GatedSourceReader : public FakeSourceReader {
 public:
  explicit GatedSourceReader(int callers) : callers_(callers) {}
  absl::StatusOr<SourceData> ReadDistrict(const std::string& district_code, int32_t school_year) override {
    {
      std::unique_lock<std::mutex> lock(gate_mutex_);
      ++inside_;
      gate_cv_.notify_all();
      gate_cv_.wait_for(lock, std::chrono::seconds(10), [this] { return inside_ >= callers_; });
    }
    return FakeSourceReader::ReadDistrict(district_code, school_year);
  }

 private:
  const int callers_;
  std::mutex gate_mutex_;
  std::condition_variable gate_cv_;
  int inside_ = 0;
};

// The version of every snapshot stored.
class StoredVersions : public EvaluationObserver {
 public:
  void OnSnapshot(const Snapshot& snapshot) override {
    std::lock_guard<std::mutex> lock(mutex_);
    versions_.push_back(snapshot.version);
  }
  std::vector<int64_t> versions() {
    std::lock_guard<std::mutex> lock(mutex_);
    return versions_;
  }

 private:
  std::mutex mutex_;
  std::vector<int64_t> versions_;
};

TEST(IndicatorEvaluationRaceTest, TwoEvaluationsOfTheSameInputsStoreOneSnapshot) {
  InMemoryEvaluationRepository repository;
  GatedSourceReader sources(2);
  sources.Set(SmallDistrict("440114", 6000));
  WatchHub hub(&repository, {}, NowMs);
  StoredVersions stored_versions;
  IndicatorEvaluation evaluation(&repository, &sources, &hub, NowMs, &stored_versions);
  InProcessCache cache(1 << 20);
  CachedSnapshots snapshots(&cache);
  evaluation.set_snapshot_cache(&snapshots);
  ChangeFollower follower(&repository, &sources, &evaluation, {});
  sources.Change("registry", "440114", 2024);  // the import's last write
  // The follower re-evaluates what the write touched while a client asks.
  absl::Status round;
  std::thread follower_round([&] { round = follower.CatchUp(); });
  absl::StatusOr<Snapshot> asked = evaluation.EvaluateDistrict("440114", 2024, {});
  follower_round.join();
  ASSERT_TRUE(round.ok()) << round;
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(sources.reads(), 2);  // both read the inputs, and the same ones
  // Nothing changed since: the client is answered with the snapshot it was
  // given, and the store holds no second snapshot of the same inputs.
  absl::StatusOr<Snapshot> again = evaluation.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version, asked->version);
  const std::optional<Snapshot> stored = *repository.FindSnapshot("440114", 2024, "strict");
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->version, asked->version);
  EXPECT_EQ(stored->input_versions, asked->input_versions);
  absl::StatusOr<std::vector<IndicatorUpdate>> updates = repository.UpdatesSince(0, 10);
  ASSERT_TRUE(updates.ok());
  ASSERT_EQ(updates->size(), 1u);  // watchers saw the evaluation once
  EXPECT_EQ((*updates)[0].version, asked->version);
  EXPECT_EQ(stored_versions.versions(), std::vector<int64_t>{asked->version});
}

TEST(ConversionsTest, ASnapshotKeepsItsIndicatorsStagesAndPlansThroughTheContract) {
  Snapshot s;
  s.district_code = "440114";
  s.school_year = 2024;
  s.conventions_key = "strict";
  s.input_versions = {1, 2, 3, 4};
  s.version = 9;
  s.evaluated_at_unix_ms = NowMs();
  engine::DistrictInput input = SmallDistrict("440114", 3000);
  s.evaluation = engine::Evaluate(input);
  ASSERT_FALSE(s.evaluation.plans.empty());
  v1::DistrictEvaluation message;
  ToProto(s, v1::REPORT_LANGUAGE_UNSPECIFIED, &message);
  EXPECT_EQ(message.evaluated_at(), "2023-11-14T22:13:20.000Z");
  const Snapshot back = FromProto(message);
  EXPECT_EQ(back.input_versions, s.input_versions);
  EXPECT_EQ(back.version, 9);
  EXPECT_TRUE(ChangedIndicators(&s.evaluation, back.evaluation).empty());
  EXPECT_EQ(back.evaluation.plans.size(), s.evaluation.plans.size());
  ASSERT_EQ(back.evaluation.stages.size(), s.evaluation.stages.size());
  EXPECT_DOUBLE_EQ(back.evaluation.stages[0].cv[3], s.evaluation.stages[0].cv[3]);
  EXPECT_EQ(back.evaluation.verdict, s.evaluation.verdict);
}

TEST(CachedSnapshotsTest, ServeASnapshotOnlyUnderItsOwnInputVersions) {
  InProcessCache cache(1 << 20);
  CachedSnapshots snapshots(&cache);
  Snapshot s;
  s.district_code = "440114";
  s.school_year = 2024;
  s.conventions_key = "strict";
  s.input_versions = {5, 6, 7, 8};
  s.version = 3;
  s.evaluated_at_unix_ms = NowMs();
  s.evaluation = engine::Evaluate(SmallDistrict());
  s.report_zh = "花都区报告";
  s.report_en = "Huadu report";
  snapshots.Put(s);
  const std::optional<Snapshot> hit = snapshots.Get("440114", 2024, "strict", {5, 6, 7, 8});
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->version, 3);
  EXPECT_EQ(hit->evaluated_at_unix_ms, NowMs());
  EXPECT_EQ(hit->report_zh, "花都区报告");
  EXPECT_EQ(hit->report_en, "Huadu report");
  EXPECT_TRUE(ChangedIndicators(&s.evaluation, hit->evaluation).empty());
  EXPECT_FALSE(snapshots.Get("440114", 2024, "strict", {5, 6, 7, 9}).has_value());
  EXPECT_FALSE(snapshots.Get("440114", 2024, "q1-d0-r0-b0-t0-a0", {5, 6, 7, 8}).has_value());
}

TEST_F(IndicatorEvaluationTest, ACachedSnapshotSparesTheStoreAndTheSources) {
  InProcessCache cache(1 << 20);
  CachedSnapshots snapshots(&cache);
  evaluation_.set_snapshot_cache(&snapshots);
  absl::StatusOr<Snapshot> first = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(first.ok());
  // Even with the stored copy gone, the cache answers for the same inputs.
  InMemoryEvaluationRepository empty;
  IndicatorEvaluation other(&empty, &sources_, &hub_, NowMs);
  other.set_snapshot_cache(&snapshots);
  absl::StatusOr<Snapshot> again = other.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->version, first->version);
  EXPECT_EQ(sources_.reads(), 1);
}

TEST_F(IndicatorEvaluationTest, AnAnswerIsAtHandOnlyWhileItsInputsAreTheLatestKnown) {
  InProcessCache cache(1 << 20);
  CachedSnapshots snapshots(&cache);
  SourceVersions versions;
  evaluation_.set_snapshot_cache(&snapshots);
  evaluation_.set_source_versions(&versions);
  using Use = IndicatorEvaluation::Use;
  // Nothing known of the sources yet: nothing at hand.
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2024, {}, Use::kGetEvaluation), nullptr);
  for (const char* source : {"registry", "rotation", "ledger", "returns"}) versions.Observe(source, 0);
  absl::StatusOr<Snapshot> first = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(first.ok()) << first.status();
  std::shared_ptr<const Snapshot> at_hand = evaluation_.CurrentAtHand("440114", 2024, {}, Use::kGetEvaluation);
  ASSERT_NE(at_hand, nullptr);
  EXPECT_EQ(at_hand->version, first->version);
  // An evaluation trusts what is known only when it is exact.
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2024, {}, Use::kEvaluate), nullptr);
  EXPECT_TRUE(evaluation_.CityAtHand(2024, {}).empty());
  versions.set_announced_synchronously(true);
  EXPECT_NE(evaluation_.CurrentAtHand("440114", 2024, {}, Use::kEvaluate), nullptr);
  // Other conventions, another year, a district never evaluated: not at hand.
  engine::Conventions other;
  other.teaching_point_min_students = 10;
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2024, other, Use::kEvaluate), nullptr);
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2023, {}, Use::kEvaluate), nullptr);
  EXPECT_TRUE(evaluation_.CityAtHand(2024, {}).empty());  // only Huadu was evaluated
  // A committed write announced: the snapshot is no longer the answer.
  sources_.Change("registry", "440114", 2024);
  ChangeEvent event;
  event.source = "registry";
  event.last_version = 1;
  versions.Announce(event);
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2024, {}, Use::kGetEvaluation), nullptr);
  EXPECT_EQ(evaluation_.CurrentAtHand("440114", 2024, {}, Use::kEvaluate), nullptr);
  absl::StatusOr<Snapshot> changed = evaluation_.EvaluateDistrict("440114", 2024, {});
  ASSERT_TRUE(changed.ok());
  at_hand = evaluation_.CurrentAtHand("440114", 2024, {}, Use::kEvaluate);
  ASSERT_NE(at_hand, nullptr);
  EXPECT_EQ(at_hand->version, changed->version);
  EXPECT_EQ(at_hand->input_versions.registry_version, 1);
}

TEST(EncodedSnapshotsTest, TheEncodedFieldIsTheResponseAndFollowsTheSnapshot) {
  Snapshot s;
  s.district_code = "440114";
  s.school_year = 2024;
  s.conventions_key = "strict";
  s.input_versions = {5, 6, 7, 8};
  s.version = 3;
  s.evaluated_at_unix_ms = NowMs();
  s.evaluation = engine::Evaluate(SmallDistrict());
  s.report_zh = "花都区报告";
  s.report_en = "Huadu report";
  EncodedSnapshots encoded;
  const auto parse = [](const grpc::Slice* slices, size_t count, google::protobuf::Message* message) {
    grpc::ByteBuffer buffer(slices, count);
    grpc::Slice whole;
    EXPECT_TRUE(buffer.DumpToSingleSlice(&whole).ok());
    return message->ParseFromArray(whole.begin(), static_cast<int>(whole.size()));
  };
  for (v1::ReportLanguage language : {v1::REPORT_LANGUAGE_UNSPECIFIED, v1::REPORT_LANGUAGE_EN}) {
    for (v1::EvaluationView view :
         {v1::EVALUATION_VIEW_UNSPECIFIED, v1::EVALUATION_VIEW_FULL, v1::EVALUATION_VIEW_BASIC}) {
      v1::DistrictEvaluation expected;
      ToProto(s, language, &expected);
      ASSERT_GT(expected.indicators_size(), 0);
      if (view == v1::EVALUATION_VIEW_BASIC) {
        // The basic view is the full one without these three (and nothing else is lost).
        expected.clear_indicators();
        expected.clear_plans();
        expected.clear_district_plan();
      }
      const grpc::Slice field = encoded.EvaluationField(s, language, view);
      v1::EvaluateDistrictResponse response;
      ASSERT_TRUE(parse(&field, 1, &response));
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(response.evaluation(), expected))
          << response.evaluation().DebugString();
      EXPECT_EQ(response.evaluation().report(), language == v1::REPORT_LANGUAGE_EN ? "Huadu report" : "");
    }
  }
  // Served again: the same bytes, not encoded again, in either view.
  const grpc::Slice first = encoded.EvaluationField(s, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_FULL);
  const grpc::Slice again = encoded.EvaluationField(s, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_FULL);
  EXPECT_EQ(first.begin(), again.begin());
  const grpc::Slice basic = encoded.EvaluationField(s, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_BASIC);
  EXPECT_EQ(basic.begin(),
            encoded.EvaluationField(s, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_BASIC).begin());
  EXPECT_LT(basic.size(), first.size());
  // A new snapshot of the district-year: its own bytes, in both views.
  Snapshot newer = s;
  newer.version = 4;
  newer.input_versions.registry_version = 9;
  {
    const grpc::Slice newer_basic =
        encoded.EvaluationField(newer, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_BASIC);
    v1::EvaluateDistrictResponse response;
    ASSERT_TRUE(parse(&newer_basic, 1, &response));
    EXPECT_EQ(response.evaluation().snapshot_version(), 4);
    EXPECT_EQ(response.evaluation().input_versions().registry_version(), 9);
  }
  const grpc::Slice fields[] = {
      encoded.EvaluationField(newer, v1::REPORT_LANGUAGE_UNSPECIFIED, v1::EVALUATION_VIEW_UNSPECIFIED), first};
  v1::EvaluateCityResponse city;
  ASSERT_TRUE(parse(fields, 2, &city));
  ASSERT_EQ(city.evaluations_size(), 2);
  EXPECT_EQ(city.evaluations(0).snapshot_version(), 4);
  EXPECT_EQ(city.evaluations(0).input_versions().registry_version(), 9);
  EXPECT_EQ(city.evaluations(1).snapshot_version(), 3);
}

}  // namespace
}  // namespace gzedu::indicators
