#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_HTML_REPORT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_HTML_REPORT_H_

// The evaluation as one printable, self-contained HTML page (no network:
// inline CSS, charts as inline SVG, A4 print styles).

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"
#include "services/indicator_evaluation/engine/report_content.h"

namespace gzedu::report {

// The same content as the text report, in the order of the districts'
// section 三, with charts: per stage each resource indicator's CV against
// its limit; per resource indicator the section values against the
// threshold, failing sections marked; for the city (more than one
// evaluation) a coloured table of districts × indicators first. Every
// indicator appears with its name in `language` and the engine's values as
// docs/indicators.md section 8.3 displays them. Thread-safe.
std::string RenderHtmlReport(const std::vector<engine::DistrictEvaluation>& evaluations, engine::Language language);

}  // namespace gzedu::report

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_REPORT_HTML_REPORT_H_
