#include "services/indicator_evaluation/report/html_report.h"

namespace gzedu::report {

std::string RenderHtmlReport(const std::vector<engine::DistrictEvaluation>& evaluations, engine::Language language) {
  (void)evaluations;
  (void)language;
  return "<!DOCTYPE html>";
}

}  // namespace gzedu::report
