#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_JSON_CODEC_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_JSON_CODEC_H_

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

// A problem with an input document, at a JSON path such as
// "$.schools[3].sections[0].students".
struct InputProblem {
  std::string path;
  std::string description;
};

// The engine's input model as JSON, field by field as docs/engine-input.md
// documents it: money in yuan (numbers with at most two decimals, stored as
// fen), enums as lowercase words. Every problem is reported, not just the
// first: wrong types, missing required fields, values out of range, unknown
// enum words and unknown fields (which catch misspellings). `input` is
// filled as far as it could be read; use it only when `problems` is empty.
void ParseDistrictInput(const std::string& text, DistrictInput* input, std::vector<InputProblem>* problems);

// The evaluation as stable JSON: the names of the evaluation contract
// (indicators with indicator_id, stage, value, threshold, verdict,
// cv_actual, cv_max; an overall verdict), values unrounded. `indent` < 0
// gives one line.
std::string EvaluationToJson(const DistrictEvaluation& evaluation, int indent = 2);

// "VERDICT_MEETS", ... and "STAGE_PRIMARY", "STAGE_JUNIOR".
std::string VerdictName(Verdict verdict);
std::string OverallVerdictName(OverallVerdict verdict);
std::string StageEnumName(Stage stage);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_JSON_CODEC_H_
