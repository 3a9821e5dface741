#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_WORKBOOK_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_WORKBOOK_H_

// The evaluation as an Excel workbook (.xlsx), written with libxlsxwriter,
// for the analysts and reviewers who check and paste its tables into
// section 三 of a self-evaluation report.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/indicator_evaluation/engine/model.h"
#include "services/indicator_evaluation/engine/report_content.h"

namespace gzedu::report {

// The sheets (Chinese names under Language::kChinese, the default):
//   总表 (Summary): every indicator with value, computation, threshold, CV,
//     limit, per-section counts, verdict and source clause;
//   学段单元 (Sections): every section with school, stage, students, the
//     seven numerators and values, how many reach their thresholds and the
//     per-section rule's outcome;
//   差异系数 (CV): per district, stage and indicator the weights, the
//     squared deviations and the CV as live formulas over 学段单元's values
//     (a spreadsheet recomputes the engine's CV), next to the engine's CV;
//   整改方案 (Remediation): every step of every plan;
//   约定对照 (Conventions): each convention's default and applied setting,
//     and the indicators under the other setting.
// With more than one evaluation (the city), a first sheet 总览 (Overview)
// has one row per district, and every sheet names the district of a row.
// `evaluations` need their section results (a fresh engine evaluation, not
// a stored snapshot). The bytes depend on the evaluations only (the file's
// creation time is fixed), so the same evaluation gives the same file.
// Returns INTERNAL when libxlsxwriter or the temporary file fails,
// INVALID_ARGUMENT for no evaluations. Thread-safe.
absl::StatusOr<std::string> RenderWorkbook(const std::vector<engine::DistrictEvaluation>& evaluations,
                                           engine::Language language);

}  // namespace gzedu::report

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_WORKBOOK_H_
