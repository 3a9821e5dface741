#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_CSV_REPORT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_CSV_REPORT_H_

// The section table as CSV (RFC 4180, UTF-8, CRLF line ends), for those who
// want raw rows.

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"
#include "services/indicator_evaluation/engine/report_content.h"

namespace gzedu::report {

// One row per section of every evaluation: district, school, stage,
// students, the seven values (unrounded, empty when the input is absent),
// which of them reach their thresholds, and the per-section rule's
// outcome. Headers in `language`. `evaluations` need their section results.
// Thread-safe.
std::string RenderSectionCsv(const std::vector<engine::DistrictEvaluation>& evaluations, engine::Language language);

}  // namespace gzedu::report

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_CSV_REPORT_H_
