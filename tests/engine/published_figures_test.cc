// The engine reproduces the figures Liwan and Huadu published in their
// self-evaluation reports (section 三), from district inputs built to the
// published totals, and reaches the verdicts noted in
// tests/data/published_figures.json (docs/indicators.md section 10).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "services/indicator_evaluation/engine/engine.h"
#include "tests/support/district_builder.h"

namespace gzedu::engine {
namespace {

using gzedu::testing::Find;

using gzedu::testing::AddSchools;
using gzedu::testing::At;
using gzedu::testing::AttestAll;
using gzedu::testing::GiveArtsRooms;
using gzedu::testing::SectionRef;
using gzedu::testing::SectionsOf;
using gzedu::testing::SpreadClasses;
using gzedu::testing::SpreadCount;
using gzedu::testing::SpreadFacilities;
using gzedu::testing::SpreadStudents;
using nlohmann::json;

const json& Published() {
  static const json kPublished = [] {
    std::ifstream in(std::string(GZEDU_SOURCE_DIR) + "/tests/data/published_figures.json");
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
  }();
  return kPublished;
}

const json& District(const std::string& code) {
  for (const json& district : Published()["districts"]) {
    if (district["district_code"] == code) return district;
  }
  throw std::runtime_error("no district " + code);
}

// A published figure matches when the value, rounded or truncated to the
// report's precision, is the printed one (reports do both: Huadu prints
// 8505.905 as 8505.90, Liwan 5.177% as 5.17%), or, where the report's
// inputs were themselves rounded, within its relative tolerance.
::testing::AssertionResult MatchesPublished(double value, const json& figure, const std::string& key = "published") {
  const double published = figure[key].get<double>();
  if (figure.contains("relative_tolerance")) {
    const double tolerance = figure["relative_tolerance"].get<double>();
    if (std::fabs(value - published) <= tolerance * std::fabs(published)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << value << " is not within " << tolerance << " of " << published;
  }
  const int precision = figure.contains("precision") ? figure["precision"].get<int>() : 2;
  const double scale = std::pow(10.0, precision);
  const double rounded = std::round(value * scale) / scale;
  const double truncated = std::trunc(value * scale + 1e-9) / scale;
  if (std::fabs(rounded - published) < 0.5 / scale / 100 || std::fabs(truncated - published) < 0.5 / scale / 100) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << value << " does not print as " << published << " at precision " << precision;
}

void SetTeachers(DistrictInput& input, const std::vector<SectionRef>& refs, const json& enrolment,
                 const json& resources, const std::string& stage, Stage stage_enum,
                 const std::vector<size_t>& weak_r3 = {}) {
  SpreadCount(input, refs, resources["R1"][stage]["numerator"].get<int64_t>(), ResourceThreshold(0, stage_enum),
              &TeacherCounts::above_required_qualification);
  SpreadCount(input, refs, resources["R2"][stage]["numerator"].get<int64_t>(), ResourceThreshold(1, stage_enum),
              &TeacherCounts::backbone_county_or_above);
  // 85% of the R3 threshold, for sections meant to sit between 85% and 100%.
  SpreadCount(input, refs, resources["R3"][stage]["numerator"].get<int64_t>(), ResourceThreshold(2, stage_enum),
              &TeacherCounts::pe_music_art, weak_r3, 0.85 * ResourceThreshold(2, stage_enum));
  const int64_t full_time = enrolment[stage]["full_time_teachers"].get<int64_t>();
  SpreadCount(input, refs, full_time, 0, &TeacherCounts::full_time);
  for (const SectionRef& ref : refs) {
    At(input, ref).teachers->certified = At(input, ref).teachers->full_time;
    At(input, ref).teachers->training_complete = At(input, ref).teachers->full_time;
  }
}

void SetFacilities(DistrictInput& input, const std::vector<SectionRef>& refs, const json& resources,
                   const std::string& stage) {
  SpreadFacilities(input, refs, resources["R4"][stage]["numerator"].get<double>(),
                   resources["R5"][stage]["numerator"].get<double>(),
                   static_cast<int64_t>(std::llround(resources["R6"][stage]["numerator"].get<double>() * 100)),
                   resources["R7"][stage]["numerator"].get<double>());
}

// Facts every evaluation needs that the reports do not print; set to values
// that meet, so that the verdicts under test are those of published inputs.
void SetUnpublishedFacts(DistrictInput& input) {
  DistrictFacts& f = input.facts;
  f.performance_pay_fully_approved = true;
  f.zoned_admission_primary = 1000;
  f.admission_primary_total = 1000;
  f.zoned_admission_junior = 980;
  f.admission_junior_total = 1000;
  f.left_behind_care_system = true;
  f.monitoring_level_iii_or_above = true;
  f.monitoring_difference_rate = 0.10;
  f.social_recognition_percent = 92;
  f.basic_balanced_recognised_year = 2015;
  f.monitoring_kept_high = true;
  AttestAll(input);
}

// Adds the schools a report counts, by type, in the order of the report.
void AddPublishedSchools(DistrictInput& input, const json& schools) {
  const std::vector<std::pair<const char*, SchoolType>> kTypes = {{"primary", SchoolType::kPrimary},
                                                                  {"teaching_points", SchoolType::kTeachingPoint},
                                                                  {"junior", SchoolType::kJunior},
                                                                  {"nine_year", SchoolType::kNineYear},
                                                                  {"twelve_year", SchoolType::kTwelveYear},
                                                                  {"complete_middle", SchoolType::kCompleteMiddle},
                                                                  {"special_education", SchoolType::kSpecialEducation}};
  for (const auto& [key, type] : kTypes) {
    if (schools.contains(key)) AddSchools(input, type, schools[key].get<int>());
  }
}

// The district-level facts both reports print, under the same keys.
void SetPublishedFacts(DistrictInput& input, const json& d) {
  const json& g = d["guarantee_indicators"];
  const json& q = d["quality_indicators"];
  DistrictFacts& f = input.facts;
  f.operating_base_per_student_primary_fen = g["operating_fund_base_per_student"]["primary"].get<int64_t>() * 100;
  f.operating_base_per_student_junior_fen = g["operating_fund_base_per_student"]["junior"].get<int64_t>() * 100;
  f.teacher_average_pay_yuan = g["G8"]["teacher_average_pay"].get<double>();
  f.civil_servant_average_pay_yuan = g["G8"]["civil_servant_average_pay"].get<double>();
  f.rotation_eligible_teachers = g["G11"]["eligible"].get<int32_t>();
  f.rotated_teachers = g["G11"]["rotated"].get<int32_t>();
  f.rotated_backbone_teachers = g["G11"]["rotated_backbone"].get<int32_t>();
  f.quota_total_places = g["G14"]["total_places"].get<int32_t>();
  if (g["G14"].contains("hk_macao_class_places")) {
    f.quota_hk_macao_class_places = g["G14"]["hk_macao_class_places"].get<int32_t>();
  }
  f.quota_allocated_places = g["G14"]["allocated_places"].get<int32_t>();
  f.migrant_children_eligible = g["G15"]["eligible_migrant_children"].get<int32_t>();
  f.migrant_children_in_public_schools = g["G15"]["in_public_schools"].get<int32_t>();
  f.migrant_children_in_purchased_places = g["G15"]["in_purchased_private_places"].get<int32_t>();
  f.disabled_school_age_children = q["Q2"]["school_age_disabled"].get<int32_t>();
  f.disabled_deferred = q["Q2"]["deferred"].get<int32_t>();
  f.disabled_enrolled = q["Q2"]["enrolled"].get<int32_t>();
  f.operating_budget_fen = q["Q4"]["operating_fund_budget"].get<int64_t>() * 100;
  f.training_budget_fen = q["Q4"]["training_fund_budget"].get<int64_t>() * 100;
  SetUnpublishedFacts(input);
}

DistrictInput BuildLiwan() {
  const json& d = District("440103");
  DistrictInput input;
  input.district_code = "440103";
  input.school_year = 2024;
  AddPublishedSchools(input, d["schools"]);
  const json& enrolment = d["enrolment"];
  const json& resources = d["resource_indicators"];
  for (const auto& [name, stage] : {std::pair<std::string, Stage>{"primary", Stage::kPrimary},
                                    std::pair<std::string, Stage>{"junior", Stage::kJunior}}) {
    const std::vector<SectionRef> refs = SectionsOf(input, stage);
    SpreadStudents(input, refs, enrolment[name]["students"].get<int64_t>());
    SpreadClasses(input, refs, enrolment[name]["classes"].get<int64_t>());
    SetTeachers(input, refs, enrolment, resources, name, stage);
    SetFacilities(input, refs, resources, name);
  }
  GiveArtsRooms(input);
  // G7: the two special-education schools share the funds and the 546
  // students the published per-student figure implies.
  const int64_t funds_fen = d["guarantee_indicators"]["G7"]["special_education_operating_funds"].get<int64_t>() * 100;
  int special = 0;
  for (SchoolInput& school : input.schools) {
    if (school.type != SchoolType::kSpecialEducation) continue;
    school.special_education_students = 273;
    school.funding.operating_funds_fen = special++ == 0 ? funds_fen / 2 : funds_fen - funds_fen / 2;
  }
  SetPublishedFacts(input, d);
  const json& q = d["quality_indicators"];
  DistrictFacts& f = input.facts;
  f.junior_graduates = q["Q1"]["graduates"].get<int32_t>();
  f.junior_cohort_enrolled = q["Q1"]["cohort_three_years_earlier"].get<int32_t>();
  f.junior_transferred_in = q["Q1"]["transferred_in"].get<int32_t>();
  f.junior_transferred_out = q["Q1"]["transferred_out"].get<int32_t>();
  f.junior_deaths = q["Q1"]["deaths"].get<int32_t>();
  return input;
}

// Rewrites a section's class sizes so that `count` classes have `size`
// students and the others share the rest evenly.
void SetOversizeClasses(SectionInput& section, int count, int size) {
  const int rest_students = section.students - count * size;
  const int rest_classes = section.classes - count;
  section.class_sizes.clear();
  for (int c = 0; c < count; ++c) section.class_sizes.push_back(size);
  for (int c = 0; c < rest_classes; ++c) {
    section.class_sizes.push_back(rest_students / rest_classes + (c < rest_students % rest_classes));
  }
}

DistrictInput BuildHuadu() {
  const json& d = District("440114");
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  AddPublishedSchools(input, d["schools"]);
  const json& enrolment = d["enrolment"];
  const json& resources = d["resource_indicators"];
  const json& g = d["guarantee_indicators"];

  // Enrolment: G4's oversize schools (8 primary, 3 junior, 6 nine-year with
  // 2600 compulsory students), the small rural teaching point of G6 (77
  // students), and everyone else sharing the rest evenly.
  std::vector<double> primary_weights;
  std::vector<double> junior_weights;
  int nine_year_seen = 0;
  int junior_seen = 0;
  int primary_seen = 0;
  int teaching_points_seen = 0;
  const std::vector<double> kTeachingPoints = {77, 120, 130, 140};
  for (SchoolInput& school : input.schools) {
    const bool oversize_nine = school.type == SchoolType::kNineYear && nine_year_seen++ < 6;
    for (SectionInput& section : school.sections) {
      if (section.stage == Stage::kPrimary) {
        if (school.type == SchoolType::kTeachingPoint) {
          section.students = static_cast<int32_t>(kTeachingPoints[teaching_points_seen++]);
        } else if (school.type == SchoolType::kPrimary && primary_seen++ < 8) {
          section.students = 2100;
        } else if (oversize_nine) {
          section.students = 1500;
        }
      } else {
        if (school.type == SchoolType::kJunior && junior_seen++ < 3) {
          section.students = 2100;
        } else if (oversize_nine) {
          section.students = 1100;
        }
      }
    }
  }
  for (const auto& [name, stage] : {std::pair<std::string, Stage>{"primary", Stage::kPrimary},
                                    std::pair<std::string, Stage>{"junior", Stage::kJunior}}) {
    const std::vector<SectionRef> refs = SectionsOf(input, stage);
    std::vector<SectionRef> free;
    int64_t fixed = 0;
    for (const SectionRef& ref : refs) {
      if (At(input, ref).students > 0) {
        fixed += At(input, ref).students;
      } else {
        free.push_back(ref);
      }
    }
    SpreadStudents(input, free, enrolment[name]["students"].get<int64_t>() - fixed);
    SpreadClasses(input, refs, enrolment[name]["classes"].get<int64_t>());
    // R3: three primary sections and one junior section between 85% and 100%.
    const std::vector<size_t> weak =
        stage == Stage::kPrimary ? std::vector<size_t>{20, 40, 60} : std::vector<size_t>{30};
    SetTeachers(input, refs, enrolment, resources, name, stage, weak);
    SetFacilities(input, refs, resources, name);
  }
  // G5: four primary classes of 46 (石岗小学) and three junior classes of 54.
  SetOversizeClasses(At(input, SectionsOf(input, Stage::kPrimary)[50]), 4, 46);
  SetOversizeClasses(At(input, SectionsOf(input, Stage::kJunior)[10]), 3, 54);
  GiveArtsRooms(input);

  SetPublishedFacts(input, d);
  DistrictFacts& f = input.facts;
  for (SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kTeachingPoint && school.sections[0].students == 77) {
      school.locale = Locale::kRural;
      // G6: funded as 100 students.
      school.funding.operating_funds_fen = 100 * *f.operating_base_per_student_primary_fen;
    }
    if (school.type == SchoolType::kSpecialEducation) {
      school.special_education_students = g["G7"]["special_education_students"].get<int32_t>();
      school.funding.operating_funds_fen = g["G7"]["special_education_operating_funds"].get<int64_t>() * 100;
    }
  }
  const json& q = d["quality_indicators"];
  f.junior_cohort_enrolled = q["Q1"]["cohort"].get<int32_t>();
  f.junior_deaths = q["Q1"]["deaths"].get<int32_t>();
  f.junior_dropouts = q["Q1"]["dropouts"].get<int32_t>();
  return input;
}

void ExpectResourceFiguresMatch(const DistrictEvaluation& e, const json& district) {
  const json& resources = district["resource_indicators"];
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const std::string id = "R" + std::to_string(k + 1);
    for (const auto& [name, stage] : {std::pair<std::string, Stage>{"primary", Stage::kPrimary},
                                      std::pair<std::string, Stage>{"junior", Stage::kJunior}}) {
      const json& figure = resources[id][name];
      const IndicatorResult& r = Find(e, id, stage);
      ASSERT_TRUE(r.value.has_value()) << id << " " << name;
      EXPECT_TRUE(MatchesPublished(*r.value, figure)) << id << " " << name;
      EXPECT_EQ(r.verdict, Verdict::kMeets) << id << " " << name;
      if (figure.contains("sections_meeting")) {
        const StageResult& s = e.stages[stage == Stage::kPrimary ? 0 : 1];
        EXPECT_EQ(s.sections_meeting[k], figure["sections_meeting"].get<int>()) << id << " " << name;
      }
    }
  }
}

TEST(PublishedFiguresTest, LiwanResourceValuesMatchTheReport) {
  const DistrictEvaluation e = Evaluate(BuildLiwan());
  ExpectResourceFiguresMatch(e, District("440103"));
}

TEST(PublishedFiguresTest, LiwanGuaranteeAndQualityFiguresMatchTheReport) {
  const json& d = District("440103");
  const DistrictEvaluation e = Evaluate(BuildLiwan());
  const json& g = d["guarantee_indicators"];
  EXPECT_TRUE(MatchesPublished(*Find(e, "G7").value, json{{"published", 9887.4}, {"precision", 1}}));
  EXPECT_EQ(Find(e, "G4").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(e, "G5").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(e, "G6").verdict, Verdict::kNotApplicable);
  EXPECT_EQ(Find(e, "G8").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G11").value, g["G11"], "published_ratio_percent"));
  EXPECT_NE(Find(e, "G11").notes[0].find("45.75%"), std::string::npos) << Find(e, "G11").notes[0];
  EXPECT_EQ(Find(e, "G11").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G14").value, json{{"published", 50}, {"precision", 0}}));
  EXPECT_EQ(Find(e, "G14").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G15").value, json{{"published", 100}, {"precision", 0}}));
  const json& q = d["quality_indicators"];
  EXPECT_TRUE(MatchesPublished(*Find(e, "Q1").value, json{{"published", 100}, {"precision", 0}}));
  EXPECT_EQ(Find(e, "Q1").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "Q2").value, json{{"published", 100}, {"precision", 0}}));
  EXPECT_TRUE(MatchesPublished(*Find(e, "Q4").value, json{{"published", q["Q4"]["published_percent"]}}));
  EXPECT_EQ(Find(e, "Q4").verdict, Verdict::kMeets);
  EXPECT_EQ(e.primary_sections, 61);
  EXPECT_EQ(e.junior_sections, 34);
  EXPECT_EQ(e.verdict, OverallVerdict::kMeets) << (e.failing_indicators.empty() ? "" : e.failing_indicators[0]);
}

TEST(PublishedFiguresTest, HuaduUnitCountsComeOutOfItsSchoolCounts) {
  const DistrictEvaluation e = Evaluate(BuildHuadu());
  const json& enrolment = District("440114")["enrolment"];
  EXPECT_EQ(e.primary_sections, enrolment["primary"]["sections"].get<int>());
  EXPECT_EQ(e.junior_sections, enrolment["junior"]["sections"].get<int>());
}

TEST(PublishedFiguresTest, HuaduResourceValuesAndSectionCountsMatchTheReport) {
  const DistrictEvaluation e = Evaluate(BuildHuadu());
  ExpectResourceFiguresMatch(e, District("440114"));
  // R3: 164 primary sections meet, 3 more are at >= 85%: all pass the rule.
  const json& r3 = District("440114")["resource_indicators"]["R3"];
  EXPECT_EQ(e.stages[0].sections_with_one_at_85, r3["primary"]["sections_at_least_85_percent"].get<int>());
  EXPECT_EQ(e.stages[1].sections_with_one_at_85, r3["junior"]["sections_at_least_85_percent"].get<int>());
  EXPECT_EQ(e.stages[0].sections_failing, 0);
  EXPECT_EQ(e.stages[1].sections_failing, 0);
  // The report's "98.20% of schools meet R3" comes from the engine's counts.
  EXPECT_NEAR(100.0 * e.stages[0].sections_meeting[2] / e.stages[0].sections, 98.20, 0.005);
}

TEST(PublishedFiguresTest, HuaduStrictReadingFailsExactlyG4G5G14AndQ2) {
  const json& d = District("440114");
  const DistrictEvaluation e = Evaluate(BuildHuadu());
  EXPECT_EQ(e.verdict, OverallVerdict::kDoesNotMeet);
  EXPECT_EQ(e.failing_indicators, (std::vector<std::string>{"G4", "G5", "G14", "Q2"}));
  const json& g = d["guarantee_indicators"];
  EXPECT_EQ(Find(e, "G4").failing.size(), 8u + 3u + 6u);
  EXPECT_EQ(*Find(e, "G5").value, 4 + 3);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G14").value, g["G14"], "strict_percent"));
  EXPECT_TRUE(MatchesPublished(*Find(e, "Q2").value, d["quality_indicators"]["Q2"], "strict_percent"));
  EXPECT_EQ(Find(e, "G6").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G7").value, g["G7"], "published_per_student"));
  EXPECT_EQ(Find(e, "G7").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(e, "G8").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(e, "G9").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(e, "G12").verdict, Verdict::kMeets);
  EXPECT_TRUE(MatchesPublished(*Find(e, "G11").value, g["G11"], "published_ratio_percent"));
  EXPECT_NE(Find(e, "G11").notes[0].find("36.42%"), std::string::npos);
  EXPECT_TRUE(MatchesPublished(*Find(e, "Q4").value, d["quality_indicators"]["Q4"], "published_percent"));
  // Q1: the report prints no graduates, so the default cohort formula waits
  // for them; the district's own formula gives the published 99.98%.
  const IndicatorResult& q1 = Find(e, "Q1");
  EXPECT_EQ(q1.verdict, Verdict::kPending);
  ASSERT_EQ(q1.alternatives.size(), 1u);
  EXPECT_EQ(q1.alternatives[0].setting, "annual_loss");
  EXPECT_TRUE(MatchesPublished(*q1.alternatives[0].value, json{{"published", 99.98}, {"precision", 2}}));
  EXPECT_EQ(q1.alternatives[0].verdict, Verdict::kMeets);
}

TEST(PublishedFiguresTest, HuaduConventionsFlipG14AndQ2) {
  const json& d = District("440114");
  const DistrictEvaluation strict = Evaluate(BuildHuadu());
  const IndicatorResult& g14 = Find(strict, "G14");
  ASSERT_EQ(g14.alternatives.size(), 1u);
  EXPECT_EQ(g14.alternatives[0].convention, "quota_excludes_hk_macao_classes");
  EXPECT_TRUE(MatchesPublished(*g14.alternatives[0].value,
                               d["guarantee_indicators"]["G14"]["with_convention"]["quota_excludes_hk_macao_classes"],
                               "percent"));
  EXPECT_EQ(g14.alternatives[0].verdict, Verdict::kMeets);
  const IndicatorResult& q2 = Find(strict, "Q2");
  EXPECT_TRUE(MatchesPublished(*q2.alternatives[0].value, d["quality_indicators"]["Q2"], "published_percent"));
  EXPECT_EQ(q2.alternatives[0].verdict, Verdict::kMeets);

  DistrictInput input = BuildHuadu();
  input.conventions.quota_excludes_hk_macao_classes = true;
  input.conventions.disabled_enrolment_excludes_deferred = true;
  input.conventions.retention_formula = RetentionFormula::kAnnualLoss;
  const DistrictEvaluation local = Evaluate(input);
  EXPECT_EQ(Find(local, "G14").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(local, "Q2").verdict, Verdict::kMeets);
  EXPECT_EQ(Find(local, "Q1").verdict, Verdict::kMeets);
  // School and class sizes fail under any convention.
  EXPECT_EQ(local.failing_indicators, (std::vector<std::string>{"G4", "G5"}));
}

}  // namespace
}  // namespace gzedu::engine
