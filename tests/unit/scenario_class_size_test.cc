// Scenario enrolment changes keep class sizes consistent (issue 13): the
// students added or removed are spread over the known classes in
// proportion to their sizes, so an oversize class never disappears unless
// students are taken from it, and unknown sizes stay unknown.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "data/guangzhou/generator/dataset.h"
#include "services/indicator_evaluation/domain/scenario.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/grpc/conversions.h"

namespace gzedu::indicators {
namespace {

engine::DistrictInput OneSection(int32_t students, int32_t classes, std::vector<int32_t> class_sizes) {
  engine::DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  engine::SchoolInput school;
  school.school_code = "4401140001";
  school.name = "A";
  engine::SectionInput section;
  section.students = students;
  section.classes = classes;
  section.class_sizes = std::move(class_sizes);
  school.sections.push_back(section);
  input.schools.push_back(school);
  return input;
}

int32_t Sum(const std::vector<int32_t>& sizes) { return std::accumulate(sizes.begin(), sizes.end(), 0); }

const engine::IndicatorResult& G5(const engine::DistrictEvaluation& e) {
  for (const engine::IndicatorResult& r : e.indicators) {
    if (r.indicator_id == "G5") return r;
  }
  throw std::runtime_error("no G5");
}

TEST(ScenarioClassSizeTest, AddedStudentsGrowEveryClassAndKeepTheOversizeOne) {
  engine::DistrictInput input = OneSection(100, 3, {50, 30, 20});
  FieldViolations violations;
  ApplyScenario({EnrolmentChange{5, std::nullopt, ""}}, &input, violations);
  ASSERT_TRUE(violations.empty());
  const engine::SectionInput& section = input.schools[0].sections[0];
  EXPECT_EQ(section.students, 105);
  EXPECT_EQ(section.class_sizes, (std::vector<int32_t>{53, 31, 21}));
  EXPECT_EQ(section.classes, 3);
}

TEST(ScenarioClassSizeTest, RemovedStudentsShrinkEveryClassInProportion) {
  engine::DistrictInput input = OneSection(100, 3, {50, 30, 20});
  FieldViolations violations;
  ApplyScenario({EnrolmentChange{-5, std::nullopt, ""}}, &input, violations);
  ASSERT_TRUE(violations.empty());
  const engine::SectionInput& section = input.schools[0].sections[0];
  EXPECT_EQ(section.students, 95);
  EXPECT_EQ(section.class_sizes, (std::vector<int32_t>{48, 28, 19}));
  EXPECT_EQ(G5(engine::Evaluate(input)).verdict, engine::Verdict::kDoesNotMeet);
}

TEST(ScenarioClassSizeTest, SizesThatDoNotAddUpToTheStudentsScaleByTheSameFactor) {
  engine::DistrictInput input = OneSection(120, 2, {50, 50});  // 20 students in no reported class
  FieldViolations violations;
  ApplyScenario({EnrolmentChange{10, std::nullopt, ""}}, &input, violations);
  const engine::SectionInput& section = input.schools[0].sections[0];
  EXPECT_EQ(section.students, 132);
  EXPECT_EQ(section.class_sizes, (std::vector<int32_t>{55, 55}));
}

TEST(ScenarioClassSizeTest, UnknownClassSizesStayUnknownAndG5IsNeverMet) {
  engine::DistrictInput input = OneSection(88, 2, {});
  FieldViolations violations;
  ApplyScenario({EnrolmentChange{1, std::nullopt, ""}}, &input, violations);
  EXPECT_TRUE(input.schools[0].sections[0].class_sizes.empty());
  EXPECT_EQ(G5(engine::Evaluate(input)).verdict, engine::Verdict::kPending);
  ApplyScenario({EnrolmentChange{5, std::nullopt, ""}}, &input, violations);  // 93 > 2 x 45
  EXPECT_EQ(G5(engine::Evaluate(input)).verdict, engine::Verdict::kDoesNotMeet);
}

TEST(ScenarioClassSizeTest, ANewSchoolSpreadsItsStudentsEvenlyOverItsClasses) {
  engine::DistrictInput input = OneSection(100, 3, {50, 30, 20});
  NewSchool school;
  school.school_code = "4401149999";
  school.students = 100;
  school.classes = 3;
  FieldViolations violations;
  ApplyScenario({school}, &input, violations);
  ASSERT_TRUE(violations.empty());
  ASSERT_EQ(input.schools.size(), 2u);
  EXPECT_EQ(input.schools[1].sections[0].class_sizes, (std::vector<int32_t>{34, 33, 33}));
}

// Huadu has 7 oversize classes: 5% more or 5% fewer students must keep
// them (the old re-spread made every class even and G5 "meets").
TEST(ScenarioClassSizeTest, HuaduKeepsItsOversizeClassesWhenEnrolmentChanges) {
  engine::DistrictInput huadu;
  for (const dataset::GeneratedDistrict& d : dataset::BuildCity()) {
    if (d.input.district_code == "440114") huadu = d.input;
  }
  ASSERT_EQ(huadu.district_code, "440114");
  const engine::IndicatorResult before = G5(engine::Evaluate(huadu));
  ASSERT_EQ(before.verdict, engine::Verdict::kDoesNotMeet);
  ASSERT_GE(*before.value, 7);
  // Classes so far over the limit that 5% fewer students leave them over.
  int32_t still_over_after_removal = 0;
  for (const engine::SchoolInput& school : huadu.schools) {
    for (const engine::SectionInput& section : school.sections) {
      const int32_t limit = section.stage == Stage::kPrimary ? 45 : 50;
      for (int32_t size : section.class_sizes) still_over_after_removal += size * 95 / 100 > limit;
    }
  }
  for (double percent : {5.0, -5.0}) {
    SCOPED_TRACE(percent);
    engine::DistrictInput input = huadu;
    FieldViolations violations;
    ApplyScenario({EnrolmentChange{percent, std::nullopt, ""}}, &input, violations);
    ASSERT_TRUE(violations.empty());
    for (size_t i = 0; i < input.schools.size(); ++i) {
      for (size_t j = 0; j < input.schools[i].sections.size(); ++j) {
        const engine::SectionInput& was = huadu.schools[i].sections[j];
        const engine::SectionInput& now = input.schools[i].sections[j];
        ASSERT_EQ(now.class_sizes.size(), was.class_sizes.size());
        if (!was.class_sizes.empty() && Sum(was.class_sizes) == was.students) {
          EXPECT_EQ(Sum(now.class_sizes), now.students) << input.schools[i].school_code;
        }
        for (size_t c = 0; c < was.class_sizes.size(); ++c) {
          if (percent > 0) {
            EXPECT_GE(now.class_sizes[c], was.class_sizes[c]);
          }
          if (percent < 0) {
            EXPECT_LE(now.class_sizes[c], was.class_sizes[c]);
          }
        }
      }
    }
    const engine::IndicatorResult after = G5(engine::Evaluate(input));
    EXPECT_GE(*after.value, percent > 0 ? *before.value : still_over_after_removal);
    if (*after.value > 0) {
      EXPECT_EQ(after.verdict, engine::Verdict::kDoesNotMeet);
    }
  }
}

// The district plan travels through the contract (snapshots are stored as
// the contract's message, so this is also what a stored snapshot keeps).
TEST(DistrictPlanConversionTest, EveryStepAndTargetSurvivesTheContract) {
  Snapshot s;
  s.district_code = "440114";
  s.school_year = 2024;
  s.evaluation = engine::Evaluate(OneSection(100, 2, {50, 50}));
  ASSERT_FALSE(s.evaluation.district_plan.empty());
  v1::DistrictEvaluation message;
  ToProto(s, v1::REPORT_LANGUAGE_UNSPECIFIED, &message);
  ASSERT_EQ(message.district_plan_size(), static_cast<int>(s.evaluation.district_plan.size()));
  const Snapshot back = FromProto(message);
  ASSERT_EQ(back.evaluation.district_plan.size(), s.evaluation.district_plan.size());
  for (size_t i = 0; i < s.evaluation.district_plan.size(); ++i) {
    const engine::DistrictRemediationStep& a = s.evaluation.district_plan[i];
    const engine::DistrictRemediationStep& b = back.evaluation.district_plan[i];
    EXPECT_EQ(a.indicator_id, b.indicator_id);
    EXPECT_EQ(a.stage, b.stage);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.computable, b.computable);
    EXPECT_EQ(a.amount, b.amount);
    EXPECT_EQ(a.unit_zh, b.unit_zh);
    EXPECT_EQ(a.summary, b.summary);
    EXPECT_EQ(a.summary_zh, b.summary_zh);
    ASSERT_EQ(a.targets.size(), b.targets.size());
    for (size_t t = 0; t < a.targets.size(); ++t) {
      EXPECT_EQ(a.targets[t].label, b.targets[t].label);
      EXPECT_EQ(a.targets[t].stage, b.targets[t].stage);
      EXPECT_EQ(a.targets[t].amount, b.targets[t].amount);
      EXPECT_EQ(a.targets[t].note_zh, b.targets[t].note_zh);
    }
  }
}

}  // namespace
}  // namespace gzedu::indicators
