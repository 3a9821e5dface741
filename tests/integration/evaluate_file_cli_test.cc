// `gzedu evaluate-file` end to end: the real CLI on real files.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/subprocess.h"

namespace gzedu::cli {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::TempDir;

const std::string kExample = std::string(GZEDU_SOURCE_DIR) + "/data/examples/huadu-sample-2024.json";

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
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "evaluate-file", file}, &out, &err), 2);
  EXPECT_NE(err.find(file + ": $.schools[0].sections[0].stage: 'upper' is not one of primary, junior"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find(file + ": $.schools[0].sections[0].students: must be between 0 and"), std::string::npos) << err;
  EXPECT_NE(err.find(file + ": $.facts.quota_total_places: must be a whole number"), std::string::npos) << err;
  EXPECT_NE(err.find("3 problem(s); nothing evaluated"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace gzedu::cli
