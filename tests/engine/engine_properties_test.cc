// Properties of the evaluation that hold on every input (RapidCheck):
// permuting schools changes nothing, scaling a district changes no value,
// a CV equal to its limit meets, sums never wrap.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "services/indicator_evaluation/engine/engine.h"

namespace gzedu::engine {
namespace {

// A section with hundredth-precision facilities, as the inputs are documented.
SectionInput RandomSection(Stage stage, int32_t students) {
  SectionInput s;
  s.stage = stage;
  s.students = students;
  const int32_t limit = stage == Stage::kPrimary ? 45 : 50;
  s.classes = (students + limit - 1) / limit + *rc::gen::inRange(0, 3);
  // Sizes adding up to the students, spread over the classes.
  s.class_sizes.assign(s.classes, students / s.classes);
  for (int32_t i = 0; i < students % s.classes; ++i) ++s.class_sizes[i];
  TeacherCounts t;
  t.full_time = students / 12 + 1;
  t.above_required_qualification = *rc::gen::inRange(0, t.full_time + 1);
  t.backbone_county_or_above = *rc::gen::inRange(0, t.full_time + 1);
  t.pe_music_art = *rc::gen::inRange(0, t.full_time + 1);
  t.certified = *rc::gen::inRange(0, t.full_time + 1);
  t.training_complete = *rc::gen::inRange(0, t.full_time + 1);
  s.teachers = t;
  Facilities f;
  f.teaching_area_m2 = *rc::gen::inRange(0, 1000 * students) / 100.0;
  f.sports_area_m2 = *rc::gen::inRange(0, 2000 * students) / 100.0;
  f.equipment_value_fen = int64_t{*rc::gen::inRange(0, 600000)} * students;
  f.multimedia_rooms = *rc::gen::inRange(0, 5 * students) / 100.0;
  s.facilities = f;
  return s;
}

DistrictInput RandomDistrict() {
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  const int schools = *rc::gen::inRange(1, 14);
  for (int i = 0; i < schools; ++i) {
    SchoolInput school;
    school.school_code = "S" + std::to_string(i);
    school.name = school.school_code;
    const int kind = *rc::gen::inRange(0, 3);
    school.type = kind == 0 ? SchoolType::kPrimary : kind == 1 ? SchoolType::kJunior : SchoolType::kNineYear;
    if (kind != 1) school.sections.push_back(RandomSection(Stage::kPrimary, *rc::gen::inRange(1, 3000)));
    if (kind != 0) school.sections.push_back(RandomSection(Stage::kJunior, *rc::gen::inRange(1, 3000)));
    school.music_room_areas_m2.assign(*rc::gen::inRange(0, 4), 96);
    school.art_room_areas_m2.assign(*rc::gen::inRange(0, 4), 90);
    input.schools.push_back(std::move(school));
  }
  input.facts.rotation_eligible_teachers = *rc::gen::inRange(1, 2000);
  input.facts.rotated_teachers = *rc::gen::inRange(0, *input.facts.rotation_eligible_teachers + 1);
  input.facts.rotated_backbone_teachers = *rc::gen::inRange(0, *input.facts.rotated_teachers + 1);
  return input;
}

bool Close(std::optional<double> a, std::optional<double> b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  return std::fabs(*a - *b) <= 1e-12 * std::max(1.0, std::fabs(*a));
}

// Same verdicts everywhere, same values and CVs to 1e-12 relative.
void RequireSameEvaluation(const DistrictEvaluation& a, const DistrictEvaluation& b) {
  RC_ASSERT(a.verdict == b.verdict);
  RC_ASSERT(a.failing_indicators == b.failing_indicators);
  RC_ASSERT(a.indicators.size() == b.indicators.size());
  for (size_t i = 0; i < a.indicators.size(); ++i) {
    const IndicatorResult& x = a.indicators[i];
    const IndicatorResult& y = b.indicators[i];
    RC_ASSERT(x.indicator_id == y.indicator_id);
    RC_ASSERT(x.verdict == y.verdict);
    RC_ASSERT(Close(x.value, y.value));
    RC_ASSERT(Close(x.cv_actual, y.cv_actual));
  }
  for (size_t s = 0; s < a.stages.size(); ++s) {
    RC_ASSERT(a.stages[s].sections_meeting_all == b.stages[s].sections_meeting_all);
    RC_ASSERT(a.stages[s].sections_with_one_at_85 == b.stages[s].sections_with_one_at_85);
    RC_ASSERT(a.stages[s].sections_failing == b.stages[s].sections_failing);
  }
}

RC_GTEST_PROP(EnginePropertyTest, PermutingSchoolsChangesNothing, ()) {
  DistrictInput input = RandomDistrict();
  const DistrictEvaluation before = Evaluate(input);
  const std::vector<size_t> order =
      *rc::gen::unique<std::vector<size_t>>(input.schools.size(), rc::gen::inRange<size_t>(0, input.schools.size()));
  std::vector<SchoolInput> permuted;
  for (size_t i : order) permuted.push_back(input.schools[i]);
  input.schools = permuted;
  RequireSameEvaluation(before, Evaluate(input));
}

RC_GTEST_PROP(EnginePropertyTest, ScalingEverySectionByKChangesNoValueOrCv, ()) {
  DistrictInput input = RandomDistrict();
  const DistrictEvaluation before = Evaluate(input);
  const int32_t k = *rc::gen::inRange(2, 6);
  for (SchoolInput& school : input.schools) {
    for (SectionInput& s : school.sections) {
      s.students *= k;
      s.classes *= k;
      const std::vector<int32_t> sizes = s.class_sizes;
      for (int32_t i = 1; i < k; ++i) s.class_sizes.insert(s.class_sizes.end(), sizes.begin(), sizes.end());
      TeacherCounts& t = *s.teachers;
      for (int32_t* count : {&t.full_time, &t.above_required_qualification, &t.backbone_county_or_above,
                             &t.pe_music_art, &t.certified, &t.training_complete}) {
        *count *= k;
      }
      s.facilities->teaching_area_m2 *= k;
      s.facilities->sports_area_m2 *= k;
      s.facilities->equipment_value_fen *= k;
      s.facilities->multimedia_rooms *= k;
    }
  }
  const DistrictEvaluation after = Evaluate(input);
  // Resource values, CVs and the per-section rule are ratios: unchanged.
  for (size_t i = 0; i < before.indicators.size(); ++i) {
    const IndicatorResult& x = before.indicators[i];
    const IndicatorResult& y = after.indicators[i];
    if (!x.stage) continue;
    RC_ASSERT(x.verdict == y.verdict);
    RC_ASSERT(Close(x.value, y.value));
    RC_ASSERT(Close(x.cv_actual, y.cv_actual));
  }
  for (size_t s = 0; s < before.stages.size(); ++s) {
    RC_ASSERT(before.stages[s].sections_failing == after.stages[s].sections_failing);
    RC_ASSERT(before.stages[s].sections_with_one_at_85 == after.stages[s].sections_with_one_at_85);
  }
}

RC_GTEST_PROP(EnginePropertyTest, ACvEqualToItsLimitMeets, ()) {
  // Two sections of P students with values m(1 − L) and m(1 + L): X̄ = m,
  // S = mL, CV = L exactly. m in whole m² keeps the areas in hundredths.
  const bool primary = *rc::gen::arbitrary<bool>();
  const Stage stage = primary ? Stage::kPrimary : Stage::kJunior;
  const int64_t limit_hundredths = primary ? 50 : 45;
  const int32_t students = *rc::gen::inRange(1, 5000);
  const int32_t mean = *rc::gen::inRange(11, 200);  // above both R5 thresholds
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  for (int i = 0; i < 2; ++i) {
    SchoolInput school;
    school.school_code = "S" + std::to_string(i);
    school.type = primary ? SchoolType::kPrimary : SchoolType::kJunior;
    SectionInput s = RandomSection(stage, students);
    const int64_t value_hundredths = mean * (100 + (i == 0 ? -limit_hundredths : limit_hundredths));
    s.facilities->sports_area_m2 = static_cast<double>(value_hundredths * students) / 100.0;
    school.sections.push_back(s);
    input.schools.push_back(std::move(school));
  }
  const DistrictEvaluation e = Evaluate(input);
  const StageResult& result = e.stages[primary ? 0 : 1];
  RC_ASSERT(result.cv_defined[4]);
  RC_ASSERT(result.cv_within[4]);
  RC_ASSERT(result.cv[4] <= result.cv_max);
  RC_ASSERT(std::fabs(result.cv[4] - result.cv_max) < 1e-12);
}

RC_GTEST_PROP(EnginePropertyTest, SumsNeverWrap, ()) {
  // Sections of up to INT32_MAX students (far beyond the documented bounds,
  // which the inputs' validation enforces): stage sums are exact and every
  // value is finite and non-negative.
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  int64_t expected = 0;
  const int schools = *rc::gen::inRange(1, 6);
  for (int i = 0; i < schools; ++i) {
    SchoolInput school;
    school.school_code = "S" + std::to_string(i);
    school.type = SchoolType::kNineYear;
    for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
      SectionInput s;
      s.stage = stage;
      s.students = *rc::gen::inRange(1, std::numeric_limits<int32_t>::max());
      s.classes = *rc::gen::inRange(1, std::numeric_limits<int32_t>::max());
      s.teachers->full_time = *rc::gen::inRange(0, std::numeric_limits<int32_t>::max());
      s.teachers->above_required_qualification = s.teachers->full_time;
      s.facilities = Facilities{1e9, 1e9, int64_t{100'000'000'000'000}, 1e5};
      expected += s.students;
      school.sections.push_back(s);
    }
    input.schools.push_back(std::move(school));
  }
  const DistrictEvaluation e = Evaluate(input);
  RC_ASSERT(e.stages[0].students + e.stages[1].students == expected);
  for (const IndicatorResult& r : e.indicators) {
    if (r.value) {
      RC_ASSERT(std::isfinite(*r.value));
      RC_ASSERT(*r.value >= 0);
    }
    if (r.cv_actual) RC_ASSERT(std::isfinite(*r.cv_actual));
  }
}

}  // namespace
}  // namespace gzedu::engine
