#ifndef GZEDU_TESTS_REPORT_REPORT_SUPPORT_H_
#define GZEDU_TESTS_REPORT_REPORT_SUPPORT_H_

// Evaluations the report tests share: the Huadu sample of data/examples,
// and a second district made from it (a city of two).

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/json_codec.h"

namespace gzedu::report::testing {

inline engine::DistrictInput HuaduSampleInput() {
  std::ifstream in(std::string(GZEDU_SOURCE_DIR) + "/data/examples/huadu-sample-2024.json");
  std::stringstream text;
  text << in.rdbuf();
  engine::DistrictInput input;
  std::vector<engine::InputProblem> problems;
  engine::ParseDistrictInput(text.str(), &input, &problems);
  return input;
}

inline engine::DistrictEvaluation HuaduSample() { return engine::Evaluate(HuaduSampleInput()); }

// Huadu and a Conghua built from it with 20% more primary students in its
// first school (so its values and CVs differ).
inline std::vector<engine::DistrictEvaluation> CityOfTwo() {
  engine::DistrictInput conghua = HuaduSampleInput();
  conghua.district_code = "440117";
  for (engine::SectionInput& section : conghua.schools.front().sections) section.students += section.students / 5;
  return {HuaduSample(), engine::Evaluate(conghua)};
}

}  // namespace gzedu::report::testing

#endif  // GZEDU_TESTS_REPORT_REPORT_SUPPORT_H_
