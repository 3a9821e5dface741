// Flags that behave (issue 16), through the real binaries: the target rule
// of every gzedu command (--target anywhere, GZEDU_TARGET always, one
// default), errors written once, a database directory that is missing,
// --version of every binary and gzedu_build_info on every /metrics.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "common/build_info/build_info.h"
#include "tests/support/server_process.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::HttpGet;
using gzedu::testing::RunCommand;
using gzedu::testing::ServerProcess;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

const std::string kSample = std::string(GZEDU_SOURCE_DIR) + "/data/sample/";

// Runs gzedu with `environment` (NAME=VALUE words) and none of the target
// variables the test process might have inherited.
int Gzedu(const std::vector<std::string>& environment, const std::vector<std::string>& args, std::string* out,
          std::string* err) {
  std::vector<std::string> argv = {"env"};
  for (const char* name : {"GZEDU_TARGET", "GZEDU_REGISTRY", "GZEDU_ROTATION", "GZEDU_LEDGER", "GZEDU_EVALUATION"}) {
    argv.push_back("-u");
    argv.push_back(name);
  }
  argv.insert(argv.end(), environment.begin(), environment.end());
  argv.push_back(GZEDU_CLI_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, out, err);
}

size_t Count(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

// `gzedu serve` on a free port with an empty data directory.
class CliFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    serve_ = std::make_unique<Subprocess>(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                                   "--metrics-listen=127.0.0.1:0",
                                                                   "--data-dir=" + dir_.path() + "/data"});
    const std::string line = serve_->WaitForLine("listening ");
    target_ = gzedu::testing::WordValue(line, "grpc");
    metrics_ = gzedu::testing::WordValue(line, "metrics");
    ASSERT_FALSE(target_.empty()) << serve_->stderr_text();
  }
  void TearDown() override { EXPECT_EQ(serve_->Stop(SIGTERM), 0) << serve_->stderr_text(); }

  TempDir dir_;
  std::unique_ptr<Subprocess> serve_;
  std::string target_;
  std::string metrics_;
};

TEST_F(CliFlagsTest, TargetIsAcceptedAfterTheSubcommandAndItsFile) {
  std::string out, err;
  ASSERT_EQ(Gzedu({}, {"ledger", "open", kSample + "accounts.csv", "--target=" + target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("opened"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({}, {"ledger", "post", kSample + "transfers.csv", "--quiet", "--target", target_}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("posted"), std::string::npos) << out;
  ASSERT_EQ(Gzedu({}, {"import", "schools", kSample + "schools.csv", "--quiet", "--target=" + target_}, &out, &err), 0)
      << err;
  ASSERT_EQ(Gzedu({}, {"registry", "summary", "--target", target_}, &out, &err), 0) << err;
  EXPECT_NE(out.find("440114"), std::string::npos) << out;
}

TEST_F(CliFlagsTest, TargetIsAcceptedAtEveryLevelOfTheCommand) {
  std::string opened, problems;
  ASSERT_EQ(
      Gzedu({}, {"ledger", "open", kSample + "accounts.csv", "--quiet", "--target=" + target_}, &opened, &problems), 0)
      << problems;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--target", target_, "ledger", "verify"},
           {"ledger", "--target", target_, "verify"},
           {"ledger", "verify", "--target", target_},
       }) {
    std::string out, err;
    ASSERT_EQ(Gzedu({}, args, &out, &err), 0) << args[0] << " " << args[1] << ": " << err;
    EXPECT_NE(out.find("journal verified"), std::string::npos) << out;
  }
}

TEST_F(CliFlagsTest, EveryServiceCommandReachesServeGivenOnlyGzeduTarget) {
  const std::vector<std::string> environment = {"GZEDU_TARGET=" + target_};
  const std::string returns = dir_.path() + "/returns.json";
  std::ofstream(returns) << R"({"returns": [{"district_code": "440114", "school_year": 2024,
      "facts": {"quota_total_places": 4228, "quota_hk_macao_class_places": 150, "quota_allocated_places": 2039}}]})";
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"import", "schools", kSample + "schools.csv", "--quiet"},
           {"import", "school-years", kSample + "school_years.csv", "--quiet"},
           {"import", "teachers", kSample + "teachers.csv", "--quiet"},
           {"import", "rotations", kSample + "rotations.csv", "--quiet"},
           {"ledger", "open", kSample + "accounts.csv", "--quiet"},
           {"ledger", "post", kSample + "transfers.csv", "--quiet"},
           {"ledger", "balance", "440114.treasury"},
           {"ledger", "verify"},
           {"import", "returns", returns},
           {"import", "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/sample", "--quiet"},
           {"registry", "summary"},
           {"rotation", "summary", "--district", "440114"},
           {"evaluate", "--district", "440114", "--format", "json"},
           {"plan", "--district", "440114"},
           {"scenario", "--district", "440114", "--enrolment", "5"},
           {"report", "--district", "440114", "--format", "csv", "--out", dir_.path() + "/report.csv"},
       }) {
    std::string out, err;
    EXPECT_EQ(Gzedu(environment, args, &out, &err), 0) << args[0] << " " << args[1] << ":\n" << out << err;
  }
  // watch runs until stopped: its first line is the district's current state.
  Subprocess watch({"env", "-u", "GZEDU_EVALUATION", "GZEDU_TARGET=" + target_, GZEDU_CLI_BINARY, "watch", "--district",
                    "440114", "--initial"});
  EXPECT_FALSE(watch.WaitForLine("= ").empty()) << watch.stderr_text();
}

TEST_F(CliFlagsTest, AServiceFlagWinsOverTheTargetAndTheCommandLineOverTheEnvironment) {
  const std::string nowhere = "127.0.0.1:1";  // nothing listens on port 1
  std::string out, err;
  EXPECT_EQ(Gzedu({}, {"registry", "summary", "--target", nowhere, "--registry", target_}, &out, &err), 0) << err;
  EXPECT_EQ(Gzedu({"GZEDU_REGISTRY=" + nowhere}, {"registry", "summary", "--target", target_}, &out, &err), 0) << err;
  EXPECT_EQ(Gzedu({"GZEDU_REGISTRY=" + target_, "GZEDU_TARGET=" + nowhere}, {"registry", "summary"}, &out, &err), 0)
      << err;
  EXPECT_EQ(Gzedu({"GZEDU_TARGET=" + target_}, {"ledger", "verify", "--ledger", nowhere}, &out, &err), 1);
  EXPECT_NE(err.find("UNAVAILABLE"), std::string::npos) << err;
  // And the other services still follow the target.
  EXPECT_EQ(Gzedu({"GZEDU_LEDGER=" + nowhere, "GZEDU_TARGET=" + target_}, {"registry", "summary"}, &out, &err), 0)
      << err;
}

TEST_F(CliFlagsTest, AnErrorIsWrittenOnceWithItsCodeName) {
  std::string out, err;
  ASSERT_EQ(Gzedu({}, {"evaluate", "--target", target_, "--district", "999999"}, &out, &err), 2);
  EXPECT_EQ(Count(err, "INVALID_ARGUMENT"), 1u) << err;
  EXPECT_EQ(err.find(": :"), std::string::npos) << err;
  const size_t code = err.find("INVALID_ARGUMENT: ");
  ASSERT_NE(code, std::string::npos) << err;
  const std::string message = err.substr(code + 18, err.find('\n', code) - code - 18);
  ASSERT_FALSE(message.empty()) << err;
  EXPECT_EQ(Count(err, message), 1u) << err;
  // The violation the status carries, once, on its own line.
  const size_t violation = err.find("\n  district_code: ");
  ASSERT_NE(violation, std::string::npos) << err;
  const std::string description = err.substr(violation + 18, err.find('\n', violation + 1) - violation - 18);
  ASSERT_FALSE(description.empty()) << err;
  EXPECT_EQ(Count(err, description), 1u) << err;
  // The same refusal through the report command: listed once there too.
  ASSERT_EQ(Gzedu({}, {"report", "--target", target_, "--district", "999999", "--format", "text"}, &out, &err), 2);
  EXPECT_EQ(Count(err, description), 1u) << err;
}

// `serve` and every service command print the same default, the one serve
// listens on (the test cannot take that fixed port to try it).
TEST(CliTargetRuleTest, OneDefaultTargetForEveryCommandAndServe) {
  std::string out, err;
  ASSERT_EQ(Gzedu({}, {"serve", "--help"}, &out, &err), 0) << err;
  const std::smatch listen = [&] {
    std::smatch match;
    std::regex_search(out, match, std::regex(R"(--listen[^\n]*=(127\.0\.0\.1:[0-9]+))"));
    return match;
  }();
  ASSERT_EQ(listen.size(), 2u) << out;
  const std::string default_target = listen[1];
  ASSERT_EQ(Gzedu({}, {"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("GZEDU_TARGET"), std::string::npos) << out;
  EXPECT_NE(out.find(default_target), std::string::npos) << out;
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{{"import", "schools"},
                                                                                       {"import", "school-years"},
                                                                                       {"import", "teachers"},
                                                                                       {"import", "rotations"},
                                                                                       {"import", "returns"},
                                                                                       {"import", "bundle"},
                                                                                       {"registry", "summary"},
                                                                                       {"rotation", "summary"},
                                                                                       {"ledger", "open"},
                                                                                       {"ledger", "post"},
                                                                                       {"ledger", "balance"},
                                                                                       {"ledger", "verify"},
                                                                                       {"evaluate"},
                                                                                       {"plan"},
                                                                                       {"scenario"},
                                                                                       {"report"},
                                                                                       {"watch"}}) {
    std::vector<std::string> args = command;
    args.push_back("--help");
    ASSERT_EQ(Gzedu({}, args, &out, &err), 0) << command[0] << err;
    EXPECT_NE(out.find("--target"), std::string::npos) << command[0] << "\n" << out;
    EXPECT_NE(out.find("else GZEDU_TARGET, else " + default_target), std::string::npos) << command[0] << "\n" << out;
  }
}

TEST(DataDirectoryTest, EachServiceRefusesADatabaseInAMissingDirectoryNamingIt) {
  TempDir dir;
  const std::string missing = dir.path() + "/missing/sub";
  for (const char* binary :
       {GZEDU_REGISTRY_BINARY, GZEDU_ROTATION_BINARY, GZEDU_LEDGER_BINARY, GZEDU_EVALUATION_BINARY}) {
    std::string out, err;
    EXPECT_EQ(RunCommand({binary, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                          "--database=sqlite://" + missing + "/x.db"},
                         &out, &err),
              1)
        << binary;
    EXPECT_NE(err.find("its directory " + missing + " does not exist; create it (mkdir -p " + missing + ")"),
              std::string::npos)
        << binary << ": " << err;
    EXPECT_EQ(err.find("unable to open database file"), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(missing)) << "an explicit --database path is not created";
  }
}

TEST(DataDirectoryTest, ServeCreatesItsDataDirectory) {
  TempDir dir;
  const std::string data = dir.path() + "/a/b/c";
  Subprocess serve(
      {GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0", "--data-dir=" + data});
  ASSERT_FALSE(serve.WaitForLine("listening ").empty()) << serve.stderr_text();
  EXPECT_TRUE(std::filesystem::exists(data + "/school-registry.db"));
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
}

TEST(DataDirectoryTest, ServeNamesADataDirectoryItCannotCreate) {
  TempDir dir;
  const std::string file = dir.path() + "/a-file";
  std::ofstream(file) << "not a directory\n";
  std::string out, err;
  EXPECT_EQ(RunCommand({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                        "--data-dir=" + file + "/data"},
                       &out, &err),
            1);
  EXPECT_NE(err.find("cannot create the data directory " + file + "/data (--data-dir)"), std::string::npos) << err;
  EXPECT_EQ(err.find("unable to open database file"), std::string::npos) << err;
}

TEST(VersionTest, EveryBinaryAnswersVersion) {
  EXPECT_EQ(BuildVersion(), GZEDU_PROJECT_VERSION);
  EXPECT_TRUE(std::regex_match(std::string(BuildRevision()), std::regex("unknown|[0-9a-f]{12}(-dirty)?")))
      << BuildRevision();
  for (const char* binary :
       {GZEDU_CLI_BINARY, GZEDU_REGISTRY_BINARY, GZEDU_ROTATION_BINARY, GZEDU_LEDGER_BINARY, GZEDU_EVALUATION_BINARY}) {
    std::string out, err;
    ASSERT_EQ(RunCommand({binary, "--version"}, &out, &err), 0) << binary << ": " << err;
    const std::string name = std::filesystem::path(binary).filename().string();
    EXPECT_EQ(out, VersionLine(name) + "\n") << binary;
    EXPECT_NE(out.find(std::string(GZEDU_PROJECT_VERSION) + " (revision " + std::string(BuildRevision()) + ")"),
              std::string::npos)
        << out;
  }
  // The embedded suite answers it too.
  std::string out, err;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "serve", "--version"}, &out, &err), 0) << err;
  EXPECT_EQ(out, VersionLine("gzedu serve") + "\n");
}

TEST(BuildInfoTest, EveryServerCarriesTheBuildInfoGauge) {
  TempDir dir;
  const std::string sample =
      "gzedu_build_info{revision=\"" + std::string(BuildRevision()) + "\",version=\"" + GZEDU_PROJECT_VERSION + "\"} 1";
  for (const char* binary :
       {GZEDU_REGISTRY_BINARY, GZEDU_ROTATION_BINARY, GZEDU_LEDGER_BINARY, GZEDU_EVALUATION_BINARY}) {
    ServerProcess server(binary, dir.path() + "/" + std::filesystem::path(binary).filename().string() + ".db");
    ASSERT_FALSE(server.metrics_address().empty()) << binary;
    EXPECT_NE(HttpGet(server.metrics_address(), "/metrics").find(sample), std::string::npos) << binary;
    EXPECT_EQ(server.Stop(SIGTERM), 0) << binary;
  }
  Subprocess serve({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                    "--data-dir=" + dir.path() + "/serve"});
  const std::string metrics = gzedu::testing::WordValue(serve.WaitForLine("listening "), "metrics");
  ASSERT_FALSE(metrics.empty()) << serve.stderr_text();
  const std::string text = HttpGet(metrics, "/metrics");
  EXPECT_NE(text.find(sample), std::string::npos) << text.substr(0, 2000);
  EXPECT_EQ(Count(text, "gzedu_build_info{"), 1u);
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace gzedu
