// The resource area (资源配置): per-section values, district values, weighted
// CVs and the per-section rule (indicators.md section 3).
#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/engine/coefficient_of_variation.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

// R1, R2, R3 and R7 are counted per 100 students.
constexpr std::array<double, kResourceIndicatorCount> kScale = {100, 100, 100, 1, 1, 1, 100};

// Thresholds are compared with unrounded values (indicators.md section 8);
// the tolerance only absorbs floating-point noise in value = n / P, so that
// a value equal to its threshold meets it.
constexpr double kRelativeTolerance = 1e-12;

bool Reaches(double value, double target) { return value >= target * (1 - kRelativeTolerance); }

bool HasStage(const SchoolInput& school, Stage stage) {
  for (const SectionInput& section : school.sections) {
    if (section.stage == stage) return true;
  }
  return false;
}

// The numerators of R1..R7 (before scaling) of one section.
std::array<double, kResourceIndicatorCount> Numerators(const SectionInput& section, const Facilities& facilities) {
  return {static_cast<double>(section.teachers->above_required_qualification),
          static_cast<double>(section.teachers->backbone_county_or_above),
          static_cast<double>(section.teachers->pe_music_art),
          facilities.teaching_area_m2,
          facilities.sports_area_m2,
          static_cast<double>(facilities.equipment_value_fen) / 100.0,
          facilities.multimedia_rooms};
}

}  // namespace

double ResourceThreshold(int k, Stage stage) {
  const IndicatorDefinition& definition = IndicatorDefinitions()[k];
  return stage == Stage::kPrimary ? *definition.threshold_primary : *definition.threshold_junior;
}

std::vector<Facilities> ApportionFacilities(const SchoolInput& school, Apportionment apportionment) {
  // 2015 guide weights for primary : junior : senior.
  const auto weight = [apportionment](Stage stage) {
    if (apportionment == Apportionment::kEnrolmentShare) return 1.0;
    return stage == Stage::kPrimary ? 1.0 : 1.1;
  };
  const double senior_weight = apportionment == Apportionment::kEnrolmentShare ? 1.0 : 1.32;
  double total = senior_weight * school.senior_students;
  for (const SectionInput& section : school.sections) total += weight(section.stage) * section.students;
  std::vector<Facilities> result;
  result.reserve(school.sections.size());
  for (const SectionInput& section : school.sections) {
    if (section.facilities.has_value()) {
      result.push_back(*section.facilities);
      continue;
    }
    const double share = total > 0 ? weight(section.stage) * section.students / total : 0.0;
    Facilities part;
    part.teaching_area_m2 = school.shared_facilities->teaching_area_m2 * share;
    part.sports_area_m2 = school.shared_facilities->sports_area_m2 * share;
    part.equipment_value_fen =
        static_cast<int64_t>(std::llround(static_cast<double>(school.shared_facilities->equipment_value_fen) * share));
    part.multimedia_rooms = school.shared_facilities->multimedia_rooms * share;
    result.push_back(part);
  }
  return result;
}

std::array<double, kResourceIndicatorCount> SectionValues(const SectionInput& section, const Facilities& facilities) {
  const std::array<double, kResourceIndicatorCount> numerators = Numerators(section, facilities);
  std::array<double, kResourceIndicatorCount> values{};
  for (int k = 0; k < kResourceIndicatorCount; ++k) values[k] = kScale[k] * numerators[k] / section.students;
  return values;
}

SectionOutcome ClassifySection(const std::array<double, kResourceIndicatorCount>& values, Stage stage) {
  int below = 0;
  bool below_at_85 = true;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, stage);
    if (Reaches(values[k], threshold)) continue;
    ++below;
    below_at_85 = Reaches(values[k], kSectionRelaxedShare * threshold);
  }
  if (below == 0) return SectionOutcome::kMeetsAll;
  if (below == 1 && below_at_85) return SectionOutcome::kMeetsWithOne85;
  return SectionOutcome::kFails;
}

StageResult EvaluateStage(const DistrictInput& input, Stage stage, const Conventions& conventions) {
  StageResult result;
  result.stage = stage;
  result.cv_max = stage == Stage::kPrimary ? kCvMaxPrimary : kCvMaxJunior;
  std::array<double, kResourceIndicatorCount> numerator_sums{};
  std::array<std::vector<double>, kResourceIndicatorCount> values_by_indicator;
  std::vector<double> weights;

  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation || !HasStage(school, stage)) continue;
    const std::vector<Facilities> facilities = ApportionFacilities(school, conventions.shared_resource_apportionment);
    for (size_t i = 0; i < school.sections.size(); ++i) {
      const SectionInput& section = school.sections[i];
      if (section.stage != stage) continue;
      const std::string label = absl::StrCat(school.school_code, " ", school.name);
      if (school.type == SchoolType::kTeachingPoint && section.students < conventions.teaching_point_min_students) {
        result.excluded_sections.push_back(label);
        continue;
      }
      if (section.students <= 0) {
        result.invalid_sections.push_back(label);
        continue;
      }
      SectionResult section_result;
      section_result.school_code = school.school_code;
      section_result.school_name = school.name;
      section_result.stage = stage;
      section_result.students = section.students;
      section_result.values = SectionValues(section, facilities[i]);
      section_result.outcome = ClassifySection(section_result.values, stage);
      const std::array<double, kResourceIndicatorCount> numerators = Numerators(section, facilities[i]);
      for (int k = 0; k < kResourceIndicatorCount; ++k) {
        numerator_sums[k] += numerators[k];
        values_by_indicator[k].push_back(section_result.values[k]);
        if (Reaches(section_result.values[k], ResourceThreshold(k, stage))) ++result.sections_meeting[k];
      }
      weights.push_back(section.students);
      result.students += section.students;
      switch (section_result.outcome) {
        case SectionOutcome::kMeetsAll:
          ++result.sections_meeting_all;
          break;
        case SectionOutcome::kMeetsWithOne85:
          ++result.sections_with_one_at_85;
          break;
        default:
          ++result.sections_failing;
      }
      result.section_results.push_back(std::move(section_result));
    }
  }
  result.sections = static_cast<int32_t>(result.section_results.size());
  if (result.students == 0) return result;
  double cv_sum = 0;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    // The district value is Σ numerators / Σ students, which equals the
    // enrolment-weighted mean of the section values.
    result.district_values[k] = kScale[k] * numerator_sums[k] / result.students;
    const WeightedCv cv = WeightedCoefficientOfVariation(values_by_indicator[k], weights);
    result.cv[k] = cv.cv;
    cv_sum += cv.cv;
    for (size_t i = 0; i < result.section_results.size(); ++i) {
      result.section_results[i].variance_contributions[k] = cv.variance_contributions[i];
    }
  }
  result.composite_cv = cv_sum / kResourceIndicatorCount;
  return result;
}

}  // namespace gzedu::engine
