#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REMEDIATION_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REMEDIATION_H_

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

// The one-school-one-plan (一校一案) of indicators.md section 9 for a section
// that fails the per-section rule: the smallest additions, in each
// resource's own unit, that make six indicators reach their thresholds and
// the seventh 85% of its threshold. The seventh is the indicator with the
// largest relative shortfall. Counts of teachers and rooms are whole
// numbers; areas are rounded up to 0.01 m2 and money to whole yuan. Also
// gives the enrolment reduction that alone would make the section pass,
// when there is one.
RemediationPlan PlanForSection(const SectionResult& section);

// The section's values after adding `plan`'s steps (for checking a plan).
std::array<double, kResourceIndicatorCount> ValuesAfterPlan(const SectionResult& section, const RemediationPlan& plan);

// The whole remediation plan of an evaluated district-year, from its input
// and its results (`evaluation` must be Evaluate's result for `input`, with
// indicators, stages and verdicts filled): one plan per failing section
// (PlanForSection), the sections driving each failing CV, and one district
// step per failing indicator in its own unit (DistrictRemediationStep):
// R1-R7 district-value shortfalls and the sections that take them most
// cheaply, G4 schools and students over, G5 classes to add, G6/G7 yuan,
// G9/G12 teachers, G11 rotations, G13 admissions, G14 places, G15 and Q2
// children, Q4 yuan per school; a step marked not computable for every
// other failing indicator (the district must act and attest).
void AddRemediation(const DistrictInput& input, DistrictEvaluation& evaluation);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REMEDIATION_H_
