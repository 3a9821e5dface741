#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INPUT_VALIDATION_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INPUT_VALIDATION_H_

// What a district-year cannot be: the checks every engine input passes
// before it is evaluated, whichever path it came by (a JSON file through
// gzedu evaluate-file, or the evaluation service assembling the registry's,
// the rotation service's, the ledger's and the district return's data).
// Pure: no I/O. The engine evaluates only inputs without problems.
//
// Checked (docs/engine-input.md "What is refused"):
// - every quantity within its documented bound (common/domain/input_bounds.h),
//   counts >= 0, areas, rooms and money with at most two decimals;
// - a district code of Guangzhou's 11, or another county-level code of at
//   least 6 digits; school codes present and unique;
// - sections a school's type can have (indicators.md section 2), one per
//   stage; senior students only in twelve-year and complete middle schools,
//   special-education students only in special-education schools;
// - class sizes, when given, one per class and adding up to the students;
//   no more classes than students; no more students than classes of the
//   largest allowed size;
// - every teacher count of a section at most its full-time teachers;
// - every part at most its whole: a school's training budget at most its
//   operating budget (and the district's), zoned admissions at most the
//   admissions, Hong Kong and Macao class places and allocated places at most
//   the quota places, migrant children in public schools plus purchased
//   places at most the eligible, rotated backbone teachers at most the
//   rotated (rotated teachers may exceed the eligible ones), the junior cohort's
//   graduates at most what remains of it after transfers and deaths, disabled
//   children enrolled plus deferred at most the school-age ones;
// - average pays > 0, the social recognition a percentage, the monitoring
//   difference rate within 0..1; attestations only of G1, G2, G10, Q3, Q5-Q8,
//   dated YYYY-MM-DD when dated; vetoes with a kind; no school built, and no
//   basic-balanced recognition, after the school year.

#include <string>
#include <vector>

#include "common/status/localized_text.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

// A problem with an input, at a field path such as
// "schools[3].sections[0].students" (below the root the caller names: "$"
// for a JSON document, "" for a request), described in English and in
// Chinese (the service passes both on as a field violation).
struct InputProblem {
  InputProblem(std::string problem_path, LocalizedText text)
      : path(std::move(problem_path)), description(std::move(text.en)), description_zh(std::move(text.zh)) {}

  std::string path;
  std::string description;
  std::string description_zh;
};

// Appends every problem of `input` to `problems`, with paths below `root`
// (the model's field names: money fields end in _fen). Never stops at the
// first problem.
void ValidateDistrictInput(const DistrictInput& input, const std::string& root, std::vector<InputProblem>* problems);

// The district facts on their own (bounds, ranges, parts within wholes),
// with paths below `path` (e.g. "facts"). Used by ValidateDistrictInput and
// by the district returns' validation.
void ValidateDistrictFacts(const DistrictFacts& facts, const std::string& path, std::vector<InputProblem>* problems);

// Whether a school of `type` has a section of `stage` (indicators.md
// section 2): primary and teaching point: primary; junior and complete
// middle: junior; nine-year and twelve-year: both; special education: none.
bool SchoolTypeHasStage(SchoolType type, Stage stage);

// Whether `code` names a county-level unit: one of Guangzhou's 11 district
// codes, or another code of 6 to 12 digits.
bool IsDistrictCode(const std::string& code);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_INPUT_VALIDATION_H_
