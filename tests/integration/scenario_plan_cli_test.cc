// Issue 13 through the real `gzedu` binary on the bundled Guangzhou data:
// a scenario never erases Huadu's oversize classes and shows the
// per-section rule; a plan covers every failing indicator (Baiyun's R5 on
// its district value, Huadu's G4 and G5), and `--new-school` works.
#include <gtest/gtest.h>

#include <csignal>
#include <nlohmann/json.hpp>

#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

class ScenarioPlanCliTest : public ::testing::Test {
 protected:
  // One server and one import for the whole suite: the Guangzhou bundle is
  // 67,000 teachers.
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    serve_ = new Subprocess(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                     "--metrics-listen=127.0.0.1:0", "--data-dir=" + dir_->path()});
    const std::string line = serve_->WaitForLine("listening ");
    target_ = new std::string(gzedu::testing::WordValue(line, "grpc"));
    std::string out, err;
    import_status_ = Gzedu(
        {"import", "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/guangzhou", "--target=" + *target_, "--quiet"},
        &out, &err);
    import_output_ = new std::string(out + err + serve_->stderr_text());
  }
  static void TearDownTestSuite() {
    serve_->Stop(SIGTERM);
    delete serve_;
    delete dir_;
    delete target_;
    delete import_output_;
  }
  void SetUp() override {
    ASSERT_FALSE(target_->empty()) << *import_output_;
    ASSERT_EQ(import_status_, 0) << *import_output_;
  }

  static int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    return RunCommand(args, out, err);
  }

  static nlohmann::json G5Of(const nlohmann::json& evaluation) {
    for (const nlohmann::json& r : evaluation["indicators"]) {
      if (r["indicator_id"] == "G5") return r;
    }
    return nullptr;
  }

  static TempDir* dir_;
  static Subprocess* serve_;
  static std::string* target_;
  static std::string* import_output_;
  static int import_status_;
};

TempDir* ScenarioPlanCliTest::dir_ = nullptr;
Subprocess* ScenarioPlanCliTest::serve_ = nullptr;
std::string* ScenarioPlanCliTest::target_ = nullptr;
std::string* ScenarioPlanCliTest::import_output_ = nullptr;
int ScenarioPlanCliTest::import_status_ = -1;

TEST_F(ScenarioPlanCliTest, MoreOrFewerStudentsKeepHuaduG5FailingWithItsOversizeClasses) {
  for (const char* percent : {"5", "-5"}) {
    SCOPED_TRACE(percent);
    std::string out, err;
    ASSERT_EQ(
        Gzedu({"scenario", "--target=" + *target_, "--district", "440114", "--enrolment", percent, "--format", "json"},
              &out, &err),
        0)
        << err;
    const nlohmann::json response = nlohmann::json::parse(out);
    const nlohmann::json before = G5Of(response["baseline"]);
    const nlohmann::json after = G5Of(response["scenario"]);
    ASSERT_FALSE(before.is_null());
    ASSERT_FALSE(after.is_null());
    EXPECT_EQ(before["verdict"], "VERDICT_DOES_NOT_MEET");
    EXPECT_GE(before["value"].get<double>(), 7);
    EXPECT_EQ(after["verdict"], "VERDICT_DOES_NOT_MEET") << after.dump();
    if (std::string(percent) == "5") {
      EXPECT_GE(after["value"].get<double>(), 7) << after.dump();
    }
  }
}

TEST_F(ScenarioPlanCliTest, TheScenarioTextShowsThePerSectionRuleAndEveryChangedVerdict) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"scenario", "--target=" + *target_, "--district", "440114", "--enrolment", "5", "--lang", "en"},
                  &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("per-section rule"), std::string::npos) << out;
  EXPECT_NE(out.find("primary"), std::string::npos) << out;
  EXPECT_NE(out.find("verdicts that change"), std::string::npos) << out;
  // G5 still fails in the scenario.
  const size_t failing = out.find("failing in the scenario");
  ASSERT_NE(failing, std::string::npos) << out;
  EXPECT_NE(out.find("G5", failing), std::string::npos) << out;
}

TEST_F(ScenarioPlanCliTest, ANewSchoolCanBeAddedAsTheApiAllows) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"scenario", "--target=" + *target_, "--district", "440114", "--lang", "en", "--format", "json",
                   "--new-school",
                   "4401149901:primary:900:20:teachers=60,qualified=60,backbone=6,pe_music_art=9,teaching_m2=9000,"
                   "sports_m2=9000,equipment_yuan=3000000,multimedia_rooms=25,name=New"},
                  &out, &err),
            0)
      << err;
  const nlohmann::json response = nlohmann::json::parse(out);
  int primary_before = 0, primary_after = 0;
  for (const nlohmann::json& s : response["baseline"]["stages"]) {
    if (s["stage"] == "STAGE_PRIMARY") primary_before = s["sections"].get<int>();
  }
  for (const nlohmann::json& s : response["scenario"]["stages"]) {
    if (s["stage"] == "STAGE_PRIMARY") primary_after = s["sections"].get<int>();
  }
  EXPECT_EQ(primary_after, primary_before + 1);

  EXPECT_EQ(Gzedu({"scenario", "--target=" + *target_, "--district", "440114", "--new-school", "4401149901:senior:1:1"},
                  &out, &err),
            2);
  EXPECT_NE(err.find("--new-school"), std::string::npos) << err;
}

TEST_F(ScenarioPlanCliTest, BaiyunPlanCoversItsR5DistrictValue) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"plan", "--target=" + *target_, "--district", "440111", "--lang", "en"}, &out, &err), 0) << err;
  EXPECT_EQ(out.find("Nothing to remediate"), std::string::npos) << out;
  EXPECT_NE(out.find("District remediation, per failing indicator"), std::string::npos) << out;
  EXPECT_NE(out.find("- R5"), std::string::npos) << out;
  EXPECT_NE(out.find("m2 of sports area"), std::string::npos) << out;

  ASSERT_EQ(Gzedu({"plan", "--target=" + *target_, "--district", "440111"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("全区整改"), std::string::npos) << out;
  EXPECT_NE(out.find("平方米体育运动场馆"), std::string::npos) << out;
}

TEST_F(ScenarioPlanCliTest, HuaduPlanNamesSchoolsOverSizeAndClassesToAdd) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"plan", "--target=" + *target_, "--district", "440114", "--lang", "en"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("- G4: "), std::string::npos) << out;
  EXPECT_NE(out.find("students over the school-size limit"), std::string::npos) << out;
  EXPECT_NE(out.find("- G5: add "), std::string::npos) << out;
  EXPECT_NE(out.find("classes above the limit are known"), std::string::npos) << out;

  // The same plan in the evaluation's JSON, through the contract.
  ASSERT_EQ(Gzedu({"evaluate", "--target=" + *target_, "--district", "440114", "--format", "json"}, &out, &err), 0)
      << err;
  const nlohmann::json evaluation = nlohmann::json::parse(out);
  bool g4 = false, g5 = false;
  for (const nlohmann::json& step : evaluation["district_plan"]) {
    g4 = g4 || (step["indicator_id"] == "G4" && step["amount"].get<double>() > 0 && !step["targets"].empty());
    g5 = g5 || (step["indicator_id"] == "G5" && step["kind"] == "class_size");
  }
  EXPECT_TRUE(g4) << evaluation["district_plan"].dump();
  EXPECT_TRUE(g5) << evaluation["district_plan"].dump();
}

}  // namespace
}  // namespace gzedu
