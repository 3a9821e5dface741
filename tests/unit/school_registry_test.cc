#include "services/school_registry/domain/school_registry.h"

#include <gtest/gtest.h>

#include "common/status/field_violations.h"
#include "services/school_registry/storage/in_memory_school_repository.h"
#include "tests/support/registry_fixtures.h"

namespace gzedu::registry {
namespace {

using gzedu::testing::MakeRecord;
using gzedu::testing::MakeSchool;

class SchoolRegistryTest : public ::testing::Test {
 protected:
  InMemorySchoolRepository repository_;
  SchoolRegistry registry_{&repository_};

  int64_t Latest() { return *repository_.LatestChangeVersion(); }
};

TEST_F(SchoolRegistryTest, UpsertCreatesSchoolsWithConsecutiveVersions) {
  absl::StatusOr<WriteSummary> summary = registry_.UpsertSchools("r1", {MakeSchool(1), MakeSchool(2)}, false);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->created_count, 2);
  EXPECT_EQ(summary->first_change_version, 1);
  EXPECT_EQ(summary->last_change_version, 2);
  EXPECT_FALSE(summary->replayed);
  absl::StatusOr<School> stored = registry_.GetSchool(MakeSchool(2).school_code);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->SameContent(MakeSchool(2)));
  EXPECT_EQ(stored->change_version, 2);
}

TEST_F(SchoolRegistryTest, ReplayedRequestIdReturnsTheFirstAnswerAndWritesNothing) {
  const WriteSummary first = *registry_.UpsertSchools("r1", {MakeSchool(1)}, false);
  absl::StatusOr<WriteSummary> again = registry_.UpsertSchools("r1", {MakeSchool(1)}, false);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->created_count, first.created_count);
  EXPECT_EQ(again->last_change_version, first.last_change_version);
  EXPECT_EQ(Latest(), 1);
}

TEST_F(SchoolRegistryTest, RequestIdReusedForOtherContentIsAlreadyExists) {
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1)}, false).ok());
  absl::StatusOr<WriteSummary> other = registry_.UpsertSchools("r1", {MakeSchool(2)}, false);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Latest(), 1);
  EXPECT_EQ(registry_.GetSchool(MakeSchool(2).school_code).status().code(), absl::StatusCode::kNotFound);
  // Another method under the same id is other content too.
  EXPECT_EQ(registry_.DeleteSchool("r1", MakeSchool(1).school_code).status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(SchoolRegistryTest, UnchangedSchoolsUseNoVersionAndChangedOnesANewOne) {
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1), MakeSchool(2)}, false).ok());
  School renamed = MakeSchool(2);
  renamed.name = "改名后的学校";
  absl::StatusOr<WriteSummary> summary = registry_.UpsertSchools("r2", {MakeSchool(1), renamed}, false);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->unchanged_count, 1);
  EXPECT_EQ(summary->updated_count, 1);
  EXPECT_EQ(summary->first_change_version, 3);
  EXPECT_EQ(summary->last_change_version, 3);
  EXPECT_EQ(registry_.GetSchool(renamed.school_code)->name, "改名后的学校");
}

TEST_F(SchoolRegistryTest, DryRunWritesNothingAndLeavesTheRequestIdUnused) {
  absl::StatusOr<WriteSummary> preview = registry_.UpsertSchools("r1", {MakeSchool(1)}, true);
  ASSERT_TRUE(preview.ok());
  EXPECT_TRUE(preview->dry_run);
  EXPECT_EQ(preview->created_count, 1);
  EXPECT_EQ(preview->first_change_version, 0);
  EXPECT_EQ(Latest(), 0);
  EXPECT_EQ(registry_.GetSchool(MakeSchool(1).school_code).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<WriteSummary> real = registry_.UpsertSchools("r1", {MakeSchool(1)}, false);
  ASSERT_TRUE(real.ok());
  EXPECT_FALSE(real->replayed);
  EXPECT_EQ(real->created_count, 1);
}

TEST_F(SchoolRegistryTest, InvalidBatchWritesNothingAndListsEveryViolation) {
  School bad = MakeSchool(3);
  bad.district_code = "999999";
  School worse = MakeSchool(4);
  worse.school_code = "12";
  absl::StatusOr<WriteSummary> summary = registry_.UpsertSchools("r1", {MakeSchool(1), bad, worse}, false);
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<FieldViolation> violations = GetFieldViolations(summary.status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "schools[1].district_code");
  EXPECT_EQ(violations[1].field, "schools[2].school_code");
  EXPECT_EQ(Latest(), 0);
  EXPECT_EQ(registry_.GetSchool(MakeSchool(1).school_code).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SchoolRegistryTest, InvalidRequestIdIsAViolation) {
  absl::StatusOr<WriteSummary> summary = registry_.UpsertSchools("", {MakeSchool(1)}, false);
  ASSERT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(summary.status())[0].field, "request_id");
}

TEST_F(SchoolRegistryTest, RecordsNeedARegisteredSchoolOfAFittingType) {
  const School junior = MakeSchool(2, SchoolType::kJunior);
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1), junior}, false).ok());
  SchoolYearRecord bad_content = MakeRecord(MakeSchool(1));
  bad_content.sections[0].students = -4;
  const SchoolYearRecord wrong_stage = MakeRecord(junior, 2024, Stage::kPrimary);
  const SchoolYearRecord unregistered = MakeRecord(MakeSchool(9));
  absl::StatusOr<WriteSummary> summary =
      registry_.UpsertSchoolYearRecords("r2", {bad_content, wrong_stage, unregistered}, false);
  ASSERT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(summary.status())) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"records[0].sections[0].students", "records[1].sections[0].stage",
                                              "records[2].school_code"}));
  EXPECT_EQ(Latest(), 2);
}

TEST_F(SchoolRegistryTest, RecordsAreUpsertedAndListedByDistrictAndYear) {
  const School liwan = MakeSchool(5, SchoolType::kPrimary, "440103");
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1), liwan}, false).ok());
  ASSERT_TRUE(
      registry_
          .UpsertSchoolYearRecords(
              "r2", {MakeRecord(MakeSchool(1), 2023), MakeRecord(MakeSchool(1), 2024), MakeRecord(liwan, 2024)}, false)
          .ok());
  absl::StatusOr<SchoolYearRecordPage> huadu_2024 = registry_.ListSchoolYearRecords("440114", 2024, 0, "");
  ASSERT_TRUE(huadu_2024.ok());
  ASSERT_EQ(huadu_2024->records.size(), 1u);
  EXPECT_TRUE(huadu_2024->records[0].SameContent(MakeRecord(MakeSchool(1), 2024)));
  EXPECT_EQ(registry_.ListSchoolYearRecords("", 2024, 0, "")->records.size(), 2u);
  EXPECT_EQ(registry_.ListSchoolYearRecords("440114", 0, 0, "")->records.size(), 2u);
}

// A school's new type must fit the records it has: a primary school with a
// primary record turned into a junior school would hold a record no
// evaluation can take (and stop the city's), so the change is refused with
// the record named, in both languages; a type that still fits passes.
TEST_F(SchoolRegistryTest, ATypeThatItsRecordsDoNotFitIsRefusedAndOneThatFitsPasses) {
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1), MakeSchool(2)}, false).ok());
  ASSERT_TRUE(registry_.UpsertSchoolYearRecords("r2", {MakeRecord(MakeSchool(1), 2024)}, false).ok());
  for (const bool dry_run : {true, false}) {
    absl::StatusOr<WriteSummary> refused = registry_.UpsertSchools(
        dry_run ? "r3-dry" : "r3", {MakeSchool(2, SchoolType::kJunior), MakeSchool(1, SchoolType::kJunior)}, dry_run);
    ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << refused.status();
    const std::vector<FieldViolation> violations = GetFieldViolations(refused.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "schools[1].school_type");
    EXPECT_NE(violations[0].description.find("2024 record does not fit"), std::string::npos)
        << violations[0].description;
    EXPECT_NE(violations[0].description_zh.find("2024 学年记录与此学校类型不符"), std::string::npos)
        << violations[0].description_zh;
  }
  // Nothing of the refused batch was written (school 2, which has no
  // records, stayed primary too).
  EXPECT_EQ(registry_.GetSchool(MakeSchool(1).school_code)->school_type, SchoolType::kPrimary);
  EXPECT_EQ(registry_.GetSchool(MakeSchool(2).school_code)->school_type, SchoolType::kPrimary);
  absl::StatusOr<WriteSummary> fits = registry_.UpsertSchools("r4", {MakeSchool(1, SchoolType::kNineYear)}, false);
  ASSERT_TRUE(fits.ok()) << fits.status();
  EXPECT_EQ(fits->updated_count, 1);
}

TEST_F(SchoolRegistryTest, DeleteLeavesTombstonesRecordsFirst) {
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1)}, false).ok());
  ASSERT_TRUE(
      registry_.UpsertSchoolYearRecords("r2", {MakeRecord(MakeSchool(1), 2023), MakeRecord(MakeSchool(1), 2024)}, false)
          .ok());
  absl::StatusOr<WriteSummary> deleted = registry_.DeleteSchool("r3", MakeSchool(1).school_code);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->updated_count, 3);
  EXPECT_EQ(deleted->first_change_version, 4);
  EXPECT_EQ(deleted->last_change_version, 6);

  absl::StatusOr<ChangePage> page = registry_.ListChanges(3, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->changes.size(), 3u);
  EXPECT_EQ(page->latest_version, 6);
  for (const Change& change : page->changes) {
    EXPECT_EQ(change.kind, ChangeKind::kDelete);
    EXPECT_EQ(change.request_id, "r3");
    EXPECT_EQ(change.district_code, "440114");
  }
  EXPECT_EQ(std::get<SchoolYearKey>(page->changes[0].entity), (SchoolYearKey{MakeSchool(1).school_code, 2023}));
  EXPECT_EQ(std::get<SchoolYearKey>(page->changes[1].entity), (SchoolYearKey{MakeSchool(1).school_code, 2024}));
  EXPECT_EQ(std::get<std::string>(page->changes[2].entity), MakeSchool(1).school_code);
  EXPECT_EQ(registry_.GetSchool(MakeSchool(1).school_code).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(registry_.ListSchoolYearRecords("", 0, 0, "")->records.empty());

  // Replaying the delete answers as the first time, though the school is gone.
  absl::StatusOr<WriteSummary> replay = registry_.DeleteSchool("r3", MakeSchool(1).school_code);
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(Latest(), 6);
}

TEST_F(SchoolRegistryTest, DeletingAnUnknownSchoolIsNotFoundAndWritesNothing) {
  EXPECT_EQ(registry_.DeleteSchool("r1", MakeSchool(1).school_code).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Latest(), 0);
  // The failed request did not consume its id.
  ASSERT_TRUE(registry_.UpsertSchools("r1", {MakeSchool(1)}, false).ok());
}

TEST_F(SchoolRegistryTest, ListSchoolsPagesInCodeOrderWithinADistrict) {
  std::vector<School> schools;
  for (int i = 30; i > 0; --i) schools.push_back(MakeSchool(i, SchoolType::kPrimary, i % 3 == 0 ? "440103" : "440114"));
  ASSERT_TRUE(registry_.UpsertSchools("r1", schools, false).ok());
  std::vector<std::string> codes;
  std::string token;
  int pages = 0;
  do {
    absl::StatusOr<SchoolPage> page = registry_.ListSchools("440114", 7, token);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const School& school : page->schools) codes.push_back(school.school_code);
    token = page->next_page_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(codes.size(), 20u);
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(codes.begin(), codes.end()));
}

TEST_F(SchoolRegistryTest, BadListArgumentsAreViolations) {
  absl::StatusOr<SchoolPage> page = registry_.ListSchools("12", 5000, "not-a-token");
  ASSERT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(page.status())) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"district_code", "page_size", "page_token"}));
  EXPECT_EQ(registry_.ListChanges(-1, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(SchoolRegistryTest, ChangeFeedPagesInVersionOrderFromAnyVersion) {
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(registry_.UpsertSchools("r" + std::to_string(i), {MakeSchool(i)}, false).ok());
  }
  std::vector<int64_t> versions;
  int64_t since = 0;
  while (true) {
    absl::StatusOr<ChangePage> page = registry_.ListChanges(since, 2);
    ASSERT_TRUE(page.ok());
    EXPECT_EQ(page->latest_version, 5);
    if (page->changes.empty()) break;
    for (const Change& change : page->changes) versions.push_back(change.change_version);
    since = page->changes.back().change_version;
  }
  EXPECT_EQ(versions, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  const Change third = registry_.ListChanges(2, 1)->changes.at(0);
  EXPECT_EQ(third.kind, ChangeKind::kUpsert);
  EXPECT_EQ(std::get<School>(third.entity).school_code, MakeSchool(3).school_code);
  EXPECT_EQ(std::get<School>(third.entity).change_version, 3);
}

}  // namespace
}  // namespace gzedu::registry

namespace gzedu::registry {
namespace {

// District scopes in the domain, on the in-memory store: every row outside
// is named, the batch is refused whole, a replay by an out-of-scope caller
// is refused too, and reads outside need a district in scope.
TEST(SchoolRegistryScopeTest, WritesOutsideTheScopeAreRefusedWholeNamingEveryRow) {
  InMemorySchoolRepository repository;
  SchoolRegistry registry(&repository);
  const AccessScope huadu = AccessScope::Districts({"440114"});
  ASSERT_TRUE(
      registry.UpsertSchools("mine", {gzedu::testing::MakeSchool(1, SchoolType::kPrimary, "440114")}, false, huadu)
          .ok());
  const absl::StatusOr<WriteSummary> mixed =
      registry.UpsertSchools("mixed",
                             {gzedu::testing::MakeSchool(2, SchoolType::kPrimary, "440114"),
                              gzedu::testing::MakeSchool(3, SchoolType::kPrimary, "440103"),
                              gzedu::testing::MakeSchool(4, SchoolType::kPrimary, "440104")},
                             false, huadu);
  ASSERT_EQ(mixed.status().code(), absl::StatusCode::kPermissionDenied);
  const std::vector<FieldViolation> named = GetFieldViolations(mixed.status());
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].field, "schools[1].district_code");
  EXPECT_EQ(named[1].field, "schools[2].district_code");
  EXPECT_EQ(*repository.LatestChangeVersion(), 1);  // nothing of the batch
  // The whole city may; then a Huadu writer may neither delete nor replay it.
  ASSERT_TRUE(
      registry.UpsertSchools("city", {gzedu::testing::MakeSchool(5, SchoolType::kPrimary, "440103")}, false).ok());
  EXPECT_EQ(registry.DeleteSchool("del", gzedu::testing::MakeSchool(5).school_code, huadu).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      registry.UpsertSchools("city", {gzedu::testing::MakeSchool(5, SchoolType::kPrimary, "440103")}, false, huadu)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(AccessScope::WholeCity().CheckRead("", "district_code").ok());
  EXPECT_TRUE(huadu.CheckRead("440114", "district_code").ok());
  EXPECT_EQ(huadu.CheckRead("440103", "district_code").code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(huadu.CheckRead("", "district_code").code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace gzedu::registry
