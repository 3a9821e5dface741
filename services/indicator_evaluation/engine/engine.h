#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_ENGINE_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_ENGINE_H_

#include <vector>

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

// Evaluates one district-year against every indicator of the 2017 method
// (indicators.md): the resource area per section and stage with weighted
// CVs, the government-guarantee, quality and recognition indicators, vetoes
// and prerequisites, the overall verdict, remediation plans for failing
// sections, and for every indicator a convention touches its value and
// verdict under the convention's other setting. Pure: no I/O, no clock;
// thread-safe (no shared state).
DistrictEvaluation Evaluate(const DistrictInput& input);

// The per-section values of the seven resource indicators, their district
// values and CVs, for one stage under `conventions` (the resource part of
// Evaluate, exposed for tests and scenarios).
StageResult EvaluateStage(const DistrictInput& input, Stage stage, const Conventions& conventions);

// The facilities of each section of `school`, in section order: the
// section's own when reported, otherwise the school's shared facilities
// apportioned by enrolment share or by the legacy weights
// primary:junior:senior = 1 : 1.1 : 1.32 (2015 guide), the senior part
// taking its share too.
std::vector<Facilities> ApportionFacilities(const SchoolInput& school, Apportionment apportionment);

// The seven per-section values (R1..R7) of a section with `students` > 0.
std::array<double, kResourceIndicatorCount> SectionValues(const SectionInput& section, const Facilities& facilities);

// Whether resource indicator k of `stage` was decided: the stage has
// students and no section lacks that indicator's input. Otherwise its
// district value and CV are meaningless and the indicator is pending.
inline bool ResourceIndicatorDecided(const StageResult& stage, int k) {
  return stage.students > 0 && stage.sections_missing_input[k].empty();
}

// The threshold of resource indicator k (0-based, R1..R7) for `stage`.
double ResourceThreshold(int k, Stage stage);

// The per-section rule (indicators.md 3.1) on one section's values.
SectionOutcome ClassifySection(const std::array<double, kResourceIndicatorCount>& values, Stage stage);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_ENGINE_H_
