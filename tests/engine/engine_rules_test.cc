// Each rule of indicators.md on hand-made inputs, with its edges.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/exact.h"
#include "services/indicator_evaluation/engine/remediation.h"
#include "services/indicator_evaluation/engine/report.h"
#include "tests/support/district_builder.h"

namespace gzedu::engine {
namespace {

using gzedu::testing::District;
using gzedu::testing::Find;

// A primary section of `students` that reaches every threshold with some
// room to spare (R1 5.0, R2 1.2, R3 1.0 per 100; R4 5 m2, R5 8 m2, R6 2200
// yuan, R7 2.5 rooms per 100).
SectionInput GoodPrimary(int32_t students = 1000) {
  SectionInput s;
  s.stage = Stage::kPrimary;
  s.students = students;
  s.classes = students / 40;
  s.class_sizes.assign(s.classes, 40);
  s.teachers->full_time = students / 16;
  s.teachers->above_required_qualification = students * 5 / 100;
  s.teachers->backbone_county_or_above = students * 12 / 1000;
  s.teachers->pe_music_art = students / 100;
  s.teachers->certified = s.teachers->full_time;
  s.teachers->training_complete = s.teachers->full_time;
  Facilities f;
  f.teaching_area_m2 = 5.0 * students;
  f.sports_area_m2 = 8.0 * students;
  f.equipment_value_fen = int64_t{220000} * students;
  f.multimedia_rooms = 0.025 * students;
  s.facilities = f;
  return s;
}

SchoolInput School(const std::string& code, SchoolType type, std::vector<SectionInput> sections) {
  SchoolInput school;
  school.school_code = code;
  school.name = "school " + code;
  school.type = type;
  school.sections = std::move(sections);
  int32_t classes = 0;
  for (const SectionInput& s : school.sections) classes += s.classes;
  school.music_room_areas_m2.assign(std::max(1, (classes + 11) / 12), 96);
  school.art_room_areas_m2.assign(std::max(1, (classes + 11) / 12), 90);
  return school;
}

std::array<double, kResourceIndicatorCount> Thresholds(Stage stage) {
  std::array<double, kResourceIndicatorCount> t{};
  for (int k = 0; k < kResourceIndicatorCount; ++k) t[k] = ResourceThreshold(k, stage);
  return t;
}

// -------------------------------------------------------------------- CV --

// The weighted CV of per-student values numerators[i] / students[i], as the
// engine decides it (exact::DecideWeightedCv), with no limit of interest.
exact::CvDecision Cv(const std::vector<int64_t>& numerators, const std::vector<int64_t>& students, double limit = 0.5) {
  std::vector<exact::Fraction> fractions;
  for (int64_t n : numerators) fractions.push_back(exact::Fraction::Whole(n));
  return exact::DecideWeightedCv(fractions, students, 1, limit);
}

TEST(CoefficientOfVariationTest, ReproducesTheWorkedExampleOfThe2012Method) {
  // Books per student in five schools: X̄ = 6.334, S = 3.264, CV = 0.515.
  const exact::CvDecision cv = Cv({279, 137, 935, 160, 402}, {45, 37, 89, 76, 55});
  ASSERT_TRUE(cv.defined);
  EXPECT_NEAR(cv.cv, 0.515, 0.0005);
  EXPECT_FALSE(cv.within_limit);  // 0.515 > 0.5
  EXPECT_TRUE(Cv({279, 137, 935, 160, 402}, {45, 37, 89, 76, 55}, 0.52).within_limit);
  double contributions = 0;
  for (double c : cv.variance_contributions) contributions += c;
  EXPECT_NEAR(contributions, 3.264 * 3.264, 0.005);
}

TEST(CoefficientOfVariationTest, DiffersFromTheUnweightedCv) {
  // The same five values, each school weighted 1 (books scaled to one pupil).
  const double weighted = Cv({279, 137, 935, 160, 402}, {45, 37, 89, 76, 55}).cv;
  const std::vector<int64_t> students = {45, 37, 89, 76, 55};
  const std::vector<int64_t> books = {279, 137, 935, 160, 402};
  const int64_t common = 45 * 37 * 89 * 76 * 55;
  std::vector<int64_t> scaled;
  for (size_t i = 0; i < books.size(); ++i) scaled.push_back(books[i] * (common / students[i]));
  const double unweighted = Cv(scaled, std::vector<int64_t>(5, common)).cv;
  EXPECT_NEAR(unweighted, 0.489, 0.0005);
  EXPECT_GT(std::fabs(weighted - unweighted), 0.02);
}

TEST(CoefficientOfVariationTest, IsZeroWhenAllSectionsAreEqualAndUndefinedWhenTheMeanIsZero) {
  const exact::CvDecision equal = Cv({420, 3780, 147}, {100, 900, 35});
  EXPECT_TRUE(equal.defined);
  EXPECT_EQ(equal.cv, 0.0);
  EXPECT_TRUE(equal.within_limit);
  EXPECT_FALSE(Cv({0, 0}, {10, 20}).defined);
}

TEST(CoefficientOfVariationTest, IsUnchangedBySectionOrderAndByScalingEveryValue) {
  const double cv = Cv({930, 888, 4000, 446}, {300, 120, 800, 45}).cv;
  EXPECT_NEAR(Cv({446, 4000, 930, 888}, {45, 800, 300, 120}).cv, cv, 1e-12);
  EXPECT_NEAR(Cv({930 * 37, 888 * 37, 4000 * 37, 446 * 37}, {300, 120, 800, 45}).cv, cv, 1e-12);
}

// ----------------------------------------------------- per-section rule --

TEST(SectionRuleTest, AValueEqualToItsThresholdMeetsIt) {
  EXPECT_EQ(ClassifySection(Thresholds(Stage::kPrimary), Stage::kPrimary), SectionOutcome::kMeetsAll);
  EXPECT_EQ(ClassifySection(Thresholds(Stage::kJunior), Stage::kJunior), SectionOutcome::kMeetsAll);
  // Through the whole engine: 42 qualified teachers for 1000 students is 4.2.
  SectionInput section = GoodPrimary(1000);
  section.teachers->above_required_qualification = 42;
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kPrimary, {section})}));
  EXPECT_EQ(Find(e, "R1", Stage::kPrimary).verdict, Verdict::kMeets);
  EXPECT_EQ(e.stages[0].sections_meeting[0], 1);
}

TEST(SectionRuleTest, SixMetAndTheSeventhAtExactly85PercentPasses) {
  std::array<double, kResourceIndicatorCount> values = Thresholds(Stage::kPrimary);
  values[4] = 0.85 * values[4];
  EXPECT_EQ(ClassifySection(values, Stage::kPrimary), SectionOutcome::kMeetsWithOne85);
}

TEST(SectionRuleTest, TheSeventhAt84Point9PercentFails) {
  std::array<double, kResourceIndicatorCount> values = Thresholds(Stage::kJunior);
  values[2] = 0.849 * values[2];
  EXPECT_EQ(ClassifySection(values, Stage::kJunior), SectionOutcome::kFails);
}

TEST(SectionRuleTest, TwoMissesFailEvenAbove85Percent) {
  std::array<double, kResourceIndicatorCount> values = Thresholds(Stage::kPrimary);
  values[0] *= 0.99;
  values[6] *= 0.99;
  EXPECT_EQ(ClassifySection(values, Stage::kPrimary), SectionOutcome::kFails);
}

TEST(SectionRuleTest, ZeroStudentsIsInvalidDataNotADivisionByZero) {
  SectionInput empty = GoodPrimary(1000);
  empty.students = 0;
  const DistrictEvaluation e = Evaluate(
      District({School("1", SchoolType::kPrimary, {GoodPrimary(800)}), School("2", SchoolType::kPrimary, {empty})}));
  ASSERT_EQ(e.stages[0].invalid_sections.size(), 1u);
  EXPECT_EQ(e.stages[0].invalid_sections[0].substr(0, 1), "2");
  EXPECT_EQ(e.stages[0].sections, 1);
  for (const IndicatorResult& r : e.indicators) {
    EXPECT_TRUE(!r.value || std::isfinite(*r.value)) << r.indicator_id;
    EXPECT_TRUE(!r.cv_actual || std::isfinite(*r.cv_actual)) << r.indicator_id;
  }
}

TEST(ResourceIndicatorTest, FailsOnTheCvEvenWhenTheDistrictValueMeets) {
  // Two sections: one far above the R4 threshold, one far below.
  SectionInput rich = GoodPrimary(1000);
  rich.facilities->teaching_area_m2 = 15.0 * 1000;
  SectionInput poor = GoodPrimary(1000);
  poor.facilities->teaching_area_m2 = 2.0 * 1000;
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {rich}), School("2", SchoolType::kPrimary, {poor})}));
  const IndicatorResult& r4 = Find(e, "R4", Stage::kPrimary);
  EXPECT_GE(*r4.value, 4.5);
  EXPECT_GT(*r4.cv_actual, 0.50);
  EXPECT_EQ(r4.verdict, Verdict::kDoesNotMeet);
  ASSERT_FALSE(e.cv_drivers.empty());
  EXPECT_EQ(e.cv_drivers[0].indicator_id, "R4");
  EXPECT_NEAR(e.cv_drivers[0].top_sections[0].second, 0.5, 1e-9);  // equal enrolment: equal shares
}

TEST(ResourceIndicatorTest, DistrictValueIsTheSumOfNumeratorsOverTheSumOfStudents) {
  SectionInput a = GoodPrimary(1000);
  a.teachers->above_required_qualification = 60;
  SectionInput b = GoodPrimary(500);
  b.teachers->above_required_qualification = 21;
  const DistrictEvaluation e =
      Evaluate(District({School("1", SchoolType::kPrimary, {a}), School("2", SchoolType::kPrimary, {b})}));
  EXPECT_NEAR(*Find(e, "R1", Stage::kPrimary).value, 100.0 * 81 / 1500, 1e-12);
}

// --------------------------------------------------------- apportionment --

TEST(ApportionmentTest, SharesByEnrolmentOrByTheLegacyWeights) {
  SchoolInput school;
  school.type = SchoolType::kTwelveYear;
  SectionInput primary;
  primary.stage = Stage::kPrimary;
  primary.students = 1000;
  SectionInput junior;
  junior.stage = Stage::kJunior;
  junior.students = 500;
  school.sections = {primary, junior};
  school.senior_students = 500;
  school.shared_facilities->teaching_area_m2 = 10000;
  school.shared_facilities->multimedia_rooms = 50;
  school.shared_facilities->equipment_value_fen = 400000000;
  const std::vector<Facilities> share = ApportionFacilities(school, Apportionment::kEnrolmentShare);
  EXPECT_DOUBLE_EQ(share[0].teaching_area_m2, 5000);
  EXPECT_DOUBLE_EQ(share[1].teaching_area_m2, 2500);
  EXPECT_DOUBLE_EQ(share[1].multimedia_rooms, 12.5);  // fractional rooms are kept
  EXPECT_EQ(share[0].equipment_value_fen, 200000000);
  const std::vector<Facilities> weights = ApportionFacilities(school, Apportionment::kLegacyWeights);
  const double total = 1000 * 1.0 + 500 * 1.1 + 500 * 1.32;
  EXPECT_NEAR(weights[0].teaching_area_m2, 10000 * 1000 / total, 1e-9);
  EXPECT_NEAR(weights[1].teaching_area_m2, 10000 * 550 / total, 1e-9);
}

TEST(ApportionmentTest, ASectionsOwnFacilitiesAreNotApportioned) {
  SchoolInput school;
  school.type = SchoolType::kNineYear;
  SectionInput primary = GoodPrimary(1000);
  SectionInput junior;
  junior.stage = Stage::kJunior;
  junior.students = 1000;
  school.sections = {primary, junior};
  school.shared_facilities->teaching_area_m2 = 999;
  const std::vector<Facilities> result = ApportionFacilities(school, Apportionment::kEnrolmentShare);
  EXPECT_DOUBLE_EQ(result[0].teaching_area_m2, primary.facilities->teaching_area_m2);
  EXPECT_DOUBLE_EQ(result[1].teaching_area_m2, 499.5);
}

TEST(ConventionTest, TeachingPointsBelowTheFloorAreExcluded) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {GoodPrimary(900)}),
                                  School("2", SchoolType::kTeachingPoint, {GoodPrimary(40)})});
  EXPECT_EQ(Evaluate(input).stages[0].sections, 2);
  input.conventions.teaching_point_min_students = 50;
  const DistrictEvaluation e = Evaluate(input);
  EXPECT_EQ(e.stages[0].sections, 1);
  EXPECT_EQ(e.stages[0].excluded_sections.size(), 1u);
}

// ----------------------------------------------------------- guarantee --

TEST(ClassSizeTest, AnyOversizeClassFailsG5) {
  SectionInput section = GoodPrimary(1000);
  section.class_sizes[0] = 46;
  section.class_sizes[1] = 34;
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kPrimary, {section})}));
  EXPECT_EQ(Find(e, "G5").verdict, Verdict::kDoesNotMeet);
  EXPECT_EQ(*Find(e, "G5").value, 1);
  section.class_sizes[0] = 45;
  section.class_sizes[1] = 35;
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict, Verdict::kMeets);
}

TEST(ClassSizeTest, MissingClassSizesArePendingUnlessTheAverageAlreadyFails) {
  SectionInput section = GoodPrimary(1000);
  section.class_sizes.clear();
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict, Verdict::kPending);
  section.classes = 20;  // 50 per class on average: some class is above 45
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kPrimary, {section})})), "G5").verdict,
            Verdict::kDoesNotMeet);
}

TEST(ArtsRoomsTest, RoomCountsUseCeilOfClassesOverTwelve) {
  SectionInput section = GoodPrimary(520);
  section.classes = 13;
  section.class_sizes.assign(13, 40);
  SchoolInput school = School("1", SchoolType::kPrimary, {section});
  school.music_room_areas_m2 = {96};
  school.art_room_areas_m2 = {90};
  EXPECT_EQ(Find(Evaluate(District({school})), "G3").verdict, Verdict::kDoesNotMeet);  // 13 classes need 2
  school.music_room_areas_m2 = {96, 96};
  school.art_room_areas_m2 = {90, 90};
  EXPECT_EQ(Find(Evaluate(District({school})), "G3").verdict, Verdict::kMeets);
  school.sections[0].classes = 12;
  school.sections[0].class_sizes.assign(12, 40);
  school.sections[0].students = 480;
  school.music_room_areas_m2 = {96};
  school.art_room_areas_m2 = {90};
  EXPECT_EQ(Find(Evaluate(District({school})), "G3").verdict, Verdict::kMeets);  // 12 classes need 1
}

TEST(ArtsRoomsTest, RoomSizeConventionSparesOlderSchools) {
  SchoolInput school = School("1", SchoolType::kPrimary, {GoodPrimary(400)});
  school.music_room_areas_m2 = {80};
  school.build_year = 1990;
  DistrictInput input = District({school});
  const IndicatorResult strict = Find(Evaluate(input), "G3");
  EXPECT_EQ(strict.verdict, Verdict::kDoesNotMeet);
  ASSERT_EQ(strict.alternatives.size(), 1u);
  EXPECT_EQ(strict.alternatives[0].setting, "2016");
  EXPECT_EQ(strict.alternatives[0].verdict, Verdict::kMeets);
}

TEST(SchoolSizeTest, NineYearSchoolsMayHave2500) {
  SectionInput primary = GoodPrimary(1500);
  SectionInput junior = GoodPrimary(1000);
  junior.stage = Stage::kJunior;
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kNineYear, {primary, junior})})), "G4").verdict,
            Verdict::kMeets);
  junior.students = 1001;
  EXPECT_EQ(Find(Evaluate(District({School("1", SchoolType::kNineYear, {primary, junior})})), "G4").verdict,
            Verdict::kDoesNotMeet);
  EXPECT_EQ(Find(Evaluate(District({School("2", SchoolType::kPrimary, {GoodPrimary(2001)})})), "G4").verdict,
            Verdict::kDoesNotMeet);
}

TEST(RotationTest, BackboneShareBelowTwentyPercentFailsG11) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {GoodPrimary()})});
  input.facts.rotation_eligible_teachers = 1000;
  input.facts.rotated_teachers = 100;
  input.facts.rotated_backbone_teachers = 20;
  EXPECT_EQ(Find(Evaluate(input), "G11").verdict, Verdict::kMeets);  // exactly 10% and 20%
  input.facts.rotated_backbone_teachers = 19;
  EXPECT_EQ(Find(Evaluate(input), "G11").verdict, Verdict::kDoesNotMeet);
}

TEST(SpecialEducationTest, FundsPerStudentBelow6000FailG7) {
  SchoolInput special;
  special.school_code = "9";
  special.type = SchoolType::kSpecialEducation;
  special.special_education_students = 100;
  special.funding.operating_funds_fen = int64_t{600000} * 100;
  DistrictInput input = District({School("1", SchoolType::kPrimary, {GoodPrimary()}), special});
  EXPECT_EQ(Find(Evaluate(input), "G7").verdict, Verdict::kMeets);
  input.schools[1].funding.operating_funds_fen = int64_t{600000} * 100 - 1;
  EXPECT_EQ(Find(Evaluate(input), "G7").verdict, Verdict::kDoesNotMeet);
}

// -------------------------------------------------------------- overall --

TEST(OverallTest, MissingAttestationsMakeItIncompleteAndSayWhatIsMissing) {
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kPrimary, {GoodPrimary()})}));
  EXPECT_EQ(e.verdict, OverallVerdict::kIncomplete);
  EXPECT_EQ(Find(e, "G1").verdict, Verdict::kPending);
  EXPECT_NE(std::find_if(e.missing_inputs.begin(), e.missing_inputs.end(),
                         [](const std::string& m) { return m.rfind("G1: ", 0) == 0; }),
            e.missing_inputs.end());
}

TEST(OverallTest, AVetoBlocksRecognition) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {GoodPrimary()})});
  input.vetoes.push_back({"key_classes", "two key classes found at school 1"});
  EXPECT_EQ(Evaluate(input).verdict, OverallVerdict::kDoesNotMeet);
}

TEST(OverallTest, SocialRecognitionBelow85IsAVeto) {
  DistrictInput input = District({School("1", SchoolType::kPrimary, {GoodPrimary()})});
  input.facts.social_recognition_percent = 84.99;
  const DistrictEvaluation e = Evaluate(input);
  ASSERT_EQ(e.vetoes.size(), 1u);
  EXPECT_EQ(e.vetoes[0].kind, "social_recognition_below_85");
  EXPECT_EQ(e.verdict, OverallVerdict::kDoesNotMeet);
}

// ---------------------------------------------------------- remediation --

class RemediationTest : public ::testing::TestWithParam<int> {};

TEST_P(RemediationTest, ApplyingThePlanMakesTheSectionPassAndNeverCostsMoreThanMeetingEveryThreshold) {
  // Sections short of several thresholds by different amounts.
  const int seed = GetParam();
  SectionInput section = GoodPrimary(400 + 37 * seed);
  section.stage = seed % 2 ? Stage::kJunior : Stage::kPrimary;
  section.teachers->pe_music_art = seed % 3;
  section.facilities->teaching_area_m2 *= 0.6 + 0.05 * (seed % 5);
  section.facilities->multimedia_rooms = 2 + seed % 4;
  section.facilities->equipment_value_fen /= 1 + seed % 3;
  SectionResult result;
  result.school_code = "1";
  result.stage = section.stage;
  result.students = section.students;
  result.values = SectionValues(section, *section.facilities);
  ASSERT_EQ(ClassifySection(result.values, result.stage), SectionOutcome::kFails);

  const RemediationPlan plan = PlanForSection(result);
  EXPECT_NE(ClassifySection(ValuesAfterPlan(result, plan), result.stage), SectionOutcome::kFails);
  for (const RemediationStep& step : plan.steps) {
    // Meeting every threshold would need at least (threshold - value) * P / scale.
    const int k = step.indicator_id[1] - '1';
    const double scale = (k <= 2 || k == 6) ? 100 : 1;
    const double full = (ResourceThreshold(k, result.stage) - result.values[k]) * result.students / scale;
    const double resolution = k == 3 || k == 4 ? 0.01 : 1;
    EXPECT_LE(step.addition, std::ceil(full / resolution - 1e-9) * resolution + 1e-9) << step.indicator_id;
    EXPECT_GT(step.addition, 0) << step.indicator_id;
  }
  if (plan.enrolment_reduction) {
    SectionResult fewer = result;
    const double kept = result.students - *plan.enrolment_reduction;
    for (int k = 0; k < kResourceIndicatorCount; ++k) fewer.values[k] = result.values[k] * result.students / kept;
    EXPECT_NE(ClassifySection(fewer.values, result.stage), SectionOutcome::kFails);
  }
}

INSTANTIATE_TEST_SUITE_P(ManySections, RemediationTest, ::testing::Range(0, 12));

TEST(RemediationTest, TheRelaxedIndicatorIsTheLargestRelativeShortfall) {
  SectionResult section;
  section.stage = Stage::kPrimary;
  section.students = 1000;
  section.values = Thresholds(Stage::kPrimary);
  section.values[1] *= 0.5;  // R2 at 50%
  section.values[5] *= 0.9;  // R6 at 90%
  const RemediationPlan plan = PlanForSection(section);
  EXPECT_EQ(plan.relaxed_indicator_id, "R2");
  ASSERT_EQ(plan.steps.size(), 2u);
  EXPECT_EQ(plan.steps[0].indicator_id, "R2");
  EXPECT_DOUBLE_EQ(plan.steps[0].target_value, 0.85);
  EXPECT_EQ(plan.steps[0].addition, 4);  // from 5 to 8.5 backbone teachers: 4 more
  EXPECT_EQ(plan.steps[1].indicator_id, "R6");
  EXPECT_EQ(plan.steps[1].addition, 200000);  // 200 yuan per student for 1000 students
}

// ---------------------------------------------------------------- reports --

TEST(ReportTest, CitySummaryHasOneRowPerDistrictWithVerdictFailuresAndWorstCv) {
  SectionInput rich = GoodPrimary(1000);
  rich.facilities->teaching_area_m2 = 15.0 * 1000;
  SectionInput poor = GoodPrimary(1000);
  poor.facilities->teaching_area_m2 = 2.0 * 1000;
  DistrictInput failing =
      District({School("1", SchoolType::kPrimary, {rich}), School("2", SchoolType::kPrimary, {poor})});
  DistrictInput incomplete = District({School("3", SchoolType::kPrimary, {GoodPrimary()})});
  incomplete.district_code = "440103";
  const std::string summary = RenderCitySummary({Evaluate(incomplete), Evaluate(failing)}, Language::kEnglish);
  const size_t liwan = summary.find("440103  Liwan     INCOMPLETE");
  const size_t huadu = summary.find("440114  Huadu     DOES NOT MEET  ");
  EXPECT_NE(liwan, std::string::npos) << summary;
  EXPECT_NE(huadu, std::string::npos) << summary;
  EXPECT_LT(liwan, huadu);  // in the order given
  EXPECT_NE(summary.find("R4 primary 0."), std::string::npos) << summary;
  // The failing list comes last, whole.
  EXPECT_NE(summary.find("R4 primary, per-section rule primary (1 sections)\n"), std::string::npos) << summary;
}

TEST(ReportTest, ReportsFollowTheAreasOfSection3InBothLanguages) {
  const DistrictEvaluation e = Evaluate(District({School("1", SchoolType::kPrimary, {GoodPrimary()})}));
  const std::string zh = RenderReport(e, Language::kChinese);
  // The headings of the districts' section 三.
  const size_t resources = zh.find("（一）资源配置");
  const size_t guarantee = zh.find("（二）政府保障程度");
  const size_t quality = zh.find("（三）教育质量");
  const size_t recognition = zh.find("（四）社会认可度");
  ASSERT_NE(resources, std::string::npos);
  EXPECT_LT(resources, guarantee);
  EXPECT_LT(guarantee, quality);
  EXPECT_LT(quality, recognition);
  EXPECT_NE(zh.find("数据不完整"), std::string::npos);
  // Notes and missing inputs are in the report's language.
  EXPECT_NE(zh.find("缺少：附佐证的认定"), std::string::npos);
  EXPECT_EQ(zh.find("missing:"), std::string::npos);
  const std::string en = RenderReport(e, Language::kEnglish);
  EXPECT_NE(en.find("missing: an attestation"), std::string::npos);
  EXPECT_EQ(en.find("缺少"), std::string::npos);
  EXPECT_NE(en.find("Overall: INCOMPLETE"), std::string::npos);
  EXPECT_NE(en.find("  R1  primary  Teachers above the required qualification per 100 students"), std::string::npos)
      << en.substr(0, 1200);
}

}  // namespace
}  // namespace gzedu::engine
