#ifndef GZEDU_TOOLS_GZEDU_EVALUATE_FILE_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_EVALUATE_FILE_COMMAND_H_

#include <string>

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::cli {

struct EvaluateFileOptions {
  std::string file;
  std::string language = "zh";  // zh or en
  std::string format = "text";  // text or json
};

// `gzedu evaluate-file INPUT.json`: evaluates one district-year described in
// a JSON file (docs/engine-input.md) with no service running, and prints the
// report (text) or the evaluation (json) on stdout. Invalid input is
// reported as "FILE: json.path: problem", every problem at once. Returns
// the exit status: 0 evaluated (whatever the verdict), 2 unreadable or
// invalid input.
int EvaluateFile(const EvaluateFileOptions& options);

// Reads the district-year of the JSON file at `path` into `input`. On an
// unreadable file or any problem, prints each as "FILE: json.path: problem"
// on stderr and returns false (the caller exits 2).
bool ReadDistrictInputFile(const std::string& path, engine::DistrictInput* input);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_EVALUATE_FILE_COMMAND_H_
