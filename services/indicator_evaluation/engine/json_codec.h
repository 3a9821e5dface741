#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_JSON_CODEC_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_JSON_CODEC_H_

#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/input_validation.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

// The engine's input model as JSON, field by field as docs/engine-input.md
// documents it: money in yuan (numbers with at most two decimals, stored as
// fen), enums as lowercase words. Every problem is reported, not just the
// first: wrong types, missing required fields, values out of range, unknown
// enum words and unknown fields (which catch misspellings), and everything
// ValidateDistrictInput refuses (bounds, impossible combinations, parts above
// their wholes), at JSON paths ("$.schools[3].sections[0].students", money
// fields named in yuan). A value that could not be read leaves the
// consistency checks of its school (or of the facts) unreported, so no
// problem follows from another. `input` is filled as far as it could be
// read; use it only when `problems` is empty. An absent `teachers` of a
// section or `shared_facilities` of a school is std::nullopt (not reported).
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
