// The bundled dataset: the generator is deterministic (it rewrites the
// committed files byte for byte), Liwan and Huadu add up to the inputs
// their reports publish, and Huadu's CVs land near the published ones.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/guangzhou/generator/dataset.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "tests/support/subprocess.h"

namespace gzedu::dataset {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const nlohmann::json& Published(const std::string& code) {
  static const nlohmann::json kPublished =
      nlohmann::json::parse(Read(std::string(GZEDU_SOURCE_DIR) + "/tests/data/published_figures.json"));
  for (const nlohmann::json& d : kPublished["districts"]) {
    if (d["district_code"] == code) return d;
  }
  throw std::runtime_error("no district " + code);
}

const GeneratedDistrict& Find(const std::vector<GeneratedDistrict>& city, const std::string& code) {
  for (const GeneratedDistrict& d : city) {
    if (d.input.district_code == code) return d;
  }
  throw std::runtime_error("no district " + code);
}

TEST(DatasetTest, TheGeneratorRewritesTheCommittedBundleByteForByte) {
  gzedu::testing::TempDir dir;
  ASSERT_TRUE(WriteBundle(BuildCity(), dir.path()).ok());
  const std::string committed = std::string(GZEDU_SOURCE_DIR) + "/data/guangzhou/";
  for (const char* name : {"schools.csv", "school_years.csv", "teachers.csv", "rotations.csv", "accounts.csv",
                           "transfers.csv", "district_returns.json", "profiles.md"}) {
    EXPECT_TRUE(Read(dir.path() + "/" + name) == Read(committed + name))
        << name << " differs from the committed one: regenerate with gzedu-generate-dataset data/guangzhou";
  }
}

TEST(DatasetTest, LiwanAndHuaduAddUpToTheirPublishedInputs) {
  const std::vector<GeneratedDistrict> city = BuildCity();
  for (const char* code : {"440103", "440114"}) {
    SCOPED_TRACE(code);
    const nlohmann::json& published = Published(code);
    const GeneratedDistrict& d = Find(city, code);
    for (const auto& [name, stage] : {std::pair<std::string, Stage>{"primary", Stage::kPrimary},
                                      std::pair<std::string, Stage>{"junior", Stage::kJunior}}) {
      int64_t students = 0, classes = 0, full_time = 0, sections = 0;
      std::array<double, 7> numerator{};
      for (const engine::SchoolInput& school : d.input.schools) {
        for (const engine::SectionInput& s : school.sections) {
          if (s.stage != stage) continue;
          ++sections;
          students += s.students;
          classes += s.classes;
          full_time += s.teachers->full_time;
          numerator[0] += s.teachers->above_required_qualification;
          numerator[1] += s.teachers->backbone_county_or_above;
          numerator[2] += s.teachers->pe_music_art;
          numerator[3] += s.facilities->teaching_area_m2;
          numerator[4] += s.facilities->sports_area_m2;
          numerator[5] += s.facilities->equipment_value_fen / 100.0;
          numerator[6] += s.facilities->multimedia_rooms;
        }
      }
      const nlohmann::json& enrolment = published["enrolment"][name];
      EXPECT_EQ(students, enrolment["students"].get<int64_t>());
      EXPECT_EQ(classes, enrolment["classes"].get<int64_t>());
      EXPECT_EQ(full_time, enrolment["full_time_teachers"].get<int64_t>());
      if (enrolment.contains("sections")) {
        EXPECT_EQ(sections, enrolment["sections"].get<int64_t>());
      }
      for (int k = 0; k < 7; ++k) {
        const double want = published["resource_indicators"]["R" + std::to_string(k + 1)][name]["numerator"];
        EXPECT_NEAR(numerator[k], want, 1e-6 * std::max(1.0, want)) << "R" << k + 1 << " " << name;
      }
    }
    const nlohmann::json& g11 = published["guarantee_indicators"]["G11"];
    EXPECT_EQ(*d.input.facts.rotation_eligible_teachers, g11["eligible"].get<int32_t>());
    EXPECT_EQ(*d.input.facts.rotated_teachers, g11["rotated"].get<int32_t>());
    EXPECT_EQ(*d.input.facts.rotated_backbone_teachers, g11["rotated_backbone"].get<int32_t>());
    EXPECT_EQ(static_cast<int32_t>(d.rotations.size()), g11["rotated"].get<int32_t>());
    const nlohmann::json& q4 = published["quality_indicators"]["Q4"];
    int64_t operating = 0, training = 0;
    for (const engine::SchoolInput& school : d.input.schools) {
      operating += *school.funding.operating_budget_fen;
      training += *school.funding.training_budget_fen;
    }
    EXPECT_EQ(operating, q4["operating_fund_budget"].get<int64_t>() * 100);
    EXPECT_EQ(training, q4["training_fund_budget"].get<int64_t>() * 100);
  }
}

TEST(DatasetTest, HuaduEvaluatesToItsPublishedCvsAndStrictFailures) {
  const std::vector<GeneratedDistrict> city = BuildCity();
  const engine::DistrictEvaluation e = engine::Evaluate(Find(city, "440114").input);
  const nlohmann::json& resources = Published("440114")["resource_indicators"];
  for (const engine::StageResult& s : e.stages) {
    const std::string stage = s.stage == Stage::kPrimary ? "primary" : "junior";
    for (int k = 0; k < 7; ++k) {
      const double published = resources["R" + std::to_string(k + 1)][stage]["cv"];
      EXPECT_NEAR(s.cv[k], published, 0.03) << "R" << k + 1 << " " << stage;
    }
  }
  EXPECT_EQ(e.failing_indicators, (std::vector<std::string>{"G4", "G5", "G14", "Q2"}));
  EXPECT_EQ(e.stages[0].sections_meeting_all, 164);
  EXPECT_EQ(e.stages[0].sections_with_one_at_85, 3);
  EXPECT_EQ(e.stages[1].sections_with_one_at_85, 1);
}

TEST(DatasetTest, TheOtherDistrictsFailForTheirOwnReasons) {
  const std::vector<GeneratedDistrict> city = BuildCity();
  std::map<std::string, std::vector<std::string>> failing;
  for (const GeneratedDistrict& d : city) failing[d.input.district_code] = engine::Evaluate(d.input).failing_indicators;
  EXPECT_TRUE(failing["440103"].empty());
  EXPECT_TRUE(failing["440104"].empty());
  EXPECT_TRUE(failing["440105"].empty());
  EXPECT_EQ(failing["440106"], (std::vector<std::string>{"G4", "G5"}));
  EXPECT_EQ(failing["440111"], (std::vector<std::string>{"R5 primary", "R5 junior"}));
  EXPECT_EQ(failing["440112"], (std::vector<std::string>{"G11"}));
  EXPECT_EQ(failing["440113"], (std::vector<std::string>{"R2 junior"}));
  EXPECT_EQ(failing["440115"], (std::vector<std::string>{"Q4"}));
  EXPECT_EQ(failing["440117"], (std::vector<std::string>{"R7 primary", "G13"}));
  ASSERT_EQ(failing["440118"].size(), 2u);
  EXPECT_EQ(failing["440118"][0], "Q2");
}

}  // namespace
}  // namespace gzedu::dataset
