// `gzedu evaluate-file` end to end: the real CLI on real files.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/support/subprocess.h"

namespace gzedu::cli {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::TempDir;

const std::string kExample = std::string(GZEDU_SOURCE_DIR) + "/data/examples/huadu-sample-2024.json";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(EvaluateFileCliTest, PrintsTheChineseReportByDefault) {
  std::string out;
  std::string err;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", kExample}, &out, &err), 0) << err;
  EXPECT_NE(out.find("花都区（440114）2024学年"), std::string::npos) << out.substr(0, 300);
  EXPECT_NE(out.find("（一）资源配置"), std::string::npos);
  EXPECT_NE(out.find("整改方案（一校一案）"), std::string::npos);
}

TEST(EvaluateFileCliTest, JsonOutputCarriesTheContractNames) {
  std::string out;
  std::string err;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", kExample, "--format=json", "--lang=en"}, &out, &err), 0)
      << err;
  const nlohmann::json evaluation = nlohmann::json::parse(out);
  EXPECT_EQ(evaluation["verdict"], "VERDICT_DOES_NOT_MEET");
  EXPECT_EQ(evaluation["indicators"][0]["indicator_id"], "R1");
}

TEST(EvaluateFileCliTest, InvalidInputListsEveryProblemAndExitsWithTwo) {
  TempDir dir;
  const std::string file = dir.path() + "/bad.json";
  std::ofstream(file) << R"({"district_code": "440114", "school_year": 2024,
    "schools": [{"school_code": "1", "type": "primary", "sections": [{"stage": "upper", "students": -1}]}],
    "facts": {"quota_total_places": 1.5}})";
  std::string out;
  std::string err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", file, "--lang=en"}, &out, &err), 2);
  EXPECT_NE(err.find(file + ": $.schools[0].sections[0].stage: 'upper' is not one of primary, junior"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ": $.schools[0].sections[0].students: -1 must be >= 0"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": $.facts.quota_total_places: must be a whole number"), std::string::npos) << err;
  EXPECT_NE(err.find("3 problem(s); nothing evaluated"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
  // In Chinese, the default.
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ": $.schools[0].sections[0].students: -1 不能为负数"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": $.facts.quota_total_places: 必须是整数"), std::string::npos) << err;
  EXPECT_NE(err.find(file + "：3 个问题；未作评估"), std::string::npos) << err;
}

// The impossible inputs of issue 13, each in one file: all reported at once,
// exit status 2, nothing evaluated.
TEST(EvaluateFileCliTest, InputThatCannotBeTrueIsRefusedWithEveryProblem) {
  nlohmann::json document = nlohmann::json::parse(ReadFile(kExample));
  nlohmann::json& schools = document["schools"];
  document["district_code"] = "123";
  schools[3]["school_code"] = schools[1]["school_code"];  // the school counted twice
  schools[0]["sections"][0]["stage"] = "junior";          // a junior section in a primary school
  schools[7]["sections"] = nlohmann::json::array({{{"stage", "primary"}, {"students", 10}}});  // special education
  schools[5]["sections"][1]["stage"] = "primary";                                              // two primary sections
  schools[1]["senior_students"] = 200;                        // a primary school's senior students
  schools[2]["sections"][0]["students"] = 1;                  // class sizes add up to more
  schools[4]["sections"][0]["teachers"]["certified"] = 1000;  // certified above full-time
  document["facts"]["zoned_admission_primary"] = 9801;        // zoned above the admissions
  document["facts"]["rotated_backbone_teachers"] = 325;       // backbone above the rotated (324)
  document["facts"]["disabled_enrolled"] = 643;               // enrolled above the children
  schools[6]["sections"][0]["students"] = 2147483647;         // beyond the bound
  TempDir dir;
  const std::string file = dir.path() + "/impossible.json";
  std::ofstream(file) << document.dump(2);
  std::string out;
  std::string err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", file, "--format=json", "--lang=en"}, &out, &err), 2);
  EXPECT_TRUE(out.empty());
  for (const std::string& expected : {
           std::string("$.district_code: '123' is not a district code"),
           std::string("$.schools[3].school_code: '") + schools[1]["school_code"].get<std::string>() + "' repeats",
           std::string("$.schools[0].sections[0].stage: a primary school has no junior section"),
           std::string("$.schools[7].sections[0].stage: a special_education school has no sections"),
           std::string("$.schools[5].sections[1].stage: a school has at most one section per stage"),
           std::string("$.schools[1].senior_students: must be 0: a primary school has no senior part"),
           std::string("$.schools[2].sections[0].class_sizes: add up to"),
           std::string("$.schools[4].sections[0].teachers.certified: 1000 is more than full_time"),
           std::string("$.facts.zoned_admission_primary: zoned_admission_primary (9801) is more than "
                       "admission_primary_total (9800)"),
           std::string("$.facts.rotated_backbone_teachers: rotated_backbone_teachers (325) is more than "
                       "rotated_teachers (324)"),
           std::string("$.facts.disabled_enrolled: disabled_enrolled + disabled_deferred (668) is more than "
                       "disabled_school_age_children (642)"),
           std::string("$.schools[6].sections[0].students: 2147483647 is above the limit of 100000 students per "
                       "section"),
       }) {
    EXPECT_NE(err.find(file + ": " + expected), std::string::npos) << expected << "\n" << err;
  }
  EXPECT_NE(err.find("problem(s); nothing evaluated"), std::string::npos) << err;
}

TEST(EvaluateFileCliTest, AnAmountBeyondTheBoundIsRefusedNamingIt) {
  nlohmann::json document = nlohmann::json::parse(ReadFile(kExample));
  document["schools"][0]["funding"]["operating_budget_yuan"] = 1e20;
  TempDir dir;
  const std::string file = dir.path() + "/rich.json";
  std::ofstream(file) << document.dump();
  std::string out;
  std::string err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", file, "--lang=en"}, &out, &err), 2);
  EXPECT_NE(
      err.find(file + ": $.schools[0].funding.operating_budget_yuan: 100000000000000000000 yuan is above the limit of "
                      "1000000000000 yuan (10^12 yuan) for any one amount"),
      std::string::npos)
      << err;
  EXPECT_NE(err.find("1 problem(s); nothing evaluated"), std::string::npos) << err;
}

}  // namespace
}  // namespace gzedu::cli
