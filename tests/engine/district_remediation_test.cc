// The district remediation plan (issue 13): every failing indicator gets a
// step in its own unit, with the right amount, on the bundled Guangzhou
// districts and on small hand-built ones.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "data/guangzhou/generator/dataset.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/remediation.h"
#include "services/indicator_evaluation/engine/report.h"

namespace gzedu::engine {
namespace {

const std::vector<dataset::GeneratedDistrict>& City() {
  static const std::vector<dataset::GeneratedDistrict> kCity = dataset::BuildCity();
  return kCity;
}

const DistrictInput& District(const std::string& code) {
  for (const dataset::GeneratedDistrict& d : City()) {
    if (d.input.district_code == code) return d.input;
  }
  throw std::runtime_error("no district " + code);
}

const IndicatorResult& Result(const DistrictEvaluation& e, const std::string& id,
                              std::optional<Stage> stage = std::nullopt) {
  for (const IndicatorResult& r : e.indicators) {
    if (r.indicator_id == id && r.stage == stage) return r;
  }
  throw std::runtime_error("no indicator " + id);
}

std::vector<const DistrictRemediationStep*> Steps(const DistrictEvaluation& e, const std::string& id) {
  std::vector<const DistrictRemediationStep*> steps;
  for (const DistrictRemediationStep& step : e.district_plan) {
    if (step.indicator_id == id) steps.push_back(&step);
  }
  return steps;
}

const DistrictRemediationStep* Step(const DistrictEvaluation& e, const std::string& id, const std::string& kind) {
  for (const DistrictRemediationStep* step : Steps(e, id)) {
    if (step->kind == kind) return step;
  }
  return nullptr;
}

int64_t CeilPercent(int64_t percent, int64_t denominator) { return (percent * denominator + 99) / 100; }

TEST(DistrictRemediationTest, EveryFailingIndicatorOfEveryDistrictHasAStep) {
  for (const dataset::GeneratedDistrict& d : City()) {
    SCOPED_TRACE(d.input.district_code);
    const DistrictEvaluation e = Evaluate(d.input);
    for (const IndicatorResult& r : e.indicators) {
      if (r.verdict != Verdict::kDoesNotMeet) continue;
      bool found = false;
      for (const DistrictRemediationStep& step : e.district_plan) {
        found = found || (step.indicator_id == r.indicator_id && step.stage == r.stage);
      }
      EXPECT_TRUE(found) << r.indicator_id << " fails but has no district step";
    }
    for (const DistrictRemediationStep& step : e.district_plan) {
      EXPECT_FALSE(step.summary.empty());
      EXPECT_FALSE(step.summary_zh.empty());
      if (step.computable && step.kind != "cv" && step.kind != "arts_rooms") {
        ASSERT_TRUE(step.amount.has_value()) << step.indicator_id;
      }
    }
  }
}

TEST(DistrictRemediationTest, BaiyunR5ShortfallIsPlacedOnTheLowestSectionsAndLiftsTheDistrictValue) {
  {
    const DistrictEvaluation e = Evaluate(District("440111"));
    bool any = false;
    for (const StageResult& stage : e.stages) {
      const IndicatorResult& r5 = Result(e, "R5", stage.stage);
      if (r5.verdict != Verdict::kDoesNotMeet || stage.district_values[4] >= *r5.threshold) continue;
      any = true;
      const DistrictRemediationStep* step = nullptr;
      for (const DistrictRemediationStep* s : Steps(e, "R5")) {
        if (s->kind == "district_value" && s->stage == stage.stage) step = s;
      }
      ASSERT_NE(step, nullptr);
      ASSERT_TRUE(step->amount.has_value());
      // The sports area missing: (threshold - value) * students, to 0.01 m2.
      const double missing_m2 = (*r5.threshold - stage.district_values[4]) * stage.students;
      EXPECT_GE(*step->amount, missing_m2 - 1e-6);
      EXPECT_LT(*step->amount, missing_m2 + 0.01 + 1e-6);
      EXPECT_EQ(step->unit, "m2 of sports area");
      double placed = 0;
      double previous_value = -1;
      for (const RemediationTarget& target : step->targets) {
        placed += *target.amount;
        // Cheapest first: the sections with the lowest values.
        for (const SectionResult& s : stage.section_results) {
          if (absl::StrCat(s.school_code, " ", s.school_name) != target.label) continue;
          EXPECT_GE(s.values[4], previous_value);
          previous_value = s.values[4];
        }
      }
      EXPECT_NEAR(placed, *step->amount, 1e-6);
      EXPECT_GE(stage.district_values[4] + placed / stage.students, *r5.threshold - 1e-9);
    }
    EXPECT_TRUE(any) << "440111 should fail R5 on its district value";
  }
}

TEST(DistrictRemediationTest, HuaduPlanNamesSchoolsOverSizeAndClassesToAdd) {
  const DistrictInput& input = District("440114");
  const DistrictEvaluation e = Evaluate(input);
  ASSERT_EQ(Result(e, "G5").verdict, Verdict::kDoesNotMeet);
  ASSERT_EQ(Result(e, "G4").verdict, Verdict::kDoesNotMeet);

  int64_t students_over = 0;
  int64_t classes_to_add = 0;
  int64_t oversize_classes = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation) continue;
    const int32_t limit = school.type == SchoolType::kNineYear || school.type == SchoolType::kTwelveYear ? 2500 : 2000;
    int32_t students = 0;
    for (const SectionInput& section : school.sections) {
      students += section.students;
      const int32_t class_limit = section.stage == Stage::kPrimary ? 45 : 50;
      classes_to_add += std::max<int64_t>(0, (section.students + class_limit - 1) / class_limit - section.classes);
      for (int32_t size : section.class_sizes) oversize_classes += size > class_limit;
    }
    students_over += std::max(0, students - limit);
  }
  const DistrictRemediationStep* g4 = Step(e, "G4", "school_size");
  ASSERT_NE(g4, nullptr);
  EXPECT_EQ(*g4->amount, students_over);
  EXPECT_EQ(g4->targets.size(), Result(e, "G4").failing.size());

  const DistrictRemediationStep* g5 = Step(e, "G5", "class_size");
  ASSERT_NE(g5, nullptr);
  EXPECT_EQ(*g5->amount, classes_to_add);
  EXPECT_GE(oversize_classes, 7);
  EXPECT_NE(g5->summary.find(absl::StrCat(oversize_classes, " classes above the limit")), std::string::npos)
      << g5->summary;

  // G14 and Q2, strict reading: the places and children still missing.
  const DistrictFacts& f = input.facts;
  if (Result(e, "G14").verdict == Verdict::kDoesNotMeet) {
    const DistrictRemediationStep* g14 = Step(e, "G14", "quota_places");
    ASSERT_NE(g14, nullptr);
    EXPECT_EQ(*g14->amount, CeilPercent(50, *f.quota_total_places) - *f.quota_allocated_places);
  }
  if (Result(e, "Q2").verdict == Verdict::kDoesNotMeet) {
    const DistrictRemediationStep* q2 = Step(e, "Q2", "disabled_enrolment");
    ASSERT_NE(q2, nullptr);
    EXPECT_EQ(*q2->amount, CeilPercent(95, *f.disabled_school_age_children) - *f.disabled_enrolled);
  }

  const std::string report = RenderReport(e, Language::kEnglish);
  EXPECT_NE(report.find("District remediation (per failing indicator)"), std::string::npos);
  EXPECT_NE(report.find("G5: add "), std::string::npos);
  EXPECT_NE(RenderReport(e, Language::kChinese).find("全区整改"), std::string::npos);
}

// A one-school district with every fact given, then made to fail G11, G14,
// Q2, Q4 and G1 on purpose.
DistrictInput SmallDistrict() {
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  SchoolInput school;
  school.school_code = "4401140001";
  school.name = "A";
  SectionInput section;
  section.students = 90;
  section.classes = 2;
  section.class_sizes = {44, 46};  // one class over 45
  school.sections.push_back(section);
  school.funding.operating_budget_fen = 1'000'000'00;  // 1,000,000 yuan
  school.funding.training_budget_fen = 4'000'000;      // 40,000 yuan: 4%
  input.schools.push_back(school);
  DistrictFacts& f = input.facts;
  f.rotation_eligible_teachers = 1000;
  f.rotated_teachers = 80;
  f.rotated_backbone_teachers = 10;
  f.quota_total_places = 1001;
  f.quota_allocated_places = 400;
  f.disabled_school_age_children = 200;
  f.disabled_enrolled = 180;
  f.zoned_admission_primary = 950;
  f.admission_primary_total = 1000;
  f.zoned_admission_junior = 940;
  f.admission_junior_total = 1000;
  f.migrant_children_eligible = 1000;
  f.migrant_children_in_public_schools = 700;
  f.migrant_children_in_purchased_places = 100;
  f.left_behind_care_system = true;
  input.attestations["G1"] = Attestation{false, "doc", "", "2024-09-01", "bureau"};
  return input;
}

TEST(DistrictRemediationTest, CountsAndMoneyAreTheSmallestThatMeetTheThreshold) {
  const DistrictEvaluation e = Evaluate(SmallDistrict());

  const DistrictRemediationStep* g11 = Step(e, "G11", "rotation");
  ASSERT_NE(g11, nullptr);
  EXPECT_EQ(*g11->amount, 20);  // 10% of 1000 = 100 rotated
  ASSERT_EQ(g11->targets.size(), 2u);
  EXPECT_EQ(*g11->targets[1].amount, 10);  // 20% of 100 = 20 backbone

  const DistrictRemediationStep* g14 = Step(e, "G14", "quota_places");
  ASSERT_NE(g14, nullptr);
  EXPECT_EQ(*g14->amount, 101);  // 50% of 1001 is 500.5: 501 places

  const DistrictRemediationStep* q2 = Step(e, "Q2", "disabled_enrolment");
  ASSERT_NE(q2, nullptr);
  EXPECT_EQ(*q2->amount, 10);  // 95% of 200 = 190

  const DistrictRemediationStep* q4 = Step(e, "Q4", "training_budget");
  ASSERT_NE(q4, nullptr);
  EXPECT_DOUBLE_EQ(*q4->amount, 10000);  // 5% of 1,000,000 yuan = 50,000
  ASSERT_EQ(q4->targets.size(), 1u);
  EXPECT_EQ(q4->targets[0].label, "4401140001 A");

  // G5: 90 students fit two classes of 45: nothing to add, one class to even out.
  const DistrictRemediationStep* g5 = Step(e, "G5", "class_size");
  ASSERT_NE(g5, nullptr);
  EXPECT_EQ(*g5->amount, 0);
  ASSERT_EQ(g5->targets.size(), 1u);
  EXPECT_NE(g5->targets[0].note.find("1 classes above 45, 1 students over"), std::string::npos) << g5->targets[0].note;

  const DistrictRemediationStep* g13 = Step(e, "G13", "zoned_admission");
  ASSERT_NE(g13, nullptr);
  EXPECT_EQ(*g13->amount, 60);  // primary 100% of 1000 (50 more), junior 95% of 1000 (10 more)
  ASSERT_EQ(g13->targets.size(), 2u);
  EXPECT_EQ(*g13->targets[1].amount, 10);

  const DistrictRemediationStep* g15 = Step(e, "G15", "migrant_children");
  ASSERT_NE(g15, nullptr);
  EXPECT_EQ(*g15->amount, 50);  // 85% of 1000 = 850 placed

  const std::vector<const DistrictRemediationStep*> g1 = Steps(e, "G1");
  ASSERT_EQ(g1.size(), 1u);
  EXPECT_FALSE(g1[0]->computable);
  EXPECT_NE(g1[0]->summary.find("the district must act and attest"), std::string::npos);
}

TEST(DistrictRemediationTest, ClassesToAddAreThoseTheStudentsNeed) {
  DistrictInput input = SmallDistrict();
  SectionInput& section = input.schools[0].sections[0];
  section.students = 100;
  section.classes = 2;
  section.class_sizes = {50, 50};
  const DistrictEvaluation e = Evaluate(input);
  const DistrictRemediationStep* g5 = Step(e, "G5", "class_size");
  ASSERT_NE(g5, nullptr);
  EXPECT_EQ(*g5->amount, 1);  // ceil(100 / 45) - 2
}

TEST(DistrictRemediationTest, AMeetingDistrictHasNoDistrictSteps) {
  DistrictInput input = SmallDistrict();
  input.facts = DistrictFacts{};
  input.attestations.clear();
  input.schools[0].funding = SchoolFunding{};
  input.schools[0].sections[0].class_sizes = {45, 45};
  const DistrictEvaluation e = Evaluate(input);
  for (const DistrictRemediationStep& step : e.district_plan) {
    if (step.indicator_id == "per-section rule") continue;
    EXPECT_EQ(Result(e, step.indicator_id, step.stage).verdict, Verdict::kDoesNotMeet)
        << step.indicator_id << " has a step but does not fail";
  }
}

}  // namespace
}  // namespace gzedu::engine
