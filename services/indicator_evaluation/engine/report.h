#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

enum class Language { kChinese, kEnglish };

// A readable report of one evaluation, in the order of the districts' own
// section 三: overall verdict; resource allocation with the CV table per
// stage and the per-section rule; government guarantee; education quality;
// social recognition; vetoes and prerequisites; what is missing; values
// under the other setting of each convention; remediation plans. Values are
// shown as indicators.md section 8 says (2 decimals, CVs 3, percentages 2).
std::string RenderReport(const DistrictEvaluation& evaluation, Language language);

// One row per district: verdict, failing indicators, the CV closest to (or
// furthest over) its limit.
std::string RenderCitySummary(const std::vector<DistrictEvaluation>& evaluations, Language language);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_H_
