#include "tools/gzedu/evaluate_file_command.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/json_codec.h"
#include "services/indicator_evaluation/engine/report.h"
#include "tools/gzedu/error_text.h"

namespace gzedu::cli {

bool ReadDistrictInputFile(const std::string& path, engine::DistrictInput* input) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, ErrorsInChinese() ? "%s：无法打开文件\n" : "%s: cannot open the file\n", path.c_str());
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  std::vector<engine::InputProblem> problems;
  engine::ParseDistrictInput(text.str(), input, &problems);
  if (problems.empty()) return true;
  const bool zh = ErrorsInChinese();
  for (const engine::InputProblem& problem : problems) {
    std::fprintf(stderr, "%s: %s: %s\n", path.c_str(), problem.path.c_str(),
                 (zh ? problem.description_zh : problem.description).c_str());
  }
  std::fprintf(stderr, zh ? "%s：%zu 个问题；未作评估\n" : "%s: %zu problem(s); nothing evaluated\n", path.c_str(),
               problems.size());
  return false;
}

int EvaluateFile(const EvaluateFileOptions& options) {
  engine::DistrictInput input;
  if (!ReadDistrictInputFile(options.file, &input)) return 2;
  const engine::DistrictEvaluation evaluation = engine::Evaluate(input);
  if (options.format == "json") {
    std::printf("%s\n", engine::EvaluationToJson(evaluation).c_str());
  } else {
    std::printf("%s", engine::RenderReport(evaluation, options.language == "en" ? engine::Language::kEnglish
                                                                                : engine::Language::kChinese)
                          .c_str());
  }
  return 0;
}

}  // namespace gzedu::cli
