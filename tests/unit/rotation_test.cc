#include <gtest/gtest.h>

#include "services/teacher_rotation/domain/rules.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"
#include "services/teacher_rotation/domain/validation.h"
#include "services/teacher_rotation/storage/in_memory_rotation_repository.h"
#include "tests/support/rotation_fixtures.h"

namespace gzedu::rotation {
namespace {

using gzedu::testing::FakeClock;
using gzedu::testing::MakeRotation;
using gzedu::testing::MakeTeacher;

Rotation Approved(const std::string& teacher_id, const std::string& effective, const std::string& end = "") {
  Rotation r = MakeRotation(teacher_id, effective, end);
  r.state = RotationState::kApproved;
  return r;
}

// ----------------------------------------------------------------- rules --

TEST(DateTest, ParsesOnlyRealDays) {
  EXPECT_TRUE(Date::Parse("2024-02-29").has_value());
  EXPECT_FALSE(Date::Parse("2023-02-29").has_value());
  EXPECT_FALSE(Date::Parse("2024-13-01").has_value());
  EXPECT_FALSE(Date::Parse("2024-9-01").has_value());
  EXPECT_EQ(Date::Parse("2024-09-01")->SchoolYear(), 2024);
  EXPECT_EQ(Date::Parse("2025-08-31")->SchoolYear(), 2024);
  EXPECT_EQ(WholeYearsBetween(*Date::Parse("2018-09-01"), *Date::Parse("2024-09-01")), 6);
  EXPECT_EQ(WholeYearsBetween(*Date::Parse("2018-09-02"), *Date::Parse("2024-09-01")), 5);
}

TEST(EligibilityTest, ExactlySixYearsOnFirstSeptemberIsEligible) {
  const RotationSummary exactly = Summarize({MakeTeacher(1, "2018-09-01")}, {}, 2024, 6);
  EXPECT_EQ(exactly.eligible_teachers, 1);
  const RotationSummary a_day_short = Summarize({MakeTeacher(1, "2018-09-02")}, {}, 2024, 6);
  EXPECT_EQ(a_day_short.eligible_teachers, 0);
}

TEST(EligibilityTest, ExemptPrivateAndPartTimeTeachersAreNotEligible) {
  Teacher exempt = MakeTeacher(1);
  exempt.rotation_exempt = true;
  Teacher private_school = MakeTeacher(2);
  private_school.school_ownership = SchoolOwnership::kPrivate;
  Teacher part_time = MakeTeacher(3);
  part_time.full_time = false;
  EXPECT_EQ(Summarize({exempt, private_school, part_time, MakeTeacher(4)}, {}, 2024, 6).eligible_teachers, 1);
}

TEST(EligibilityTest, TheMinimumYearsAreConfigurable) {
  EXPECT_EQ(Summarize({MakeTeacher(1, "2020-09-01")}, {}, 2024, 6).eligible_teachers, 0);
  EXPECT_EQ(Summarize({MakeTeacher(1, "2020-09-01")}, {}, 2024, 4).eligible_teachers, 1);
}

TEST(EligibilityTest, ARotationRestartsTheYearsAtTheCurrentSchool) {
  // Rotated away in 2020 and back in 2022: two years at the school again.
  const std::map<std::string, std::vector<Rotation>> rotations = {
      {"HD-T1", {Approved("HD-T1", "2020-09-01", "2022-09-01")}}};
  EXPECT_EQ(Summarize({MakeTeacher(1, "2005-09-01")}, rotations, 2024, 6).eligible_teachers, 0);
  EXPECT_EQ(Summarize({MakeTeacher(1, "2005-09-01")}, rotations, 2028, 6).eligible_teachers, 1);
}

TEST(RotatedTest, OnlyRotationsEffectiveWithinTheSchoolYearCount) {
  const std::map<std::string, std::vector<Rotation>> rotations = {
      {"HD-T1", {Approved("HD-T1", "2024-08-31")}},  // school year 2023
      {"HD-T2", {Approved("HD-T2", "2024-09-01")}},  // school year 2024
      {"HD-T3", {Approved("HD-T3", "2025-08-31")}},  // school year 2024
      {"HD-T4", {Approved("HD-T4", "2025-09-01")}},  // school year 2025
  };
  Teacher backbone = MakeTeacher(3);
  backbone.backbone_level = BackboneLevel::kCity;
  const RotationSummary summary =
      Summarize({MakeTeacher(1), MakeTeacher(2), backbone, MakeTeacher(4)}, rotations, 2024, 6);
  EXPECT_EQ(summary.rotated_teachers, 2);
  EXPECT_EQ(summary.rotated_backbone_teachers, 1);
}

TEST(AssignmentTest, FollowsApprovedRotationsByDate) {
  const Teacher teacher = MakeTeacher(1, "2010-01-01");
  const std::vector<Rotation> approved = {Approved("HD-T1", "2024-09-01", "2025-07-15")};
  EXPECT_EQ(AssignmentOn(teacher, approved, *Date::Parse("2024-08-31")).school_code, "2144011401");
  EXPECT_EQ(AssignmentOn(teacher, approved, *Date::Parse("2024-09-01")).school_code, "2144011402");
  const Assignment back = AssignmentOn(teacher, approved, *Date::Parse("2025-07-15"));
  EXPECT_EQ(back.school_code, "2144011401");
  EXPECT_EQ(back.since, *Date::Parse("2025-07-15"));
}

TEST(ShortfallTest, CountsTheRotationsAndBackboneTeachersStillNeeded) {
  int32_t extra = 0;
  int32_t backbone = 0;
  Shortfall(1000, 80, 10, &extra, &backbone);
  EXPECT_EQ(extra, 20);     // 10% of 1000 is 100
  EXPECT_EQ(backbone, 10);  // 20% of 100 is 20
  Shortfall(1000, 100, 20, &extra, &backbone);
  EXPECT_EQ(extra, 0);
  EXPECT_EQ(backbone, 0);
  // Enough rotations but too few backbone: each extra backbone rotation
  // raises the total too.
  Shortfall(100, 40, 0, &extra, &backbone);
  EXPECT_EQ(backbone, extra);
  EXPECT_GE(5 * backbone, 40 + extra);
  EXPECT_LT(5 * (backbone - 1), 40 + extra - 1);
}

TEST(StaffingTest, CountsFullTimeTeachersWhereTheyWorkOnFirstSeptember) {
  Teacher pe = MakeTeacher(1);
  pe.subject = Subject::kPe;
  pe.backbone_level = BackboneLevel::kCounty;
  Teacher secondary = MakeTeacher(2);
  secondary.highest_degree = Degree::kSecondary;
  secondary.training_hours_current_cycle = 359;
  Teacher junior_associate = MakeTeacher(3);
  junior_associate.stage = Stage::kJunior;
  junior_associate.highest_degree = Degree::kAssociate;
  Teacher part_time = MakeTeacher(4);
  part_time.full_time = false;
  Teacher away = MakeTeacher(5);
  const std::map<std::string, std::vector<Rotation>> rotations = {{"HD-T5", {Approved("HD-T5", "2024-08-20")}}};
  const std::vector<SectionStaffing> sections =
      StaffingOf("2144011401", {pe, secondary, junior_associate, part_time, away}, rotations, 2024);
  ASSERT_EQ(sections.size(), 2u);
  const SectionStaffing& primary = sections[0];
  EXPECT_EQ(primary.stage, Stage::kPrimary);
  EXPECT_EQ(primary.full_time_teachers, 2);
  EXPECT_EQ(primary.above_required_qualification, 1);  // secondary is below 专科
  EXPECT_EQ(primary.backbone_county_or_above, 1);
  EXPECT_EQ(primary.pe_music_art, 1);
  EXPECT_EQ(primary.training_complete, 1);
  EXPECT_EQ(sections[1].above_required_qualification, 0);  // junior needs 本科
  EXPECT_EQ(StaffingOf("2144011402", {away}, rotations, 2024).at(0).full_time_teachers, 1);
}

TEST(ValidationTest, RejectsResidentIdShapedTeacherIds) {
  EXPECT_TRUE(LooksLikeResidentId("44011419800101123X"));
  EXPECT_TRUE(LooksLikeResidentId("440114198001011234"));
  EXPECT_TRUE(LooksLikeResidentId("440114800101123"));
  EXPECT_FALSE(LooksLikeResidentId("HD-2024-000123"));
  FieldViolations violations;
  Teacher teacher = MakeTeacher(1);
  teacher.teacher_id = "440114198001011234";
  ValidateTeacher(teacher, "teachers[0]", violations);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations.list()[0].field, "teachers[0].teacher_id");
}

// ------------------------------------------------------------- use cases --

class TeacherRotationTest : public ::testing::Test {
 protected:
  InMemoryRotationRepository repository_;
  FakeClock clock_{*Date::Parse("2024-09-15")};
  TeacherRotation service_{&repository_, &clock_, 6};
};

TEST_F(TeacherRotationTest, ProposeApproveCancelRecordsWhoAndWhich) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  absl::StatusOr<RotationResult> proposed =
      service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01"), "花都区教育局人事科");
  ASSERT_TRUE(proposed.ok()) << proposed.status();
  EXPECT_EQ(proposed->rotation.rotation_id, "rot-000001");
  EXPECT_EQ(proposed->rotation.state, RotationState::kProposed);
  absl::StatusOr<RotationResult> approved = service_.ApproveRotation("a1", "rot-000001", "局长");
  ASSERT_TRUE(approved.ok()) << approved.status();
  EXPECT_EQ(approved->rotation.state, RotationState::kApproved);
  ASSERT_EQ(approved->rotation.history.size(), 2u);
  EXPECT_EQ(approved->rotation.history[1].actor, "局长");
  EXPECT_EQ(approved->rotation.history[1].request_id, "a1");
  absl::StatusOr<RotationResult> cancelled = service_.CancelRotation("c1", "rot-000001", "局长");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->rotation.state, RotationState::kCancelled);
}

TEST_F(TeacherRotationTest, TransitionsOutOfOrderAreFailedPrecondition) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  ASSERT_TRUE(service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01"), "hr").ok());
  ASSERT_TRUE(service_.CancelRotation("c1", "rot-000001", "hr").ok());
  EXPECT_EQ(service_.ApproveRotation("a1", "rot-000001", "hr").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_.CancelRotation("c2", "rot-000001", "hr").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_.ApproveRotation("a2", "rot-999999", "hr").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TeacherRotationTest, ReplaysAnswerAsTheFirstTimeEvenAfterLaterSteps) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  ASSERT_TRUE(service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01"), "hr").ok());
  ASSERT_TRUE(service_.ApproveRotation("a1", "rot-000001", "boss").ok());
  const int64_t latest = *repository_.LatestChangeVersion();
  absl::StatusOr<RotationResult> replay = service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01"), "hr");
  ASSERT_TRUE(replay.ok());
  EXPECT_TRUE(replay->replayed);
  EXPECT_EQ(replay->rotation.state, RotationState::kProposed);
  EXPECT_EQ(replay->rotation.history.size(), 1u);
  EXPECT_TRUE(service_.ApproveRotation("a1", "rot-000001", "boss")->replayed);
  EXPECT_EQ(*repository_.LatestChangeVersion(), latest);
  EXPECT_EQ(service_.ApproveRotation("a1", "rot-000001", "someone else").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(TeacherRotationTest, ProposalsNeedARosteredTeacherAtTheFromSchool) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  absl::StatusOr<RotationResult> unknown = service_.ProposeRotation("p1", MakeRotation("HD-T9", "2024-10-01"), "hr");
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(unknown.status())[0].field, "rotation.teacher_id");
  absl::StatusOr<RotationResult> wrong_school =
      service_.ProposeRotation("p2", MakeRotation("HD-T1", "2024-10-01", "", "2144011409", "2144011402"), "hr");
  ASSERT_EQ(wrong_school.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(wrong_school.status())[0].field, "rotation.from_school_code");
  absl::StatusOr<RotationResult> bad =
      service_.ProposeRotation("p3", MakeRotation("HD-T1", "2024-10-01", "2024-09-01", "2144011401", "2144011401"), "");
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(bad.status()).size(), 3u);  // to == from, end before start, no actor
}

TEST_F(TeacherRotationTest, OverlappingApprovalsAreRefused) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  ASSERT_TRUE(service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01", "2025-07-01"), "hr").ok());
  ASSERT_TRUE(service_.ProposeRotation("p2", MakeRotation("HD-T1", "2025-03-01", "2025-12-01"), "hr").ok());
  ASSERT_TRUE(service_.ApproveRotation("a1", "rot-000001", "hr").ok());
  EXPECT_EQ(service_.ApproveRotation("a2", "rot-000002", "hr").status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(TeacherRotationTest, CurrentSchoolMovesOnTheEffectiveDate) {
  ASSERT_TRUE(service_.UpsertTeachers("t", {MakeTeacher(1)}, false).ok());
  ASSERT_TRUE(service_.ProposeRotation("p1", MakeRotation("HD-T1", "2024-10-01"), "hr").ok());
  ASSERT_TRUE(service_.ApproveRotation("a1", "rot-000001", "hr").ok());
  EXPECT_EQ(service_.ListTeachers("440114", "", 0, "")->current_school_codes[0], "2144011401");
  clock_.Set(*Date::Parse("2024-10-01"));
  EXPECT_EQ(service_.ListTeachers("440114", "", 0, "")->current_school_codes[0], "2144011402");
}

// Builds a district roster with `eligible` eligible teachers, `rotated` of
// them rotated in the school year, `backbone` of those backbone teachers,
// plus teachers that must not count (too recent, exempt, private).
void BuildRoster(TeacherRotation& service, int eligible, int rotated, int backbone) {
  std::vector<Teacher> teachers;
  for (int i = 0; i < eligible; ++i) {
    Teacher t = MakeTeacher(i, "2012-08-20");
    if (i < backbone) t.backbone_level = BackboneLevel::kCounty;
    teachers.push_back(t);
  }
  for (int i = 0; i < 300; ++i) {
    Teacher t = MakeTeacher(100000 + i, i % 3 == 0 ? "2021-09-01" : "2012-08-20");
    t.rotation_exempt = i % 3 == 1;
    if (i % 3 == 2) t.school_ownership = SchoolOwnership::kPrivate;
    teachers.push_back(t);
  }
  for (size_t start = 0; start < teachers.size(); start += 1000) {
    const std::vector<Teacher> batch(teachers.begin() + start,
                                     teachers.begin() + std::min(teachers.size(), start + 1000));
    ASSERT_TRUE(service.UpsertTeachers("roster-" + std::to_string(start), batch, false).ok());
  }
  for (int i = 0; i < rotated; ++i) {
    const std::string id = "HD-T" + std::to_string(i);
    absl::StatusOr<RotationResult> proposed = service.ProposeRotation("p-" + id, MakeRotation(id, "2024-09-10"), "hr");
    ASSERT_TRUE(proposed.ok()) << proposed.status();
    ASSERT_TRUE(service.ApproveRotation("a-" + id, proposed->rotation.rotation_id, "hr").ok());
  }
}

TEST_F(TeacherRotationTest, ReproducesLiwan2024) {
  BuildRoster(service_, 1753, 247, 113);
  absl::StatusOr<RotationSummary> summary = service_.GetRotationSummary("440114", 2024);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->eligible_teachers, 1753);
  EXPECT_EQ(summary->rotated_teachers, 247);
  EXPECT_EQ(summary->rotated_backbone_teachers, 113);
  EXPECT_NEAR(summary->rotation_ratio, 14.09, 0.005);
  EXPECT_NEAR(summary->backbone_share, 45.75, 0.005);
  EXPECT_TRUE(summary->meets_standard);
  EXPECT_EQ(summary->additional_rotations_needed, 0);
}

TEST_F(TeacherRotationTest, ReproducesHuadu2024) {
  BuildRoster(service_, 1670, 324, 118);
  absl::StatusOr<RotationSummary> summary = service_.GetRotationSummary("440114", 2024);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->eligible_teachers, 1670);
  EXPECT_NEAR(summary->rotation_ratio, 19.40, 0.005);
  EXPECT_NEAR(summary->backbone_share, 36.42, 0.005);
  EXPECT_TRUE(summary->meets_standard);
}

TEST_F(TeacherRotationTest, ADistrictShortOfRotationsIsToldHowManyMore) {
  BuildRoster(service_, 500, 30, 2);
  absl::StatusOr<RotationSummary> summary = service_.GetRotationSummary("440114", 2024);
  ASSERT_TRUE(summary.ok());
  EXPECT_FALSE(summary->meets_standard);
  EXPECT_EQ(summary->additional_rotations_needed, 20);          // 50 needed
  EXPECT_EQ(summary->additional_backbone_rotations_needed, 8);  // 20% of 50 is 10
  // A rotation effective in the previous school year does not count.
  EXPECT_EQ(service_.GetRotationSummary("440114", 2023)->rotated_teachers, 0);
}

}  // namespace
}  // namespace gzedu::rotation
