// `gzedu serve` (the whole suite in one process) through the CLI a bureau
// analyst uses: import a bundle, evaluate the city and a district, plan,
// scenario, watch, district returns; health of all four services; the
// domain gauges on /metrics.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

class ServeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    serve_ = std::make_unique<Subprocess>(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                                   "--metrics-listen=127.0.0.1:0",
                                                                   "--data-dir=" + dir_.path()});
    const std::string line = serve_->WaitForLine("listening ");
    target_ = gzedu::testing::WordValue(line, "grpc");
    metrics_ = gzedu::testing::WordValue(line, "metrics");
    ASSERT_FALSE(target_.empty()) << serve_->stderr_text();
    std::string out, err;
    ASSERT_EQ(
        Gzedu({"import", "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/sample", "--target=" + target_}, &out, &err),
        0)
        << out << err;
  }
  void TearDown() override { EXPECT_EQ(serve_->Stop(SIGTERM), 0) << serve_->stderr_text(); }

  int Gzedu(std::vector<std::string> args, std::string* out, std::string* err) {
    args.insert(args.begin(), GZEDU_CLI_BINARY);
    return RunCommand(args, out, err);
  }

  TempDir dir_;
  std::unique_ptr<Subprocess> serve_;
  std::string target_;
  std::string metrics_;
};

TEST_F(ServeCliTest, AnswersHealthForAllFourServicesOnOnePort) {
  auto channel = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  for (const char* service :
       {"gzedu.registry.v1.SchoolRegistryService", "gzedu.rotation.v1.TeacherRotationService",
        "gzedu.funding.v1.FundingLedgerService", "gzedu.indicators.v1.IndicatorEvaluationService"}) {
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(health->Check(&context, request, &response).ok()) << service;
    EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING) << service;
  }
}

TEST_F(ServeCliTest, EvaluatesTheCityADistrictAndItsPlan) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "all", "--lang", "en"}, &out, &err), 0) << err;
  for (const char* district : {"440103", "440104", "440114", "440118"}) {
    EXPECT_NE(out.find(district), std::string::npos) << out;
  }
  EXPECT_NE(out.find("Huadu"), std::string::npos) << out;

  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114", "--format", "json"}, &out, &err), 0)
      << err;
  const nlohmann::json evaluation = nlohmann::json::parse(out);
  EXPECT_EQ(evaluation["district_code"], "440114");
  EXPECT_EQ(evaluation["indicators"][0]["indicator_id"], "R1");
  EXPECT_TRUE(evaluation.contains("input_versions"));

  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("花都区（440114）2024学年"), std::string::npos) << out;

  ASSERT_EQ(Gzedu({"plan", "--target=" + target_, "--district", "440114", "--lang", "en"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("Remediation per failing section"), std::string::npos) << out;
  EXPECT_NE(out.find("2144011401"), std::string::npos) << out;

  EXPECT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "999999"}, &out, &err), 2);
  EXPECT_NE(err.find("district_code"), std::string::npos) << err;
}

TEST_F(ServeCliTest, AScenarioShowsWhatChangesAndWritesNothing) {
  std::string out, err;
  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114", "--format", "json"}, &out, &err), 0);
  nlohmann::json first = nlohmann::json::parse(out);  // not const: a missing field reads as null
  ASSERT_EQ(Gzedu({"scenario", "--target=" + target_, "--district", "440114", "--lang", "en", "--add-area",
                   "2144011402:2000"},
                  &out, &err),
            0)
      << err;
  EXPECT_NE(out.find("R4 primary"), std::string::npos) << out;
  // Nothing was written: the same snapshot (whatever the change follower
  // re-evaluated meanwhile for the import's writes).
  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114", "--format", "json"}, &out, &err), 0);
  nlohmann::json again = nlohmann::json::parse(out);
  EXPECT_EQ(again["snapshot_version"], first["snapshot_version"])
      << "first: " << first["input_versions"].dump() << " at " << first["evaluated_at"].dump()
      << "\nagain: " << again["input_versions"].dump() << " at " << again["evaluated_at"].dump();
  EXPECT_EQ(Gzedu({"scenario", "--target=" + target_, "--district", "440114", "--add-teachers", "0000000000:primary:3"},
                  &out, &err),
            2);
  EXPECT_NE(err.find("changes[0].teachers.school_code"), std::string::npos) << err;
}

TEST_F(ServeCliTest, DistrictReturnsWithANumeratorAboveItsDenominatorOrBeyondABoundAreRefused) {
  std::string out, err;
  const std::string bad = dir_.path() + "/impossible.json";
  std::ofstream(bad) << R"({"returns": [{"district_code": "440114", "school_year": 2024, "facts": {
      "zoned_admission_junior": 6901, "admission_junior_total": 6900,
      "migrant_children_eligible": 100, "migrant_children_in_public_schools": 60,
      "migrant_children_in_purchased_places": 41,
      "junior_cohort_enrolled": 1000, "junior_transferred_in": 10, "junior_transferred_out": 20,
      "junior_deaths": 1, "junior_graduates": 990,
      "disabled_school_age_children": 50, "disabled_deferred": 5, "disabled_enrolled": 46,
      "operating_budget_fen": 100000, "training_budget_fen": 100001,
      "quota_total_places": 50000001}}]})";
  EXPECT_EQ(Gzedu({"import", "returns", bad, "--target=" + target_}, &out, &err), 2);
  for (const char* expected : {
           "returns[0].facts.zoned_admission_junior: zoned_admission_junior (6901) is more than "
           "admission_junior_total (6900)",
           "returns[0].facts.migrant_children_in_public_schools: migrant_children_in_public_schools + "
           "migrant_children_in_purchased_places (101) is more than migrant_children_eligible (100)",
           "returns[0].facts.junior_graduates: junior_graduates (990) is more than the cohort that remained",
           "returns[0].facts.disabled_enrolled: disabled_enrolled + disabled_deferred (51) is more than "
           "disabled_school_age_children (50)",
           "returns[0].facts.training_budget_fen: the training budget (1000.01 yuan) is more than "
           "operating_budget_fen (1000 yuan)",
           "returns[0].facts.quota_total_places: 50000001 is above the limit of 50000000 people",
       }) {
    EXPECT_NE(err.find(expected), std::string::npos) << expected << "\n" << err;
  }
}

TEST_F(ServeCliTest, AnEvaluationOfDataThatCannotBeTrueTogetherIsRefusedNamingTheSchool) {
  // The ledger accepts a training budget above the school's operating
  // budget (it does not compare accounts); together they cannot be true.
  std::string out, err;
  const std::string transfers = dir_.path() + "/transfers.csv";
  std::ofstream(transfers) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                              "hd-2024-tr-extra,440114.education_budget,440114.2144011401.training,2000000.00,2024\n";
  ASSERT_EQ(Gzedu({"ledger", "--target=" + target_, "post", transfers}, &out, &err), 0) << out << err;
  EXPECT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114"}, &out, &err), 1);
  EXPECT_NE(err.find("  schools[2144011401].funding.training_budget_fen: 培训经费预算（2098000 元）大于该校的 "
                     "operating_budget_fen（1850000 元）"),
            std::string::npos)
      << err;
  EXPECT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114", "--lang", "en"}, &out, &err), 1);
  EXPECT_NE(err.find("FAILED_PRECONDITION"), std::string::npos) << err;
  EXPECT_NE(err.find("schools[2144011401].funding.training_budget_fen: the training budget (2098000 yuan) is more "
                     "than the school's operating_budget_fen (1850000 yuan)"),
            std::string::npos)
      << err;
  // The other districts still evaluate.
  EXPECT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440103"}, &out, &err), 0) << err;
}

TEST_F(ServeCliTest, DistrictReturnsAreValidatedWholeAndWatchedAsTheyChangeIndicators) {
  std::string out, err;
  const std::string bad = dir_.path() + "/bad.json";
  std::ofstream(bad) << R"({"returns": [{"district_code": "440114", "school_year": 2024,
      "facts": {"quota_total_places": 100, "quota_allocated_places": 150, "disabled_enrolled": -1}}]})";
  EXPECT_EQ(Gzedu({"import", "returns", bad, "--target=" + target_}, &out, &err), 2);
  EXPECT_NE(err.find("returns[0].facts.quota_allocated_places"), std::string::npos) << err;
  EXPECT_NE(err.find("returns[0].facts.disabled_enrolled"), std::string::npos) << err;

  // A watcher of G14 in Huadu sees the return arrive (after the current
  // state, which the evaluation makes sure exists).
  ASSERT_EQ(Gzedu({"evaluate", "--target=" + target_, "--district", "440114", "--format", "json"}, &out, &err), 0);
  Subprocess watch({GZEDU_CLI_BINARY, "watch", "--target=" + target_, "--district", "440114", "--indicator", "G14",
                    "--year", "2024", "--max-updates", "1", "--initial"});
  ASSERT_FALSE(watch.WaitForLine("= ").empty()) << watch.stderr_text();  // the initial state: G14 pending
  const std::string good = dir_.path() + "/good.json";
  std::ofstream(good) << R"({"returns": [{"district_code": "440114", "school_year": 2024,
      "facts": {"quota_total_places": 4228, "quota_hk_macao_class_places": 150, "quota_allocated_places": 2039}}]})";
  ASSERT_EQ(Gzedu({"import", "returns", good, "--target=" + target_}, &out, &err), 0) << err;
  const std::string line = watch.WaitForLine("~ ");
  EXPECT_NE(line.find("G14 48.23"), std::string::npos) << line << watch.stderr_text();
  EXPECT_EQ(watch.Wait(), 0);

  const std::string metrics = gzedu::testing::HttpGet(metrics_, "/metrics");
  EXPECT_NE(metrics.find("gzedu_indicator_value{district=\"440114\",indicator=\"G14\",stage=\"\"} 48.22"),
            std::string::npos);
  EXPECT_NE(metrics.find("gzedu_watch_subscribers"), std::string::npos);
}

// `gzedu serve --auth-key-file`: with an administrator's token (issued by
// the CLI from a key file ending in a newline) the bundle imports and the
// districts evaluate, so the embedded evaluation service reads its
// in-process sources with a token of its own; without a token nothing is
// answered.
// The evaluation reads are answered from memory when nothing changed: an
// acknowledged write must still be seen by the very next read (GetEvaluation
// says stale or answers a snapshot of the write's version; EvaluateDistrict
// answers one).
TEST_F(ServeCliTest, AReadRightAfterAnAcknowledgedWriteSeesIt) {
  auto channel = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
  auto registry = gzedu::registry::v1::SchoolRegistryService::NewStub(channel);
  auto evaluation = gzedu::indicators::v1::IndicatorEvaluationService::NewStub(channel);
  gzedu::registry::v1::School school;
  {
    gzedu::registry::v1::ListSchoolsRequest request;
    request.set_district_code("440114");
    request.set_page_size(1);
    gzedu::registry::v1::ListSchoolsResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(registry->ListSchools(&context, request, &response).ok());
    ASSERT_EQ(response.schools_size(), 1);
    school = response.schools(0);
  }
  const auto get = [&](gzedu::indicators::v1::GetEvaluationResponse* response) {
    gzedu::indicators::v1::GetEvaluationRequest request;
    request.set_district_code("440114");
    request.set_school_year(2024);
    grpc::ClientContext context;
    return evaluation->GetEvaluation(&context, request, response).ok();
  };
  const auto evaluate = [&](gzedu::indicators::v1::EvaluateDistrictResponse* response) {
    gzedu::indicators::v1::EvaluateDistrictRequest request;
    request.set_district_code("440114");
    request.set_school_year(2024);
    grpc::ClientContext context;
    return evaluation->EvaluateDistrict(&context, request, response).ok();
  };
  for (int round = 0; round < 10; ++round) {
    // Current and read twice: the second read comes from memory.
    gzedu::indicators::v1::EvaluateDistrictResponse current;
    ASSERT_TRUE(evaluate(&current));
    gzedu::indicators::v1::GetEvaluationResponse warm;
    ASSERT_TRUE(get(&warm));
    ASSERT_TRUE(get(&warm));
    school.set_name("花都区测试学校" + std::to_string(round));
    gzedu::registry::v1::UpsertSchoolsRequest write;
    write.set_request_id("fresh-read-" + std::to_string(round));
    *write.add_schools() = school;
    gzedu::registry::v1::UpsertSchoolsResponse written;
    grpc::ClientContext context;
    ASSERT_TRUE(registry->UpsertSchools(&context, write, &written).ok());
    const int64_t version = written.summary().last_change_version();
    ASSERT_GT(version, current.evaluation().input_versions().registry_version());

    gzedu::indicators::v1::GetEvaluationResponse after;
    ASSERT_TRUE(get(&after));
    EXPECT_TRUE(after.stale() || after.evaluation().input_versions().registry_version() >= version)
        << "round " << round << ": a snapshot of registry version "
        << after.evaluation().input_versions().registry_version() << " answered as current after version " << version;
    gzedu::indicators::v1::EvaluateDistrictResponse evaluated;
    ASSERT_TRUE(evaluate(&evaluated));
    EXPECT_GE(evaluated.evaluation().input_versions().registry_version(), version) << "round " << round;
  }
}

TEST(ServeAuthTest, TheEmbeddedEvaluationServiceReadsItsSourcesWithItsOwnToken) {
  TempDir dir;
  std::string key, out, err;
  ASSERT_EQ(RunCommand({"openssl", "rand", "-base64", "48"}, &key, &err), 0) << err;
  const std::string key_file = dir.path() + "/signing.key";
  std::ofstream(key_file, std::ios::binary) << key;
  Subprocess serve({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                    "--data-dir=" + dir.path() + "/data", "--auth-key-file=" + key_file});
  const std::string target = gzedu::testing::WordValue(serve.WaitForLine("listening "), "grpc");
  ASSERT_FALSE(target.empty()) << serve.stderr_text();

  std::string token;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "token", "issue", "--key-file", key_file, "--role", "admin", "--districts",
                        "*", "--ttl", "10m"},
                       &token, &err),
            0)
      << err;
  while (!token.empty() && token.back() == '\n') token.pop_back();

  EXPECT_NE(RunCommand({GZEDU_CLI_BINARY, "evaluate", "--target=" + target, "--district", "440114", "--lang", "en"},
                       &out, &err),
            0);
  EXPECT_NE(err.find("no bearer token"), std::string::npos) << err;
  EXPECT_NE(RunCommand({GZEDU_CLI_BINARY, "evaluate", "--target=" + target, "--district", "440114"}, &out, &err), 0);
  EXPECT_NE(err.find("UNAUTHENTICATED: 没有持有者令牌"), std::string::npos) << err;

  setenv("GZEDU_TOKEN", token.c_str(), 1);
  const int imported = RunCommand(
      {GZEDU_CLI_BINARY, "import", "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/sample", "--target=" + target},
      &out, &err);
  std::string import_output = out + err;
  const int evaluated = RunCommand(
      {GZEDU_CLI_BINARY, "evaluate", "--target=" + target, "--district", "440114", "--format", "json"}, &out, &err);
  unsetenv("GZEDU_TOKEN");
  ASSERT_EQ(imported, 0) << import_output;
  ASSERT_EQ(evaluated, 0) << out << err;
  const nlohmann::json evaluation = nlohmann::json::parse(out);
  EXPECT_EQ(evaluation["district_code"], "440114");
  EXPECT_TRUE(evaluation.contains("input_versions"));
  // The only call refused for want of a token is the test's own.
  std::istringstream log(serve.stderr_text());
  for (std::string line; std::getline(log, line);) {
    if (line.find("no bearer token") == std::string::npos) continue;
    EXPECT_NE(line.find("EvaluateDistrict"), std::string::npos)
        << "a call inside gzedu serve went without a token: " << line;
  }
  EXPECT_EQ(serve.Stop(SIGTERM), 0) << serve.stderr_text();
}

}  // namespace
}  // namespace gzedu
