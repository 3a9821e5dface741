#include "services/indicator_evaluation/report/report_file.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/engine/report.h"
#include "services/indicator_evaluation/report/csv_report.h"
#include "services/indicator_evaluation/report/html_report.h"
#include "services/indicator_evaluation/report/workbook.h"

namespace gzedu::report {

absl::StatusOr<ReportFile> RenderReportFile(const std::vector<engine::DistrictEvaluation>& evaluations,
                                            ReportFormat format, engine::Language language) {
  if (evaluations.empty()) return absl::InvalidArgumentError("no evaluation to render");
  const bool city = evaluations.size() > 1;
  const std::string stem =
      absl::StrCat(city ? "guangzhou" : evaluations[0].district_code, "-", evaluations[0].school_year);
  ReportFile file;
  switch (format) {
    case ReportFormat::kText: {
      if (city) {
        file.content = engine::RenderCitySummary(evaluations, language);
      } else {
        file.content = engine::RenderReport(evaluations[0], language);
      }
      file.media_type = "text/plain; charset=utf-8";
      file.file_name = stem + ".txt";
      return file;
    }
    case ReportFormat::kXlsx: {
      absl::StatusOr<std::string> workbook = RenderWorkbook(evaluations, language);
      if (!workbook.ok()) return workbook.status();
      file.content = *std::move(workbook);
      file.media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      file.file_name = stem + ".xlsx";
      return file;
    }
    case ReportFormat::kHtml:
      file.content = RenderHtmlReport(evaluations, language);
      file.media_type = "text/html; charset=utf-8";
      file.file_name = stem + ".html";
      return file;
    case ReportFormat::kCsv:
      file.content = RenderSectionCsv(evaluations, language);
      file.media_type = "text/csv; charset=utf-8";
      file.file_name = stem + "-sections.csv";
      return file;
  }
  return absl::InvalidArgumentError("unknown report format");
}

bool ParseReportFormat(const std::string& name, ReportFormat* format) {
  if (name == "text") {
    *format = ReportFormat::kText;
  } else if (name == "xlsx") {
    *format = ReportFormat::kXlsx;
  } else if (name == "html") {
    *format = ReportFormat::kHtml;
  } else if (name == "csv") {
    *format = ReportFormat::kCsv;
  } else {
    return false;
  }
  return true;
}

}  // namespace gzedu::report
