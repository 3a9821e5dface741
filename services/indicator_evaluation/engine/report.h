#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"
#include "services/indicator_evaluation/engine/report_content.h"

namespace gzedu::engine {

// A readable report of one evaluation, in the order of the districts' own
// section 三: overall verdict; resource allocation with every indicator's
// name, unit, computation, CV and per-section counts, then the per-section
// rule; government guarantee; education quality; social recognition;
// vetoes and prerequisites; what is missing; values under the other
// setting of each convention; remediation plans. Entirely in `language`
// (school names and document titles stay as reported). Values are shown as
// indicators.md section 8 says (2 decimals, CVs 3, percentages 2); columns
// align by display width (a Chinese character takes two columns).
std::string RenderReport(const DistrictEvaluation& evaluation, Language language);

// One row per district: verdict, the CV closest to (or furthest over) its
// limit, and every failing indicator (never cut).
std::string RenderCitySummary(const std::vector<DistrictEvaluation>& evaluations, Language language);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_
