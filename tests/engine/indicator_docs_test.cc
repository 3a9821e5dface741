// docs/indicators.md is the project's own statement of the rules: these tests
// keep it true to the engine (every indicator with its thresholds and source
// clause, the CV limits and the 85% floor, the input bounds, the conventions)
// and keep the repository free of pointers to documents it does not carry.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/domain/input_bounds.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/engine/json_codec.h"

namespace gzedu::engine {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string RulesDoc() { return ReadFile(std::filesystem::path(GZEDU_SOURCE_DIR) / "docs" / "indicators.md"); }

std::vector<std::string> Lines(const std::string& text) { return absl::StrSplit(text, '\n'); }

// The cells of a Markdown table row "| a | b |", trimmed: {"a", "b"}.
std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(row, '|')) cells.emplace_back(absl::StripAsciiWhitespace(cell));
  if (cells.size() >= 2) cells = std::vector<std::string>(cells.begin() + 1, cells.end() - 1);
  return cells;
}

// The table row whose first cell is `first_cell`, or "" when there is none
// (the failure then names what was looked for).
std::string RowStartingWith(const std::string& doc, const std::string& first_cell) {
  for (const std::string& line : Lines(doc)) {
    if (line.rfind("|", 0) != 0) continue;
    const std::vector<std::string> cells = Cells(line);
    if (!cells.empty() && cells[0] == first_cell) return line;
  }
  return "";
}

// "1,000,000" -> 1000000; the leading number of a cell, commas allowed.
int64_t LeadingNumber(const std::string& cell) {
  std::string digits;
  for (char c : cell) {
    if (c == ',') continue;
    if (c < '0' || c > '9') break;
    digits.push_back(c);
  }
  return digits.empty() ? -1 : std::stoll(digits);
}

// The item number a definition's source clause names: "..., 资源配置 item 4" -> 4.
int ClauseItem(std::string_view source) {
  const size_t at = source.rfind("item ");
  if (at == std::string_view::npos) return -1;
  return std::stoi(std::string(source.substr(at + 5)));
}

TEST(IndicatorDocsTest, ListsEveryResourceIndicatorWithTheEnginesThresholdsAndClause) {
  const std::string doc = RulesDoc();
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const IndicatorDefinition& definition = IndicatorDefinitions()[k];
    const std::string id(definition.id);
    SCOPED_TRACE(id);
    const std::string row = RowStartingWith(doc, id);
    ASSERT_FALSE(row.empty()) << "docs/indicators.md has no table row for " << id;
    const std::vector<std::string> cells = Cells(row);
    ASSERT_GE(cells.size(), 6u) << row;
    EXPECT_EQ(cells[1], definition.name_zh);
    EXPECT_DOUBLE_EQ(std::stod(cells[3]), *definition.threshold_primary) << row;
    EXPECT_DOUBLE_EQ(std::stod(cells[4]), *definition.threshold_junior) << row;
    // The document cites "资源配置 (k)"; the engine "资源配置 item k".
    EXPECT_EQ(ClauseItem(definition.source), k + 1) << definition.source;
    EXPECT_NE(cells[5].find(absl::StrCat("资源配置 (", k + 1, ")")), std::string::npos) << row;
  }
}

TEST(IndicatorDocsTest, ListsEveryOtherIndicatorUnderTheClauseItsIdNames) {
  const std::string doc = RulesDoc();
  const std::map<char, std::string> area_by_letter = {{'G', "政府保障程度"}, {'Q', "教育质量"}};
  for (const IndicatorDefinition& definition : IndicatorDefinitions()) {
    const std::string id(definition.id);
    if (id[0] == 'R') continue;
    SCOPED_TRACE(id);
    if (id == "S1") {
      EXPECT_NE(definition.source.find("社会认可度"), std::string_view::npos);
      EXPECT_NE(doc.find("**S1 social recognition** (社会认可度"), std::string::npos);
      EXPECT_NE(doc.find(absl::StrFormat("at least %g%%", *definition.threshold_primary)), std::string::npos);
      continue;
    }
    const std::string row = RowStartingWith(doc, id);
    ASSERT_FALSE(row.empty()) << "docs/indicators.md has no table row for " << id;
    // The id's number is the item's number within its part (the document's
    // citation scheme), and the part is the one the document's table heads.
    ASSERT_TRUE(area_by_letter.count(id[0])) << id;
    EXPECT_NE(definition.source.find(area_by_letter.at(id[0])), std::string_view::npos) << definition.source;
    EXPECT_EQ(ClauseItem(definition.source), std::stoi(id.substr(1))) << definition.source;
    EXPECT_NE(doc.find(absl::StrCat("(2017 method, ", area_by_letter.at(id[0]), " (k))")), std::string::npos);
    // Thresholds in percent or yuan are stated in the row as the engine has
    // them (G4 and G5 count oversize schools and classes; G3 the share of
    // complying schools: their limits are in the requirement's words).
    const std::string unit(definition.unit);
    if (!definition.threshold_primary || unit.rfind("oversize", 0) == 0 || unit == "percent of schools") continue;
    if (unit == "yuan per student") {
      EXPECT_NE(row.find(absl::StrFormat("%g yuan", *definition.threshold_primary)), std::string::npos) << row;
    } else if (unit == "difference rate") {
      EXPECT_NE(row.find(absl::StrFormat("< %g", *definition.threshold_primary)), std::string::npos) << row;
    } else {
      EXPECT_NE(row.find(absl::StrFormat("%g%%", *definition.threshold_primary)), std::string::npos) << row;
      if (definition.threshold_junior) {
        EXPECT_NE(row.find(absl::StrFormat("%g%%", *definition.threshold_junior)), std::string::npos) << row;
      }
    }
  }
}

TEST(IndicatorDocsTest, StatesTheEnginesCvLimitsAndSectionFloor) {
  const std::string doc = RulesDoc();
  EXPECT_NE(doc.find(absl::StrFormat("at most **%.2f** for primary and at most\n  **%.2f** for junior", kCvMaxPrimary,
                                     kCvMaxJunior)),
            std::string::npos);
  EXPECT_NE(doc.find(absl::StrFormat("value ≥ %g × threshold", kSectionRelaxedShare)), std::string::npos);
  EXPECT_NE(doc.find(absl::StrFormat("at least %g%% of its threshold", 100 * kSectionRelaxedShare)), std::string::npos);
}

TEST(IndicatorDocsTest, InputBoundsTableIsTheOneTheCodeEnforces) {
  const std::string doc = RulesDoc();
  const std::map<std::string, int64_t> bounds = {
      {"students of a section or a school", bounds::kMaxStudents},
      {"classes of a section", bounds::kMaxClasses},
      {"students in one class", bounds::kMaxClassSize},
      {"teachers counted in a section", bounds::kMaxTeachers},
      {"schools of a district", bounds::kMaxSchools},
      {"area of a school or section", static_cast<int64_t>(bounds::kMaxAreaM2)},
      {"rooms of a school or section", static_cast<int64_t>(bounds::kMaxRooms)},
      {"area of one music or art room", static_cast<int64_t>(bounds::kMaxRoomAreaM2)},
      {"any one amount of money", bounds::kMaxAmountFen / 100},
      {"headcounts of a district return", bounds::kMaxDistrictCount},
      {"average pay", static_cast<int64_t>(bounds::kMaxAveragePayYuan)},
  };
  for (const auto& [label, bound] : bounds) {
    SCOPED_TRACE(label);
    const std::string row = RowStartingWith(doc, label);
    ASSERT_FALSE(row.empty()) << "docs/indicators.md has no bounds row '" << label << "'";
    EXPECT_EQ(LeadingNumber(Cells(row)[1]), bound) << row;
  }
}

TEST(IndicatorDocsTest, ConventionsTableHasExactlyTheConventionsTheEngineReports) {
  // The engine's JSON names every convention it applies.
  const nlohmann::json evaluation = nlohmann::json::parse(EvaluationToJson(Evaluate(DistrictInput{})));
  std::set<std::string> engine_names;
  for (const auto& [name, value] : evaluation.at("conventions").items()) engine_names.insert(name);
  ASSERT_FALSE(engine_names.empty());

  const std::string doc = RulesDoc();
  const size_t section = doc.find("## 7. Conventions");
  ASSERT_NE(section, std::string::npos);
  const size_t end = doc.find("\n## ", section + 1);
  std::set<std::string> documented;
  for (const std::string& line : Lines(doc.substr(section, end - section))) {
    if (line.rfind("| `", 0) != 0) continue;
    const std::string first = Cells(line)[0];
    documented.insert(first.substr(1, first.size() - 2));
  }
  EXPECT_EQ(documented, engine_names);
}

// The repository must carry its own documents: nothing in it may send a
// reader to files outside it (a sibling "shared" directory of specs, seeds
// and data that users never have).
TEST(IndicatorDocsTest, NoFileInTheRepositoryPointsAtDocumentsOutsideIt) {
  const std::filesystem::path root(GZEDU_SOURCE_DIR);
  // Built in pieces, so that this file does not match itself.
  const std::vector<std::string> needles = {std::string("..") + "/shared", std::string("shared") + "/spec",
                                            std::string("shared") + "/seeds", std::string("shared") + "/data/"};
  const std::set<std::string> skipped_directories = {".git", "node_modules", ".gzedu-data"};
  std::vector<std::string> offenders;
  int files_read = 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root); it != std::filesystem::end(it); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory()) {
      const std::string relative = std::filesystem::relative(it->path(), root).string();
      if (skipped_directories.count(name) || name.rfind("build", 0) == 0 || relative == "tools/bin") {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file() || it->file_size() > 4'000'000) continue;
    const std::string text = ReadFile(it->path());
    if (text.find('\0') != std::string::npos) continue;  // binary
    ++files_read;
    for (const std::string& needle : needles) {
      if (text.find(needle) != std::string::npos) {
        offenders.push_back(absl::StrCat(std::filesystem::relative(it->path(), root).string(), ": ", needle));
      }
    }
  }
  EXPECT_GT(files_read, 100);
  EXPECT_TRUE(offenders.empty()) << absl::StrJoin(offenders, "\n");
}

}  // namespace
}  // namespace gzedu::engine
