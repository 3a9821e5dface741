// Issue 13's reproductions, each with its right value: exact comparisons at
// every threshold, no wrap-around, no verdict without evidence, and the
// decided readings (docs/indicators.md sections 8 and 11).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/exact.h"
#include "services/indicator_evaluation/engine/input_validation.h"
#include "tests/support/district_builder.h"

namespace gzedu::engine {
namespace {

using gzedu::testing::District;
using gzedu::testing::Find;

bool AnyNoteContains(const IndicatorResult& r, const std::string& text) {
  for (const std::string& note : r.notes) {
    if (note.find(text) != std::string::npos) return true;
  }
  return false;
}

// A section of `students` whose seven values are comfortably above the
// thresholds of both stages, except the facilities set by the caller.
SectionInput Section(Stage stage, int32_t students, double sports_area_m2) {
  SectionInput s;
  s.stage = stage;
  s.students = students;
  // Classes of at most 40; their sizes listed for realistic sections only.
  s.classes = static_cast<int32_t>((int64_t{students} + 39) / 40);
  if (students <= 4000) {
    s.class_sizes.assign(s.classes, students / s.classes);
    for (int32_t i = 0; i < students % s.classes; ++i) ++s.class_sizes[i];
  }
  s.teachers->full_time = students;
  s.teachers->above_required_qualification = students;
  s.teachers->backbone_county_or_above = students;
  s.teachers->pe_music_art = students;
  s.teachers->certified = students;
  s.teachers->training_complete = students;
  Facilities f;
  f.teaching_area_m2 = 10.0 * students;
  f.sports_area_m2 = sports_area_m2;
  f.equipment_value_fen = int64_t{300000} * students;
  f.multimedia_rooms = students;
  s.facilities = f;
  return s;
}

SchoolInput School(const std::string& code, SchoolType type, std::vector<SectionInput> sections) {
  SchoolInput school;
  school.school_code = code;
  school.name = "school " + code;
  school.type = type;
  school.sections = std::move(sections);
  school.music_room_areas_m2 = {96};
  school.art_room_areas_m2 = {90};
  return school;
}

// ------------------------------------------------- exact comparisons --

TEST(ExactComparisonTest, APrimaryCvOfExactlyHalfMeetsTheLimit) {
  // Students 11, 9, 2; sports areas 82.5, 202.5, 45 m²: values 7.5, 22.5,
  // 22.5; district value 15; S = 7.5; CV = 0.5 exactly.
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 11, 82.5)}),
                         School("2", SchoolType::kPrimary, {Section(Stage::kPrimary, 9, 202.5)}),
                         School("3", SchoolType::kPrimary, {Section(Stage::kPrimary, 2, 45)})}));
  const IndicatorResult& r5 = Find(e, "R5", Stage::kPrimary);
  EXPECT_EQ(r5.verdict, Verdict::kMeets);
  ASSERT_TRUE(r5.cv_actual.has_value());
  EXPECT_EQ(*r5.cv_actual, 0.5);
  EXPECT_EQ(*r5.value, 15.0);
  EXPECT_FALSE(AnyNoteContains(r5, "above the limit"));
}

TEST(ExactComparisonTest, AJuniorCvOfExactly045MeetsAndOneHundredthOfAMetreMoreFails) {
  // Two sections of 10 students with 66 and 174 m²: values 6.6 and 17.4
  // around a mean of 12: CV = 5.4 / 12 = 0.45 exactly.
  const auto evaluate = [](double second_area) {
    return Evaluate(District({School("1", SchoolType::kJunior, {Section(Stage::kJunior, 10, 66)}),
                              School("2", SchoolType::kJunior, {Section(Stage::kJunior, 10, second_area)})}));
  };
  const DistrictEvaluation at_limit = evaluate(174);
  const IndicatorResult& r5 = Find(at_limit, "R5", Stage::kJunior);
  EXPECT_EQ(r5.verdict, Verdict::kMeets);
  EXPECT_LE(*r5.cv_actual, 0.45);
  EXPECT_NEAR(*r5.cv_actual, 0.45, 1e-15);
  EXPECT_FALSE(AnyNoteContains(r5, "above the limit"));

  const DistrictEvaluation above = evaluate(174.01);
  const IndicatorResult& r5_above = Find(above, "R5", Stage::kJunior);
  EXPECT_EQ(r5_above.verdict, Verdict::kDoesNotMeet);
  EXPECT_GT(*r5_above.cv_actual, 0.45);
  EXPECT_TRUE(AnyNoteContains(r5_above, "above the limit"));
}

TEST(ExactComparisonTest, TheSeventhIndicatorAtExactly85PercentOfItsThresholdPasses) {
  // Junior R4: 0.85 × 5.8 = 4.93 m² per student: 100 students, 493 m².
  SectionInput section = Section(Stage::kJunior, 100, 2000);
  section.facilities->teaching_area_m2 = 493;
  DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kJunior, {section})}));
  EXPECT_EQ(e.stages[1].sections_with_one_at_85, 1);
  EXPECT_EQ(e.stages[1].sections_failing, 0);
  section.facilities->teaching_area_m2 = 492.99;
  e = Evaluate(District({School("1", SchoolType::kJunior, {section})}));
  EXPECT_EQ(e.stages[1].sections_failing, 1);
}

TEST(ExactComparisonTest, ADistrictValueEqualToItsThresholdMeetsWhateverTheApportionment) {
  // A nine-year school apportions 3 × 4.5 m² per primary student... exactly:
  // primary 1 student, junior 2 students, shared teaching area 13.5 + 2 ×
  // 5.8 = 25.1 m² shared by enrolment share: primary 25.1 / 3 = 8.3667,
  // junior 16.7333 -> 8.3667 each. Both above; now lower the area until the
  // primary value is exactly its threshold: 4.5 × 3 = 13.5 m².
  SchoolInput school =
      School("9", SchoolType::kNineYear, {Section(Stage::kPrimary, 1, 100), Section(Stage::kJunior, 2, 100)});
  school.sections[0].facilities.reset();
  school.sections[1].facilities.reset();
  school.shared_facilities = Facilities{13.5, 200, 900000, 3};
  const DistrictEvaluation e = Evaluate(District({school}));
  EXPECT_EQ(Find(e, "R4", Stage::kPrimary).verdict, Verdict::kMeets);
  EXPECT_EQ(*Find(e, "R4", Stage::kPrimary).value, 4.5);
  EXPECT_EQ(Find(e, "R4", Stage::kJunior).verdict, Verdict::kDoesNotMeet);  // 4.5 < 5.8
}

TEST(ExactComparisonTest, ApportionedMoneyIsKeptExactNotRoundedToFenBeforeDividing) {
  // 5999.99 yuan shared by 1 primary and 2 junior students: the primary
  // part is 1999.9966... yuan, below 2000. Rounded to fen first it would be
  // 2000.00 and meet.
  SchoolInput school =
      School("9", SchoolType::kNineYear, {Section(Stage::kPrimary, 1, 100), Section(Stage::kJunior, 2, 100)});
  school.sections[0].facilities.reset();
  school.sections[1].facilities.reset();
  school.shared_facilities = Facilities{100, 100, 599999, 3};
  const DistrictEvaluation e = Evaluate(District({school}));
  const SectionResult& primary = e.stages[0].section_results.at(0);
  EXPECT_FALSE(primary.reaches[5]);
  EXPECT_LT(primary.values[5], 2000.0);
  EXPECT_EQ(Find(e, "R6", Stage::kPrimary).verdict, Verdict::kDoesNotMeet);
}

TEST(ExactComparisonTest, RatioIndicatorsAtTheirThresholdMeetAndJustBelowFail) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)})});
  input.facts.rotation_eligible_teachers = 1753;
  input.facts.rotated_teachers = 176;          // 10.04%
  input.facts.rotated_backbone_teachers = 35;  // 19.89%: fails the 20% backbone share
  EXPECT_EQ(Find(Evaluate(input), "G11").verdict, Verdict::kDoesNotMeet);
  input.facts.rotated_teachers = 175;          // 9.98%
  input.facts.rotated_backbone_teachers = 35;  // exactly 20%
  EXPECT_EQ(Find(Evaluate(input), "G11").verdict, Verdict::kDoesNotMeet);
  input.facts.rotation_eligible_teachers = 1750;  // 175 / 1750 = 10% exactly
  const IndicatorResult g11 = Find(Evaluate(input), "G11");
  EXPECT_EQ(g11.verdict, Verdict::kMeets);
  EXPECT_EQ(*g11.value, 10.0);
  // A teacher counts as rotated whether or not they were eligible: more
  // rotated than eligible is a real district's figure, 120% here, and meets.
  input.facts.rotation_eligible_teachers = 100;
  input.facts.rotated_teachers = 120;
  input.facts.rotated_backbone_teachers = 24;
  std::vector<InputProblem> problems;
  ValidateDistrictInput(input, "$", &problems);
  EXPECT_TRUE(problems.empty());
  const IndicatorResult above = Find(Evaluate(input), "G11");
  EXPECT_EQ(above.verdict, Verdict::kMeets);
  EXPECT_EQ(*above.value, 120.0);

  input.facts.zoned_admission_primary = 100;
  input.facts.admission_primary_total = 100;
  input.facts.zoned_admission_junior = 19;
  input.facts.admission_junior_total = 20;  // 95% exactly
  EXPECT_EQ(Find(Evaluate(input), "G13").verdict, Verdict::kMeets);

  input.facts.quota_total_places = 4228;
  input.facts.quota_allocated_places = 2114;  // 50% exactly
  EXPECT_EQ(Find(Evaluate(input), "G14").verdict, Verdict::kMeets);
  input.facts.quota_allocated_places = 2113;
  EXPECT_EQ(Find(Evaluate(input), "G14").verdict, Verdict::kDoesNotMeet);

  input.facts.teacher_average_pay_yuan = 265512.01;
  input.facts.civil_servant_average_pay_yuan = 265512.02;
  input.facts.performance_pay_fully_approved = true;
  EXPECT_EQ(Find(Evaluate(input), "G8").verdict, Verdict::kDoesNotMeet);
  input.facts.teacher_average_pay_yuan = 265512.02;
  EXPECT_EQ(Find(Evaluate(input), "G8").verdict, Verdict::kMeets);

  input.schools[0].funding.operating_budget_fen = 71658730000;
  input.schools[0].funding.training_budget_fen = 3582936500;  // 5% exactly
  EXPECT_EQ(Find(Evaluate(input), "Q4").verdict, Verdict::kMeets);
  input.schools[0].funding.training_budget_fen = 3582936499;
  EXPECT_EQ(Find(Evaluate(input), "Q4").verdict, Verdict::kDoesNotMeet);

  input.facts.social_recognition_percent = 85.0;
  EXPECT_EQ(Find(Evaluate(input), "S1").verdict, Verdict::kMeets);
  input.facts.social_recognition_percent = 84.99;
  EXPECT_EQ(Find(Evaluate(input), "S1").verdict, Verdict::kDoesNotMeet);
}

TEST(ExactComparisonTest, SpecialEducationFundsAtExactly6000YuanPerStudentMeet) {
  SchoolInput special = School("S", SchoolType::kSpecialEducation, {});
  special.special_education_students = 674;
  special.funding.operating_funds_fen = int64_t{600000} * 674;
  DistrictInput input = District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)}), special});
  EXPECT_EQ(Find(Evaluate(input), "G7").verdict, Verdict::kMeets);
  input.schools[1].funding.operating_funds_fen = int64_t{600000} * 674 - 1;
  EXPECT_EQ(Find(Evaluate(input), "G7").verdict, Verdict::kDoesNotMeet);
}

TEST(ExactArithmeticTest, FractionsCompareByCrossMultiplication) {
  using exact::Fraction;
  EXPECT_EQ(exact::Compare(Fraction::Decimal(82.5), Fraction{165, 2}), 0);
  EXPECT_EQ(exact::Compare(exact::Scaled(Fraction::Decimal(4.2), 85, 100), Fraction{357, 100}), 0);
  EXPECT_TRUE(exact::RatioAtLeastPercent(19, 20, 95));
  EXPECT_FALSE(exact::RatioAtLeastPercent(18999999, 20000000, 95));
}

// ----------------------------------------------------------- no wrap --

TEST(NoWrapTest, StageStudentsAndValuesOfHugeSectionsStayPositive) {
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 1'100'000'000, 1e9)}),
                         School("2", SchoolType::kPrimary, {Section(Stage::kPrimary, 1'100'000'000, 1e9)})}));
  EXPECT_EQ(e.stages[0].students, int64_t{2'200'000'000});
  const IndicatorResult& r1 = Find(e, "R1", Stage::kPrimary);
  ASSERT_TRUE(r1.value.has_value());
  EXPECT_EQ(*r1.value, 100.0);
}

TEST(NoWrapTest, ANineYearSchoolOfTwoMaximalSectionsFailsTheSchoolSizeRule) {
  const int32_t max = std::numeric_limits<int32_t>::max();
  SectionInput primary = Section(Stage::kPrimary, max, 1e9);
  SectionInput junior = Section(Stage::kJunior, max, 1e9);
  const DistrictEvaluation e = Evaluate(District({School("9", SchoolType::kNineYear, {primary, junior})}));
  const IndicatorResult& g4 = Find(e, "G4");
  EXPECT_EQ(g4.verdict, Verdict::kDoesNotMeet);
  ASSERT_EQ(g4.failing.size(), 1u);
  EXPECT_NE(g4.failing[0].find("4294967294"), std::string::npos) << g4.failing[0];
}

TEST(NoWrapTest, ClassesThatCanHoldEveryStudentAreNotProofOfAnOversizeClass) {
  // 2,147,483,647 students in 53,687,091 classes of at most 50 fit (50 ×
  // 53,687,091 = 2,684,354,550): without class sizes G5 is pending, not a
  // failure from a wrapped product.
  SectionInput junior = Section(Stage::kJunior, std::numeric_limits<int32_t>::max(), 1e10);
  junior.classes = 53'687'091;
  junior.class_sizes.clear();
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kJunior, {junior})}));
  EXPECT_EQ(Find(e, "G5").verdict, Verdict::kPending);
}

// ---------------------------------------------------- evidence only --

TEST(EvidenceTest, AYearWithNoDataIsIncompleteWithNothingFailing) {
  // Schools registered, no section records for the year; the roster counts
  // eligible teachers but no rotation is recorded.
  DistrictInput input = District({School("1", SchoolType::kPrimary, {}), School("2", SchoolType::kJunior, {})});
  input.school_year = 2023;
  input.facts.rotation_eligible_teachers = 1646;
  input.facts.rotated_teachers = 0;
  input.facts.rotated_backbone_teachers = 0;
  const DistrictEvaluation e = Evaluate(input);
  EXPECT_EQ(e.verdict, OverallVerdict::kIncomplete);
  EXPECT_TRUE(e.failing_indicators.empty()) << e.failing_indicators.front();
  for (const char* id : {"G3", "G4", "G5", "G6", "G7", "G11"}) {
    EXPECT_EQ(Find(e, id).verdict, Verdict::kPending) << id;
  }
  for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
    EXPECT_EQ(Find(e, "R1", stage).verdict, Verdict::kPending);
    EXPECT_FALSE(Find(e, "R1", stage).cv_actual.has_value());
  }
  EXPECT_FALSE(e.missing_inputs.empty());
}

TEST(EvidenceTest, ClassesWithoutClassSizesLeaveG5PendingEvenWithZeroClasses) {
  SectionInput section = Section(Stage::kPrimary, 100, 1000);
  section.classes = 0;
  section.class_sizes.clear();
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict, Verdict::kPending);
  section.classes = 3;  // 100 students fit in 3 classes of 45
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict, Verdict::kPending);
  section.classes = 2;  // 100 > 2 × 45: a class is over, whatever the sizes
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict,
            Verdict::kDoesNotMeet);
}

TEST(EvidenceTest, ZonedAdmissionIsJudgedPerStage) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)})});
  input.facts.zoned_admission_primary = 0;
  input.facts.admission_primary_total = 0;  // 0/0: undecided
  input.facts.zoned_admission_junior = 80;
  input.facts.admission_junior_total = 100;  // 80%: fails
  const IndicatorResult failing = Find(Evaluate(input), "G13");
  EXPECT_EQ(failing.verdict, Verdict::kDoesNotMeet);
  EXPECT_EQ(*failing.value, 80.0);  // the failing part is the headline
  input.facts.zoned_admission_junior = 100;
  EXPECT_EQ(Find(Evaluate(input), "G13").verdict, Verdict::kPending);
  input.facts.zoned_admission_primary = 99;
  input.facts.admission_primary_total = 100;
  const IndicatorResult primary_fails = Find(Evaluate(input), "G13");
  EXPECT_EQ(primary_fails.verdict, Verdict::kDoesNotMeet);
  EXPECT_EQ(*primary_fails.value, 99.0);
}

TEST(EvidenceTest, AbsentTeacherCountsLeaveR1ToR3G9AndG12PendingNotZero) {
  SectionInput unreported = Section(Stage::kPrimary, 100, 1000);
  unreported.teachers.reset();
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)}),
                         School("2", SchoolType::kPrimary, {unreported})}));
  for (const char* id : {"R1", "R2", "R3"}) EXPECT_EQ(Find(e, id, Stage::kPrimary).verdict, Verdict::kPending) << id;
  for (const char* id : {"R4", "R5", "R6", "R7"})
    EXPECT_EQ(Find(e, id, Stage::kPrimary).verdict, Verdict::kMeets) << id;
  EXPECT_EQ(Find(e, "G9").verdict, Verdict::kPending);
  EXPECT_EQ(Find(e, "G12").verdict, Verdict::kPending);
  EXPECT_EQ(e.stages[0].sections_incomplete, 1);
  EXPECT_EQ(e.verdict, OverallVerdict::kIncomplete);
  bool listed = false;
  for (const std::string& missing : e.missing_inputs)
    listed = listed || missing.find("2 school 2") != std::string::npos;
  EXPECT_TRUE(listed);
}

TEST(EvidenceTest, AbsentFacilitiesLeaveR4ToR7Pending) {
  SectionInput unreported = Section(Stage::kJunior, 100, 1000);
  unreported.facilities.reset();
  SchoolInput school = School("1", SchoolType::kJunior, {unreported});
  school.shared_facilities.reset();
  const DistrictEvaluation e = Evaluate(District({school}));
  for (const char* id : {"R4", "R5", "R6", "R7"})
    EXPECT_EQ(Find(e, id, Stage::kJunior).verdict, Verdict::kPending) << id;
  EXPECT_EQ(Find(e, "R1", Stage::kJunior).verdict, Verdict::kMeets);
}

TEST(EvidenceTest, ASectionFailingTwoKnownIndicatorsFailsEvenWithAnotherUnknown) {
  SectionInput section = Section(Stage::kPrimary, 100, 1);  // R5 far below
  section.facilities->teaching_area_m2 = 1;                 // R4 far below
  section.teachers.reset();
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kPrimary, {section})}));
  EXPECT_EQ(e.stages[0].sections_failing, 1);
  EXPECT_EQ(e.stages[0].sections_incomplete, 0);
}

// ---------------------------------------------------- decided readings --

TEST(DecidedReadingTest, G6CoversTeachingPointsWhateverTheirLocaleAndRuralPrimarySchools) {
  SchoolInput point = School("T", SchoolType::kTeachingPoint, {Section(Stage::kPrimary, 30, 1000)});
  point.locale = Locale::kUrban;
  point.funding.operating_funds_fen = 100;
  DistrictInput input = District({point});
  input.facts.operating_base_per_student_primary_fen = 65000;
  const IndicatorResult g6 = Find(Evaluate(input), "G6");
  EXPECT_EQ(g6.verdict, Verdict::kDoesNotMeet);
  EXPECT_EQ(*g6.denominator, 1.0);
  input.schools[0].funding.operating_funds_fen = 100 * 65000;
  EXPECT_EQ(Find(Evaluate(input), "G6").verdict, Verdict::kMeets);
  input.schools[0].type = SchoolType::kPrimary;  // an urban primary school is out of scope
  EXPECT_EQ(Find(Evaluate(input), "G6").verdict, Verdict::kNotApplicable);
}

TEST(DecidedReadingTest, AnUnknownBuildYearIsCheckedUnderTheRoomSizeConvention) {
  SchoolInput school = School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)});
  school.build_year = 0;
  school.music_room_areas_m2 = {80};
  DistrictInput input = District({school});
  input.conventions.room_size_rule_applies_from_build_year = 2016;
  EXPECT_EQ(Find(Evaluate(input), "G3").verdict, Verdict::kDoesNotMeet);
  input.schools[0].build_year = 2010;
  EXPECT_EQ(Find(Evaluate(input), "G3").verdict, Verdict::kMeets);
}

TEST(DecidedReadingTest, AStageWithoutSectionsIsPending) {
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {Section(Stage::kPrimary, 100, 1000)})}));
  for (int k = 1; k <= 7; ++k) {
    EXPECT_EQ(Find(e, "R" + std::to_string(k), Stage::kJunior).verdict, Verdict::kPending);
  }
}

}  // namespace
}  // namespace gzedu::engine
