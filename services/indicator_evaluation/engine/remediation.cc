#include "services/indicator_evaluation/engine/remediation.h"

#include <cmath>
#include <string>

#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

constexpr std::array<double, kResourceIndicatorCount> kScale = {100, 100, 100, 1, 1, 1, 100};
constexpr std::array<const char*, kResourceIndicatorCount> kUnits = {"teachers above the required qualification",
                                                                     "county-level backbone teachers",
                                                                     "PE, music and art teachers",
                                                                     "m2 of teaching and auxiliary area",
                                                                     "m2 of sports area",
                                                                     "yuan of teaching equipment",
                                                                     "multimedia classrooms"};
// The resolution additions are rounded up to: whole teachers and rooms,
// 0.01 m2, whole yuan.
constexpr std::array<double, kResourceIndicatorCount> kStep = {1, 1, 1, 0.01, 0.01, 1, 1};
constexpr double kEpsilon = 1e-9;

double RoundUp(double amount, double step) {
  if (amount <= kEpsilon) return 0;
  return std::ceil(amount / step - kEpsilon) * step;
}

}  // namespace

RemediationPlan PlanForSection(const SectionResult& section) {
  RemediationPlan plan;
  plan.school_code = section.school_code;
  plan.school_name = section.school_name;
  plan.stage = section.stage;
  plan.students = section.students;

  int relaxed = 0;
  double largest_shortfall = -1;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, section.stage);
    const double shortfall = (threshold - section.values[k]) / threshold;
    if (shortfall > largest_shortfall) {
      largest_shortfall = shortfall;
      relaxed = k;
    }
  }
  plan.relaxed_indicator_id = std::string(IndicatorDefinitions()[relaxed].id);

  const double students = section.students;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, section.stage);
    const double target = k == relaxed ? kSectionRelaxedShare * threshold : threshold;
    if (section.values[k] >= target) continue;
    // value = scale * n / P, so the numerator needed is target * P / scale.
    const double current = section.values[k] * students / kScale[k];
    const double needed = target * students / kScale[k];
    RemediationStep step;
    step.indicator_id = std::string(IndicatorDefinitions()[k].id);
    step.current_value = section.values[k];
    step.target_value = target;
    step.addition = RoundUp(needed - current, kStep[k]);
    step.unit = kUnits[k];
    plan.steps.push_back(step);
  }

  // Fewer students raise every value at once: the largest enrolment at
  // which the section passes, allowing any one indicator at 85%.
  double best_max_students = 0;
  for (int relaxed_k = 0; relaxed_k < kResourceIndicatorCount; ++relaxed_k) {
    double max_students = INFINITY;
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      const double target = ResourceThreshold(k, section.stage) * (k == relaxed_k ? kSectionRelaxedShare : 1.0);
      const double numerator = section.values[k] * students / kScale[k];
      max_students = std::min(max_students, kScale[k] * numerator / target);
    }
    best_max_students = std::max(best_max_students, max_students);
  }
  const auto allowed = static_cast<int32_t>(std::floor(best_max_students + kEpsilon));
  if (allowed >= 1 && allowed < section.students) plan.enrolment_reduction = section.students - allowed;
  return plan;
}

std::array<double, kResourceIndicatorCount> ValuesAfterPlan(const SectionResult& section, const RemediationPlan& plan) {
  std::array<double, kResourceIndicatorCount> values = section.values;
  for (const RemediationStep& step : plan.steps) {
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      if (IndicatorDefinitions()[k].id == step.indicator_id) {
        values[k] += kScale[k] * step.addition / section.students;
      }
    }
  }
  return values;
}

}  // namespace gzedu::engine
