// One contract for every EvaluationRepository adapter.
#include <gtest/gtest.h>

#include "services/indicator_evaluation/storage/in_memory_evaluation_repository.h"
#include "services/indicator_evaluation/storage/sql_evaluation_repository.h"
#include "tests/support/postgres_server.h"
#include "tests/support/subprocess.h"

namespace gzedu::indicators {
namespace {

struct InMemoryFactory {
  std::unique_ptr<EvaluationRepository> Create() { return std::make_unique<InMemoryEvaluationRepository>(); }
};

struct SqliteFactory {
  gzedu::testing::TempDir dir;
  std::unique_ptr<EvaluationRepository> Create() {
    auto repository = SqlEvaluationRepository::Open("sqlite:" + dir.path() + "/evaluation.db", nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return std::move(*repository);
  }
};

// A fresh database on the test run's PostgreSQL server for every test.
struct PostgresFactory {
  std::unique_ptr<EvaluationRepository> Create() {
    auto repository = SqlEvaluationRepository::Open(gzedu::testing::FreshPostgresDatabase(), nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return repository.ok() ? std::move(*repository) : nullptr;
  }
};

DistrictReturn Return(const std::string& district, int32_t year, int32_t places) {
  DistrictReturn r;
  r.district_code = district;
  r.school_year = year;
  r.facts.quota_total_places = places;
  r.attestations = {{"G1", {true, "doc", "", "2024-05-01", "bureau"}}};
  return r;
}

Snapshot MakeSnapshot(const std::string& district, const std::string& key, double value) {
  Snapshot s;
  s.district_code = district;
  s.school_year = 2024;
  s.conventions_key = key;
  s.input_versions = {1, 2, 3, 4};
  s.evaluated_at_unix_ms = 1700000000123;
  engine::IndicatorResult r;
  r.indicator_id = "R4";
  r.stage = Stage::kPrimary;
  r.value = value;
  r.verdict = engine::Verdict::kMeets;
  s.evaluation.indicators.push_back(r);
  s.evaluation.verdict = engine::OverallVerdict::kDoesNotMeet;
  s.report_zh = "报告";
  s.report_en = "report";
  return s;
}

template <typename Factory>
class EvaluationRepositoryContractTest : public ::testing::Test {
 protected:
  void SetUp() override { repository_ = factory_.Create(); }
  Factory factory_;
  std::unique_ptr<EvaluationRepository> repository_;
};

using Adapters = ::testing::Types<InMemoryFactory, SqliteFactory, PostgresFactory>;
TYPED_TEST_SUITE(EvaluationRepositoryContractTest, Adapters);

TYPED_TEST(EvaluationRepositoryContractTest, ReturnsCommitWithVersionsAndTheirRequest) {
  DistrictReturn a = Return("440114", 2024, 4228);
  DistrictReturn b = Return("440103", 2024, 3428);
  {
    auto txn = *this->repository_->BeginWrite();
    ASSERT_TRUE(txn->PutReturn(a).ok());
    ASSERT_TRUE(txn->PutReturn(b).ok());
    EXPECT_EQ(a.change_version, 1);
    EXPECT_EQ(b.change_version, 2);
    ASSERT_TRUE(txn->PutRequest({"req", "fp", {}, ""}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(*this->repository_->LatestReturnsVersion(), 2);
  std::optional<DistrictReturn> found = *this->repository_->FindReturn("440114", 2024);
  ASSERT_TRUE(found.has_value());
  EXPECT_TRUE(found->SameContent(a));
  EXPECT_EQ(found->change_version, 1);
  auto next = *this->repository_->BeginWrite();
  EXPECT_TRUE((*next->FindRequest("req")).has_value());
  EXPECT_EQ(next->PutRequest({"req", "other", {}, ""}).code(), absl::StatusCode::kAlreadyExists);
  DistrictReturn again = Return("440114", 2024, 4000);
  ASSERT_TRUE(next->PutReturn(again).ok());
  EXPECT_EQ(again.change_version, 3);
  ASSERT_TRUE(next->Commit().ok());
  const std::vector<ReturnChange> changes = *this->repository_->ReturnChangesSince(1, 10);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].district_code, "440103");
  EXPECT_EQ(changes[1].change_version, 3);
  EXPECT_EQ(*(*this->repository_->FindReturn("440114", 2024))->facts.quota_total_places, 4000);
}

TYPED_TEST(EvaluationRepositoryContractTest, ADroppedReturnsTransactionLeavesNothing) {
  {
    auto txn = *this->repository_->BeginWrite();
    DistrictReturn a = Return("440114", 2024, 1);
    ASSERT_TRUE(txn->PutReturn(a).ok());
    ASSERT_TRUE(txn->PutRequest({"lost", "fp", {}, ""}).ok());
  }
  EXPECT_FALSE((*this->repository_->FindReturn("440114", 2024)).has_value());
  EXPECT_EQ(*this->repository_->LatestReturnsVersion(), 0);
  auto txn = *this->repository_->BeginWrite();
  EXPECT_FALSE((*txn->FindRequest("lost")).has_value());
}

TYPED_TEST(EvaluationRepositoryContractTest, SnapshotsReplaceTheirKeyAndUpdatesShareTheirVersion) {
  Snapshot strict = MakeSnapshot("440114", "strict", 6.0);
  IndicatorUpdate update{0,
                         "440114",
                         2024,
                         strict.evaluation.indicators,
                         strict.evaluation.verdict,
                         strict.input_versions,
                         strict.evaluated_at_unix_ms};
  ASSERT_TRUE(this->repository_->PutSnapshot(strict, &update).ok());
  EXPECT_EQ(strict.version, 1);
  EXPECT_EQ(update.version, 1);
  Snapshot other = MakeSnapshot("440114", "q1-d0-r0-b0-t0-a0", 6.0);
  ASSERT_TRUE(this->repository_->PutSnapshot(other, nullptr).ok());
  Snapshot newer = MakeSnapshot("440114", "strict", 6.5);
  IndicatorUpdate second{0,
                         "440114",
                         2024,
                         newer.evaluation.indicators,
                         newer.evaluation.verdict,
                         newer.input_versions,
                         newer.evaluated_at_unix_ms};
  ASSERT_TRUE(this->repository_->PutSnapshot(newer, &second).ok());
  EXPECT_EQ(newer.version, 3);
  EXPECT_EQ(*this->repository_->LatestVersion(), 3);

  std::optional<Snapshot> found = *this->repository_->FindSnapshot("440114", 2024, "strict");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->version, 3);
  EXPECT_DOUBLE_EQ(*found->evaluation.indicators[0].value, 6.5);
  EXPECT_EQ(found->evaluation.indicators[0].stage, Stage::kPrimary);
  EXPECT_EQ(found->input_versions, (InputVersions{1, 2, 3, 4}));
  EXPECT_EQ(found->evaluated_at_unix_ms, 1700000000123);
  EXPECT_EQ(found->report_zh, "报告");
  EXPECT_EQ(found->evaluation.verdict, engine::OverallVerdict::kDoesNotMeet);
  EXPECT_EQ((*this->repository_->SnapshotsUnder("strict")).size(), 1u);
  EXPECT_FALSE((*this->repository_->FindSnapshot("440103", 2024, "strict")).has_value());

  const std::vector<IndicatorUpdate> updates = *this->repository_->UpdatesSince(0, 10);
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[0].version, 1);
  EXPECT_EQ(updates[1].version, 3);
  EXPECT_EQ(updates[1].evaluated_at_unix_ms, 1700000000123);
  EXPECT_EQ((*this->repository_->UpdatesSince(1, 10)).size(), 1u);
  EXPECT_EQ((*this->repository_->UpdatesSince(0, 1)).size(), 1u);
}

TYPED_TEST(EvaluationRepositoryContractTest, CursorsStartAtZeroAndKeepTheLastPosition) {
  EXPECT_EQ(*this->repository_->GetCursor("registry"), 0);
  ASSERT_TRUE(this->repository_->PutCursor("registry", 17).ok());
  ASSERT_TRUE(this->repository_->PutCursor("registry", 42).ok());
  ASSERT_TRUE(this->repository_->PutCursor("ledger", 5).ok());
  EXPECT_EQ(*this->repository_->GetCursor("registry"), 42);
  EXPECT_EQ(*this->repository_->GetCursor("ledger"), 5);
  EXPECT_TRUE(this->repository_->CheckHealth().ok());
}

TEST(SqlEvaluationRepositoryTest, KeepsEverythingAcrossAReopen) {
  gzedu::testing::TempDir dir;
  const std::string path = dir.path() + "/evaluation.db";
  {
    auto repository = *SqlEvaluationRepository::Open("sqlite:" + path, nullptr);
    Snapshot s = MakeSnapshot("440114", "strict", 6.0);
    IndicatorUpdate update{0, "440114", 2024, s.evaluation.indicators, s.evaluation.verdict, s.input_versions, 1};
    ASSERT_TRUE(repository->PutSnapshot(s, &update).ok());
    ASSERT_TRUE(repository->PutCursor("rotation", 9).ok());
  }
  auto repository = *SqlEvaluationRepository::Open("sqlite:" + path, nullptr);
  EXPECT_EQ(*repository->LatestVersion(), 1);
  EXPECT_EQ((*repository->UpdatesSince(0, 10)).size(), 1u);
  EXPECT_EQ(*repository->GetCursor("rotation"), 9);
}

}  // namespace
}  // namespace gzedu::indicators
