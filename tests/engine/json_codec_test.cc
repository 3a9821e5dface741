#include "services/indicator_evaluation/engine/json_codec.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "services/indicator_evaluation/engine/engine.h"

namespace gzedu::engine {
namespace {

std::string ReadExample() {
  std::ifstream in(std::string(GZEDU_SOURCE_DIR) + "/data/examples/huadu-sample-2024.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Paths(const std::vector<InputProblem>& problems) {
  std::vector<std::string> paths;
  for (const InputProblem& p : problems) paths.push_back(p.path);
  return paths;
}

TEST(EngineJsonTest, TheExampleFileIsValidAndReadFieldByField) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(ReadExample(), &input, &problems);
  ASSERT_TRUE(problems.empty()) << problems[0].path << ": " << problems[0].description;
  EXPECT_EQ(input.district_code, "440114");
  ASSERT_EQ(input.schools.size(), 8u);
  const SchoolInput& nine_year = input.schools[5];
  EXPECT_EQ(nine_year.type, SchoolType::kNineYear);
  EXPECT_TRUE(nine_year.boarding);
  ASSERT_EQ(nine_year.sections.size(), 2u);
  EXPECT_EQ(nine_year.sections[1].stage, Stage::kJunior);
  EXPECT_EQ(nine_year.shared_facilities->equipment_value_fen, 520000000);
  EXPECT_EQ(input.schools[7].funding.operating_funds_fen, 573298000);
  EXPECT_EQ(input.facts.quota_hk_macao_class_places, 150);
  EXPECT_EQ(input.attestations.at("Q7").attested_by, "花都区教育局");
}

TEST(EngineJsonTest, ReportsEveryProblemWithItsPath) {
  const std::string text = R"({
    "district_code": "440114",
    "school_year": 1999,
    "conventions": {"retention_formula": "yearly"},
    "schools": [
      {"school_code": "1", "type": "castle", "sections": [
        {"stage": "primary", "students": -5, "classes": 2, "class_sizes": [30]},
        {"stage": "primary", "students": 10}
      ], "shared_facilities": {"equipment_value_yuan": 12.345}, "colour": "red"},
      {"name": "no code", "type": "primary"}
    ],
    "facts": {"rotated_teachers": "many"},
    "attestations": {"G4": {"affirmed": true}, "G1": {"document": "x"}}
  })";
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(text, &input, &problems);
  const std::vector<std::string> paths = Paths(problems);
  for (const char* expected :
       {"$.school_year", "$.conventions.retention_formula", "$.schools[0].type", "$.schools[0].sections[0].students",
        "$.schools[0].sections[0].class_sizes", "$.schools[0].sections[1].stage",
        "$.schools[0].shared_facilities.equipment_value_yuan", "$.schools[0].colour", "$.schools[1].school_code",
        "$.facts.rotated_teachers", "$.attestations.G4", "$.attestations.G1.affirmed"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << "no problem at " << expected;
  }
  EXPECT_EQ(problems.size(), 12u);
}

TEST(EngineJsonTest, NotJsonAtAllIsOneProblem) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput("{ not json", &input, &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "$");
}

TEST(EngineJsonTest, OutputUsesTheContractNames) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(ReadExample(), &input, &problems);
  const nlohmann::json out = nlohmann::json::parse(EvaluationToJson(Evaluate(input)));
  EXPECT_EQ(out["verdict"], "VERDICT_DOES_NOT_MEET");
  EXPECT_EQ(out["district_code"], "440114");
  const nlohmann::json& first = out["indicators"][0];
  EXPECT_EQ(first["indicator_id"], "R1");
  EXPECT_EQ(first["stage"], "STAGE_PRIMARY");
  EXPECT_EQ(first["verdict"], "VERDICT_MEETS");
  EXPECT_DOUBLE_EQ(first["threshold"].get<double>(), 4.2);
  EXPECT_DOUBLE_EQ(first["cv_max"].get<double>(), 0.5);
  EXPECT_TRUE(first["cv_actual"].is_number());
  bool found_g14 = false;
  for (const nlohmann::json& indicator : out["indicators"]) {
    if (indicator["indicator_id"] != "G14") continue;
    found_g14 = true;
    EXPECT_TRUE(indicator["stage"].is_null());
    EXPECT_EQ(indicator["alternatives"][0]["verdict"], "VERDICT_MEETS");
  }
  EXPECT_TRUE(found_g14);
  EXPECT_EQ(out["indicators"].size(), 14u + 15u + 9u + 1u);
}

}  // namespace
}  // namespace gzedu::engine
