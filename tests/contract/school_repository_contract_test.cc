// One contract for every SchoolRepository adapter: the same tests run on
// each, so the adapters cannot drift apart.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "services/school_registry/storage/in_memory_school_repository.h"
#include "services/school_registry/storage/sql_school_repository.h"
#include "tests/support/postgres_server.h"
#include "tests/support/registry_fixtures.h"
#include "tests/support/subprocess.h"

namespace gzedu::registry {
namespace {

using gzedu::testing::MakeRecord;
using gzedu::testing::MakeSchool;

struct InMemoryFactory {
  std::unique_ptr<SchoolRepository> Create() { return std::make_unique<InMemorySchoolRepository>(); }
};

struct SqliteFactory {
  gzedu::testing::TempDir dir;
  std::unique_ptr<SchoolRepository> Create() {
    auto repository = SqlSchoolRepository::Open("sqlite:" + dir.path() + "/registry.db", nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return std::move(*repository);
  }
};

// A fresh database on the test run's PostgreSQL server for every test.
struct PostgresFactory {
  std::unique_ptr<SchoolRepository> Create() {
    auto repository = SqlSchoolRepository::Open(gzedu::testing::FreshPostgresDatabase(), nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return repository.ok() ? std::move(*repository) : nullptr;
  }
};

template <typename Factory>
class SchoolRepositoryContractTest : public ::testing::Test {
 protected:
  void SetUp() override { repository_ = factory_.Create(); }

  std::unique_ptr<RegistryWriteTransaction> Begin() {
    auto txn = repository_->BeginWrite();
    EXPECT_TRUE(txn.ok()) << txn.status();
    return std::move(*txn);
  }

  // Writes `school` with a change of its own, as the registry does.
  void PutSchool(School school) {
    auto txn = Begin();
    school.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", school.district_code, school});
    ASSERT_TRUE(txn->PutSchool(school).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }

  Factory factory_;
  std::unique_ptr<SchoolRepository> repository_;
};

using Adapters = ::testing::Types<InMemoryFactory, SqliteFactory, PostgresFactory>;
TYPED_TEST_SUITE(SchoolRepositoryContractTest, Adapters);

TYPED_TEST(SchoolRepositoryContractTest, CommittedSchoolIsReadBackExactly) {
  School school = MakeSchool(7, SchoolType::kNineYear, "440103");
  school.ownership = Ownership::kPrivate;
  school.locale = Locale::kRural;
  school.boarding = true;
  this->PutSchool(school);
  auto stored = this->repository_->GetSchool(school.school_code);
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_TRUE((*stored)->SameContent(school));
  EXPECT_EQ((*stored)->change_version, 1);
}

TYPED_TEST(SchoolRepositoryContractTest, DroppedTransactionLeavesNothing) {
  {
    auto txn = this->Begin();
    School school = MakeSchool(1);
    school.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", school});
    ASSERT_TRUE(txn->PutSchool(school).ok());
    ASSERT_TRUE(txn->PutRequest({"t", "fp", {}, ""}).ok());
  }
  EXPECT_FALSE(this->repository_->GetSchool(MakeSchool(1).school_code)->has_value());
  EXPECT_EQ(*this->repository_->LatestChangeVersion(), 0);
  EXPECT_TRUE(this->repository_->ListChanges(0, 10)->empty());
  auto txn = this->Begin();
  EXPECT_FALSE((*txn->FindRequest("t")).has_value());
}

TYPED_TEST(SchoolRepositoryContractTest, UncommittedWritesAreVisibleInsideTheTransactionOnly) {
  auto txn = this->Begin();
  School school = MakeSchool(1);
  school.change_version = 1;
  ASSERT_TRUE(txn->PutSchool(school).ok());
  EXPECT_TRUE((*txn->FindSchool(school.school_code)).has_value());
  EXPECT_FALSE(this->repository_->GetSchool(school.school_code)->has_value());
  ASSERT_TRUE(txn->Commit().ok());
  EXPECT_TRUE(this->repository_->GetSchool(school.school_code)->has_value());
}

TYPED_TEST(SchoolRepositoryContractTest, ChangeVersionsStartAtOneAndIncreaseAcrossTransactions) {
  std::vector<int64_t> versions;
  for (int t = 0; t < 3; ++t) {
    auto txn = this->Begin();
    for (int i = 0; i < 2; ++i) {
      versions.push_back(*txn->AppendChange(Change{0, ChangeKind::kDelete, "t", "440114", std::string("2100000001")}));
    }
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(*this->repository_->LatestChangeVersion(), 6);
}

TYPED_TEST(SchoolRepositoryContractTest, RequestsAreRememberedOnce) {
  WriteSummary summary;
  summary.created_count = 3;
  summary.unchanged_count = 1;
  summary.first_change_version = 10;
  summary.last_change_version = 12;
  {
    auto txn = this->Begin();
    ASSERT_TRUE(txn->PutRequest({"req-1", "abc", summary, "entity-7"}).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto txn = this->Begin();
  auto found = txn->FindRequest("req-1");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->fingerprint, "abc");
  EXPECT_EQ((*found)->summary, summary);
  EXPECT_EQ((*found)->entity_id, "entity-7");
  EXPECT_EQ(txn->PutRequest({"req-1", "other", summary, ""}).code(), absl::StatusCode::kAlreadyExists);
}

TYPED_TEST(SchoolRepositoryContractTest, RecordsRoundTripExactly) {
  const School school = MakeSchool(1, SchoolType::kTwelveYear);
  this->PutSchool(school);
  SchoolYearRecord record = MakeRecord(school);
  SchoolSection junior = record.sections[0];
  junior.stage = Stage::kJunior;
  junior.class_sizes.clear();
  record.sections.push_back(junior);
  record.facilities.teaching_area_m2 = 0.1 + 0.2;  // not representable in short decimal
  record.facilities.music_room_areas_m2 = {96.25, 101.0 / 3};
  record.facilities.equipment_value_fen = 123456789012;
  {
    auto txn = this->Begin();
    record.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", record});
    ASSERT_TRUE(txn->PutSchoolYearRecord(record).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto records = this->repository_->ListSchoolYearRecords(RecordQuery{});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1u);
  EXPECT_TRUE((*records)[0].SameContent(record));
  EXPECT_EQ((*records)[0].change_version, 2);
  auto changes = this->repository_->ListChanges(1, 10);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_TRUE(std::get<SchoolYearRecord>((*changes)[0].entity).SameContent(record));
  EXPECT_EQ(std::get<SchoolYearRecord>((*changes)[0].entity).change_version, 2);
}

// A record's row and its change are written together when they carry the
// same content; a put that differs from what its change said keeps each
// exactly as given (the row the put, the feed the change).
TYPED_TEST(SchoolRepositoryContractTest, RecordRowsAndTheirChangesStayExactWhenTheyDiffer) {
  const School school = MakeSchool(1);
  this->PutSchool(school);
  SchoolYearRecord announced = MakeRecord(school);
  SchoolYearRecord stored = announced;
  stored.facilities.multimedia_rooms += 5;
  SchoolYearRecord other = MakeRecord(school);
  other.school_year = 2023;
  {
    auto txn = this->Begin();
    stored.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", announced});
    ASSERT_TRUE(txn->PutSchoolYearRecord(stored).ok());
    other.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", other});
    ASSERT_TRUE(txn->PutSchoolYearRecord(other).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto records = this->repository_->ListSchoolYearRecords(RecordQuery{});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  for (const SchoolYearRecord& record : *records) {
    EXPECT_TRUE(record.SameContent(record.school_year == 2023 ? other : stored));
  }
  auto changes = this->repository_->ListChanges(1, 10);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_TRUE(std::get<SchoolYearRecord>((*changes)[0].entity).SameContent(announced));
  EXPECT_EQ((*changes)[0].request_id, "t");
  EXPECT_EQ((*changes)[0].district_code, "440114");
  EXPECT_TRUE(std::get<SchoolYearRecord>((*changes)[1].entity).SameContent(other));
  EXPECT_EQ((*changes)[1].change_version, other.change_version);
}

TYPED_TEST(SchoolRepositoryContractTest, ListsSchoolsAfterACodeWithinADistrict) {
  for (int i = 1; i <= 6; ++i) this->PutSchool(MakeSchool(i, SchoolType::kPrimary, i % 2 ? "440114" : "440103"));
  auto huadu = this->repository_->ListSchools("440114", "", 10);
  ASSERT_EQ(huadu->size(), 3u);
  auto after = this->repository_->ListSchools("", MakeSchool(2).school_code, 3);
  ASSERT_EQ(after->size(), 3u);
  EXPECT_EQ((*after)[0].school_code, MakeSchool(3).school_code);
  EXPECT_EQ((*after)[2].school_code, MakeSchool(5).school_code);
}

TYPED_TEST(SchoolRepositoryContractTest, ListsRecordsByDistrictYearAndPosition) {
  const School huadu = MakeSchool(1);
  const School liwan = MakeSchool(2, SchoolType::kPrimary, "440103");
  this->PutSchool(huadu);
  this->PutSchool(liwan);
  {
    auto txn = this->Begin();
    for (const SchoolYearRecord& r :
         {MakeRecord(huadu, 2023), MakeRecord(huadu, 2024), MakeRecord(liwan, 2023), MakeRecord(liwan, 2024)}) {
      SchoolYearRecord copy = r;
      copy.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "x", copy});
      ASSERT_TRUE(txn->PutSchoolYearRecord(copy).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  }
  RecordQuery query;
  query.district_code = "440103";
  EXPECT_EQ(this->repository_->ListSchoolYearRecords(query)->size(), 2u);
  query.school_year = 2024;
  ASSERT_EQ(this->repository_->ListSchoolYearRecords(query)->size(), 1u);
  RecordQuery after;
  after.after = SchoolYearKey{huadu.school_code, 2023};
  after.limit = 2;
  auto page = this->repository_->ListSchoolYearRecords(after);
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].key(), (SchoolYearKey{huadu.school_code, 2024}));
  EXPECT_EQ((*page)[1].key(), (SchoolYearKey{liwan.school_code, 2023}));
}

TYPED_TEST(SchoolRepositoryContractTest, DeletesAndTombstonesRoundTrip) {
  const School school = MakeSchool(1);
  this->PutSchool(school);
  {
    auto txn = this->Begin();
    SchoolYearRecord record = MakeRecord(school);
    record.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", record});
    ASSERT_TRUE(txn->PutSchoolYearRecord(record).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  {
    auto txn = this->Begin();
    EXPECT_EQ(*txn->ListSchoolYears(school.school_code), (std::vector<int32_t>{2024}));
    const SchoolYearKey key{school.school_code, 2024};
    ASSERT_TRUE(txn->AppendChange(Change{0, ChangeKind::kDelete, "d", "440114", key}).ok());
    ASSERT_TRUE(txn->DeleteSchoolYearRecord(key).ok());
    ASSERT_TRUE(txn->AppendChange(Change{0, ChangeKind::kDelete, "d", "440114", school.school_code}).ok());
    ASSERT_TRUE(txn->DeleteSchool(school.school_code).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_FALSE(this->repository_->GetSchool(school.school_code)->has_value());
  auto changes = this->repository_->ListChanges(2, 10);
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ((*changes)[0].kind, ChangeKind::kDelete);
  EXPECT_EQ((*changes)[0].request_id, "d");
  EXPECT_EQ((*changes)[0].district_code, "440114");
  EXPECT_EQ(std::get<SchoolYearKey>((*changes)[0].entity), (SchoolYearKey{school.school_code, 2024}));
  EXPECT_EQ(std::get<std::string>((*changes)[1].entity), school.school_code);
}

// Puts in one transaction are seen by its own later statements (years
// listed, deletes), whether or not a store holds them until Commit; the
// prefetch hints change no answer.
TYPED_TEST(SchoolRepositoryContractTest, WritesInOneTransactionAreSeenByItsLaterStatements) {
  const School kept = MakeSchool(1);
  const School dropped = MakeSchool(2);
  {
    auto txn = this->Begin();
    ASSERT_TRUE(txn->PrefetchSchools({kept.school_code, dropped.school_code, "2100000099"}).ok());
    ASSERT_TRUE(txn->PrefetchSchoolYearRecords({{kept.school_code, 2024}, {dropped.school_code, 2023}}).ok());
    EXPECT_FALSE(txn->FindSchool(kept.school_code)->has_value());
    for (School school : {kept, dropped}) {
      school.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", school});
      ASSERT_TRUE(txn->PutSchool(school).ok());
      SchoolYearRecord record = MakeRecord(school);
      record.change_version = *txn->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", record});
      ASSERT_TRUE(txn->PutSchoolYearRecord(record).ok());
    }
    EXPECT_EQ(txn->FindSchool(kept.school_code)->value().name, kept.name);
    EXPECT_EQ(*txn->ListSchoolYears(dropped.school_code), (std::vector<int32_t>{2024}));
    const SchoolYearKey key{dropped.school_code, 2024};
    ASSERT_TRUE(txn->AppendChange(Change{0, ChangeKind::kDelete, "t", "440114", key}).ok());
    ASSERT_TRUE(txn->DeleteSchoolYearRecord(key).ok());
    ASSERT_TRUE(txn->AppendChange(Change{0, ChangeKind::kDelete, "t", "440114", dropped.school_code}).ok());
    ASSERT_TRUE(txn->DeleteSchool(dropped.school_code).ok());
    EXPECT_FALSE(txn->FindSchool(dropped.school_code)->has_value());
    EXPECT_FALSE(txn->FindSchoolYearRecord(key)->has_value());
    EXPECT_TRUE(txn->FindSchoolYearRecord({kept.school_code, 2024})->has_value());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_TRUE(this->repository_->GetSchool(kept.school_code)->has_value());
  EXPECT_FALSE(this->repository_->GetSchool(dropped.school_code)->has_value());
  EXPECT_EQ(this->repository_->ListSchoolYearRecords(RecordQuery{})->size(), 1u);
  auto changes = this->repository_->ListChanges(0, 10);
  ASSERT_EQ(changes->size(), 6u);
  for (size_t i = 0; i < changes->size(); ++i) EXPECT_EQ((*changes)[i].change_version, static_cast<int64_t>(i + 1));
  EXPECT_EQ((*changes)[5].kind, ChangeKind::kDelete);
  auto txn = this->Begin();
  ASSERT_TRUE(txn->PrefetchSchoolYearRecords({{kept.school_code, 2024}}).ok());
  EXPECT_TRUE(txn->FindSchoolYearRecord({kept.school_code, 2024})->value().SameContent(MakeRecord(kept)));
}

TYPED_TEST(SchoolRepositoryContractTest, ConcurrentTransactionsNeverShareAVersion) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<int64_t> seen;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto txn = this->repository_->BeginWrite();
        ASSERT_TRUE(txn.ok()) << txn.status();
        School school = MakeSchool(t * 1000 + i);
        auto version = (*txn)->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", school});
        ASSERT_TRUE(version.ok());
        school.change_version = *version;
        ASSERT_TRUE((*txn)->PutSchool(school).ok());
        ASSERT_TRUE((*txn)->Commit().ok());
        std::lock_guard<std::mutex> lock(mutex);
        EXPECT_TRUE(seen.insert(*version).second);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(seen.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*seen.rbegin(), kThreads * kPerThread);
  EXPECT_EQ(*this->repository_->LatestChangeVersion(), kThreads * kPerThread);
}

TYPED_TEST(SchoolRepositoryContractTest, HealthCheckAnswers) { EXPECT_TRUE(this->repository_->CheckHealth().ok()); }

TEST(SqlSchoolRepositoryTest, CommittedDataSurvivesReopening) {
  gzedu::testing::TempDir dir;
  const std::string path = dir.path() + "/registry.db";
  {
    auto repository = SqlSchoolRepository::Open("sqlite:" + path, nullptr);
    ASSERT_TRUE(repository.ok());
    auto txn = (*repository)->BeginWrite();
    School school = MakeSchool(1);
    school.change_version = *(*txn)->AppendChange(Change{0, ChangeKind::kUpsert, "t", "440114", school});
    ASSERT_TRUE((*txn)->PutSchool(school).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto reopened = SqlSchoolRepository::Open("sqlite:" + path, nullptr);
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->GetSchool(MakeSchool(1).school_code)->has_value());
  EXPECT_EQ(*(*reopened)->LatestChangeVersion(), 1);
}

TEST(SqlSchoolRepositoryTest, AFileInAMissingDirectoryIsRefusedNamingTheDirectory) {
  auto repository = SqlSchoolRepository::Open("sqlite:/nonexistent-dir/registry.db", nullptr);
  EXPECT_EQ(repository.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(repository.status().message().find("its directory /nonexistent-dir does not exist"), std::string::npos)
      << repository.status();
}

}  // namespace
}  // namespace gzedu::registry
