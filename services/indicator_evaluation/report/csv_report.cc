#include "services/indicator_evaluation/report/csv_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::report {
namespace {

// A field quoted when it holds a comma, a quote or a line break.
std::string Field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string Outcome(engine::SectionOutcome outcome) {
  switch (outcome) {
    case engine::SectionOutcome::kMeetsAll:
      return "meets_all";
    case engine::SectionOutcome::kMeetsWithOne85:
      return "meets_with_one_at_85";
    case engine::SectionOutcome::kFails:
      return "fails";
    case engine::SectionOutcome::kIncomplete:
      return "incomplete";
    default:
      return "invalid";
  }
}

}  // namespace

std::string RenderSectionCsv(const std::vector<engine::DistrictEvaluation>& evaluations, engine::Language language) {
  const bool zh = language == engine::Language::kChinese;
  std::vector<std::string> header = {zh ? "区代码" : "district_code", zh ? "学校代码" : "school_code",
                                     zh ? "学校名称" : "school_name", zh ? "学段" : "stage",
                                     zh ? "在校生数" : "students"};
  for (int k = 0; k < engine::kResourceIndicatorCount; ++k) header.emplace_back(engine::IndicatorDefinitions()[k].id);
  for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
    header.push_back(absl::StrCat(std::string(engine::IndicatorDefinitions()[k].id), zh ? "达标" : "_reaches"));
  }
  header.push_back(zh ? "每校要求" : "outcome");
  std::string out = absl::StrCat(absl::StrJoin(header, ","), "\r\n");
  for (const engine::DistrictEvaluation& e : evaluations) {
    for (const engine::StageResult& s : e.stages) {
      for (const engine::SectionResult& section : s.section_results) {
        std::vector<std::string> row = {e.district_code, Field(section.school_code), Field(section.school_name),
                                        section.stage == Stage::kPrimary ? "primary" : "junior",
                                        absl::StrCat(section.students)};
        // Unrounded (17 significant digits): the raw rows, not the display.
        for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
          row.push_back(section.known[k] ? absl::StrFormat("%.17g", section.values[k]) : "");
        }
        for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
          row.push_back(section.known[k] ? (section.reaches[k] ? "1" : "0") : "");
        }
        row.push_back(Outcome(section.outcome));
        out += absl::StrCat(absl::StrJoin(row, ","), "\r\n");
      }
    }
  }
  return out;
}

}  // namespace gzedu::report
