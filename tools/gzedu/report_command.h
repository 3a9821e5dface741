#ifndef GZEDU_TOOLS_GZEDU_REPORT_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_REPORT_COMMAND_H_

#include <string>

#include "tools/gzedu/evaluation_commands.h"

namespace gzedu::cli {

struct ReportOptions {
  EvaluationTarget target;      // the service, year and conventions
  std::string district;         // a district code or "all"
  std::string format = "text";  // text, xlsx, html or csv
  std::string language = "zh";  // zh or en
  std::string out = "-";        // a file, or "-" for stdout
  std::string input;            // an engine input JSON file: evaluated here, no service
};

// `gzedu report`: the evaluation as a report file. From the evaluation
// service (RenderEvaluationReport, the same bytes a city platform fetches),
// or with `input` set from a district-year JSON file (as `gzedu
// evaluate-file` takes) with no service. Returns 0 written, 2 for bad
// arguments or input, 1 when the service or the file write fails.
int Report(const ReportOptions& options);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_REPORT_COMMAND_H_
