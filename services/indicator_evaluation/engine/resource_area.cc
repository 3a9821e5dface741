// The resource area (资源配置): per-section values, district values, weighted
// CVs and the per-section rule (indicators.md section 3). Every verdict is
// decided exactly on the inputs (exact.h); the doubles are for reporting.
#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/exact.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

using exact::Fraction;

// R1, R2, R3 and R7 are counted per 100 students.
constexpr std::array<int64_t, kResourceIndicatorCount> kScale = {100, 100, 100, 1, 1, 1, 100};

// Apportionment weights in hundredths: enrolment share weighs every student
// alike; the 2015 guide's legacy weights are primary : junior : senior =
// 1 : 1.1 : 1.32.
int64_t WeightHundredths(Apportionment apportionment, std::optional<Stage> stage) {
  if (apportionment == Apportionment::kEnrolmentShare) return 100;
  if (!stage) return 132;  // senior
  return *stage == Stage::kPrimary ? 100 : 110;
}

bool HasStage(const SchoolInput& school, Stage stage) {
  for (const SectionInput& section : school.sections) {
    if (section.stage == stage) return true;
  }
  return false;
}

using Numerators = std::array<std::optional<Fraction>, kResourceIndicatorCount>;

// The facility numerators (R4..R7: m², m², yuan, rooms) of `facilities`,
// exactly.
void SetFacilityNumerators(const Facilities& facilities, Numerators& n) {
  n[3] = Fraction::Decimal(facilities.teaching_area_m2);
  n[4] = Fraction::Decimal(facilities.sports_area_m2);
  n[5] = Fraction{facilities.equipment_value_fen, 100};
  n[6] = Fraction::Decimal(facilities.multimedia_rooms);
}

// The exact numerators of R1..R7 of each section of `school`, in section
// order; an absent input leaves its numerators empty. Shared facilities are
// apportioned exactly (money too: never rounded to fen before dividing).
std::vector<Numerators> SchoolNumerators(const SchoolInput& school, Apportionment apportionment) {
  int64_t total_weight = WeightHundredths(apportionment, std::nullopt) * static_cast<int64_t>(school.senior_students);
  for (const SectionInput& section : school.sections) {
    total_weight += WeightHundredths(apportionment, section.stage) * static_cast<int64_t>(section.students);
  }
  std::vector<Numerators> result;
  result.reserve(school.sections.size());
  for (const SectionInput& section : school.sections) {
    Numerators n;
    if (section.teachers) {
      n[0] = Fraction::Whole(section.teachers->above_required_qualification);
      n[1] = Fraction::Whole(section.teachers->backbone_county_or_above);
      n[2] = Fraction::Whole(section.teachers->pe_music_art);
    }
    if (section.facilities) {
      SetFacilityNumerators(*section.facilities, n);
    } else if (school.shared_facilities) {
      Numerators shared;
      SetFacilityNumerators(*school.shared_facilities, shared);
      const int64_t weight = WeightHundredths(apportionment, section.stage) * static_cast<int64_t>(section.students);
      for (int k = 3; k < kResourceIndicatorCount; ++k) {
        n[k] = total_weight > 0 ? exact::Scaled(*shared[k], weight, total_weight) : Fraction{};
      }
    }
    result.push_back(n);
  }
  return result;
}

Fraction ExactThreshold(int k, Stage stage) { return Fraction::Decimal(ResourceThreshold(k, stage)); }

// value = scale · numerator / students as a fraction.
Fraction SectionValue(int k, const Fraction& numerator, int64_t students) {
  return exact::Scaled(numerator, kScale[k], students);
}

// A reported double never contradicts the exact verdict it stands beside.
double Consistent(double value, double threshold, bool reaches) {
  if (reaches && value < threshold) return threshold;
  if (!reaches && value >= threshold) return std::nextafter(threshold, -1.0);
  return value;
}

SectionOutcome Classify(const std::array<bool, kResourceIndicatorCount>& known,
                        const std::array<bool, kResourceIndicatorCount>& reaches,
                        const std::array<bool, kResourceIndicatorCount>& reaches_85) {
  int below = 0;
  int unknown = 0;
  bool below_at_85 = true;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    if (!known[k]) {
      ++unknown;
      continue;
    }
    if (reaches[k]) continue;
    ++below;
    below_at_85 = reaches_85[k];
  }
  // Two below, or one below 85%, fail whatever the unknown ones hold.
  if (below >= 2 || (below == 1 && !below_at_85)) return SectionOutcome::kFails;
  if (unknown > 0) return SectionOutcome::kIncomplete;
  if (below == 0) return SectionOutcome::kMeetsAll;
  return SectionOutcome::kMeetsWithOne85;
}

}  // namespace

double ResourceThreshold(int k, Stage stage) {
  const IndicatorDefinition& definition = IndicatorDefinitions()[k];
  return stage == Stage::kPrimary ? *definition.threshold_primary : *definition.threshold_junior;
}

std::vector<Facilities> ApportionFacilities(const SchoolInput& school, Apportionment apportionment) {
  const std::vector<Numerators> numerators = SchoolNumerators(school, apportionment);
  std::vector<Facilities> result;
  result.reserve(numerators.size());
  for (const Numerators& n : numerators) {
    Facilities part;
    if (n[3]) {
      part.teaching_area_m2 = n[3]->ToDouble();
      part.sports_area_m2 = n[4]->ToDouble();
      part.equipment_value_fen = static_cast<int64_t>(std::llround(n[5]->ToLongDouble() * 100));
      part.multimedia_rooms = n[6]->ToDouble();
    }
    result.push_back(part);
  }
  return result;
}

std::array<double, kResourceIndicatorCount> SectionValues(const SectionInput& section, const Facilities& facilities) {
  Numerators n;
  SetFacilityNumerators(facilities, n);
  const TeacherCounts teachers = section.teachers.value_or(TeacherCounts{});
  n[0] = Fraction::Whole(teachers.above_required_qualification);
  n[1] = Fraction::Whole(teachers.backbone_county_or_above);
  n[2] = Fraction::Whole(teachers.pe_music_art);
  std::array<double, kResourceIndicatorCount> values{};
  for (int k = 0; k < kResourceIndicatorCount; ++k) values[k] = SectionValue(k, *n[k], section.students).ToDouble();
  return values;
}

SectionOutcome ClassifySection(const std::array<double, kResourceIndicatorCount>& values, Stage stage) {
  // For values computed in double (a plan's what-if): a relative tolerance
  // of 1e-12 absorbs the rounding of value = n / P. Evaluate() itself decides
  // sections exactly on their inputs and does not come here.
  constexpr double kRelativeTolerance = 1e-12;
  std::array<bool, kResourceIndicatorCount> known{};
  std::array<bool, kResourceIndicatorCount> reaches{};
  std::array<bool, kResourceIndicatorCount> reaches_85{};
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, stage) * (1 - kRelativeTolerance);
    known[k] = true;
    reaches[k] = values[k] >= threshold;
    reaches_85[k] = values[k] >= kSectionRelaxedShare * threshold;
  }
  return Classify(known, reaches, reaches_85);
}

StageResult EvaluateStage(const DistrictInput& input, Stage stage, const Conventions& conventions) {
  StageResult result;
  result.stage = stage;
  result.cv_max = stage == Stage::kPrimary ? kCvMaxPrimary : kCvMaxJunior;
  std::array<exact::FractionSum, kResourceIndicatorCount> numerator_sums;
  std::array<std::vector<Fraction>, kResourceIndicatorCount> numerators_by_indicator;
  std::vector<int64_t> students_by_section;

  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation || !HasStage(school, stage)) continue;
    const std::vector<Numerators> numerators = SchoolNumerators(school, conventions.shared_resource_apportionment);
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
      std::array<bool, kResourceIndicatorCount> reaches_85{};
      for (int k = 0; k < kResourceIndicatorCount; ++k) {
        const std::optional<Fraction>& n = numerators[i][k];
        section_result.known[k] = n.has_value();
        if (!n) {
          result.sections_missing_input[k].push_back(label);
          continue;
        }
        const Fraction value = SectionValue(k, *n, section.students);
        const Fraction threshold = ExactThreshold(k, stage);
        section_result.reaches[k] = exact::AtLeast(value, threshold);
        reaches_85[k] = exact::AtLeast(value, exact::Scaled(threshold, 85, 100));
        section_result.values[k] = Consistent(value.ToDouble(), ResourceThreshold(k, stage), section_result.reaches[k]);
        if (section_result.reaches[k]) ++result.sections_meeting[k];
        numerator_sums[k].Add(*n);
        numerators_by_indicator[k].push_back(*n);
      }
      section_result.outcome = Classify(section_result.known, section_result.reaches, reaches_85);
      students_by_section.push_back(section.students);
      result.students += section.students;
      switch (section_result.outcome) {
        case SectionOutcome::kMeetsAll:
          ++result.sections_meeting_all;
          break;
        case SectionOutcome::kMeetsWithOne85:
          ++result.sections_with_one_at_85;
          break;
        case SectionOutcome::kIncomplete:
          ++result.sections_incomplete;
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
    if (!result.sections_missing_input[k].empty()) continue;  // undecided: pending
    // The district value is Σ numerators / Σ students, which equals the
    // enrolment-weighted mean of the section values.
    const double threshold = ResourceThreshold(k, stage);
    result.value_reaches[k] =
        exact::DistrictValueAtLeast(numerator_sums[k], kScale[k], result.students, ExactThreshold(k, stage));
    result.district_values[k] =
        Consistent(static_cast<double>(kScale[k] * numerator_sums[k].Approximate() / result.students), threshold,
                   result.value_reaches[k]);
    const exact::CvDecision cv =
        exact::DecideWeightedCv(numerators_by_indicator[k], students_by_section, kScale[k], result.cv_max);
    result.cv_defined[k] = cv.defined;
    result.cv_within[k] = cv.defined && cv.within_limit;
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
