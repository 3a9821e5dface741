#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_REPORT_FILE_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_REPORT_FILE_H_

// One entry point for every report file of an evaluation, shared by
// `gzedu report` and the evaluation service's RenderEvaluationReport, so
// both give the same bytes.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/indicator_evaluation/engine/model.h"
#include "services/indicator_evaluation/engine/report_content.h"

namespace gzedu::report {

enum class ReportFormat { kText, kXlsx, kHtml, kCsv };

// A rendered file.
struct ReportFile {
  std::string content;
  std::string media_type;  // e.g. "text/html; charset=utf-8"
  std::string file_name;   // e.g. "440114-2024.xlsx", "guangzhou-2024.html"
};

// Renders `evaluations` (one district, or the city's districts in order,
// with their section results) as `format` in `language`. INVALID_ARGUMENT
// for no evaluations; INTERNAL when the workbook cannot be written.
// Thread-safe.
absl::StatusOr<ReportFile> RenderReportFile(const std::vector<engine::DistrictEvaluation>& evaluations,
                                            ReportFormat format, engine::Language language);

// "text", "xlsx", "html", "csv" -> the format; false for anything else.
bool ParseReportFormat(const std::string& name, ReportFormat* format);

}  // namespace gzedu::report

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_REPORT_FILE_H_
