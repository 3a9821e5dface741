// The evaluation reads' views (EvaluationView) and the city's refusal of
// impossible data, through a real `gzedu serve` on port 0 holding imported
// data: the basic view is the full one without the indicators and the plans,
// for every district, in all three reads, and stays so after a source write
// (it is never served from an older snapshot than the full view); an
// unspecified view is the full one; an unknown view is refused naming the
// field; a city whose data cannot be true in two districts is refused naming
// both, with every problem.
#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "common/grpc/status_conversion.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

namespace iv1 = ::gzedu::indicators::v1;
namespace rv1 = ::gzedu::registry::v1;
using google::protobuf::util::MessageDifferencer;
using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

// What the basic view must be: the full evaluation with the three fields it
// leaves out cleared (stated here, not taken from the server's code).
iv1::DistrictEvaluation WithoutBasicViewFields(iv1::DistrictEvaluation full) {
  full.clear_indicators();
  full.clear_plans();
  full.clear_district_plan();
  return full;
}

class EvaluationViewsTest : public ::testing::Test {
 protected:
  // Starts `gzedu serve` and imports the bundle in `bundle_dir`.
  void Serve(const std::string& bundle_dir) {
    serve_ = std::make_unique<Subprocess>(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                                   "--metrics-listen=127.0.0.1:0",
                                                                   "--data-dir=" + dir_.path()});
    target_ = gzedu::testing::WordValue(serve_->WaitForLine("listening "), "grpc");
    ASSERT_FALSE(target_.empty()) << serve_->stderr_text();
    std::string out, err;
    ASSERT_EQ(
        RunCommand({GZEDU_CLI_BINARY, "import", "bundle", bundle_dir, "--quiet", "--target=" + target_}, &out, &err), 0)
        << out << err;
    channel_ = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
    evaluation_ = iv1::IndicatorEvaluationService::NewStub(channel_);
    registry_ = rv1::SchoolRegistryService::NewStub(channel_);
  }
  void TearDown() override {
    evaluation_.reset();
    registry_.reset();
    channel_.reset();
    if (serve_ != nullptr) {
      EXPECT_EQ(serve_->Stop(SIGTERM), 0) << serve_->stderr_text();
    }
  }

  grpc::Status City(iv1::EvaluationView view, iv1::EvaluateCityResponse* response) {
    iv1::EvaluateCityRequest request;
    request.set_school_year(2024);
    request.set_view(view);
    grpc::ClientContext context;
    return evaluation_->EvaluateCity(&context, request, response);
  }
  grpc::Status District(const std::string& code, iv1::EvaluationView view, iv1::EvaluateDistrictResponse* response) {
    iv1::EvaluateDistrictRequest request;
    request.set_district_code(code);
    request.set_school_year(2024);
    request.set_view(view);
    grpc::ClientContext context;
    return evaluation_->EvaluateDistrict(&context, request, response);
  }
  grpc::Status Get(const std::string& code, iv1::EvaluationView view, iv1::GetEvaluationResponse* response) {
    iv1::GetEvaluationRequest request;
    request.set_district_code(code);
    request.set_school_year(2024);
    request.set_view(view);
    grpc::ClientContext context;
    return evaluation_->GetEvaluation(&context, request, response);
  }

  // Both views of the city, the basic one asked first (so it cannot be the
  // by-product of a full read just made), then each district's in the two
  // other reads: the basic view is the full one without its three fields.
  // Returns the full view.
  iv1::EvaluateCityResponse ExpectBasicIsFullWithoutIndicatorsAndPlans() {
    iv1::EvaluateCityResponse basic, full, unspecified;
    grpc::Status status = City(iv1::EVALUATION_VIEW_BASIC, &basic);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = City(iv1::EVALUATION_VIEW_FULL, &full);
    EXPECT_TRUE(status.ok()) << status.error_message();
    status = City(iv1::EVALUATION_VIEW_UNSPECIFIED, &unspecified);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(full.evaluations_size(), 11);
    EXPECT_TRUE(MessageDifferencer::Equals(unspecified, full)) << "an unspecified view is not the full one";
    EXPECT_EQ(basic.evaluations_size(), full.evaluations_size());
    for (int i = 0; i < std::min(basic.evaluations_size(), full.evaluations_size()); ++i) {
      const iv1::DistrictEvaluation& whole = full.evaluations(i);
      SCOPED_TRACE(whole.district_code());
      EXPECT_GT(whole.indicators_size(), 30);  // the full view holds every indicator
      EXPECT_TRUE(MessageDifferencer::Equals(basic.evaluations(i), WithoutBasicViewFields(whole)))
          << basic.evaluations(i).ShortDebugString();

      iv1::EvaluateDistrictResponse district_basic, district_full;
      EXPECT_TRUE(District(whole.district_code(), iv1::EVALUATION_VIEW_BASIC, &district_basic).ok());
      EXPECT_TRUE(District(whole.district_code(), iv1::EVALUATION_VIEW_FULL, &district_full).ok());
      EXPECT_TRUE(MessageDifferencer::Equals(district_full.evaluation(), whole));
      EXPECT_TRUE(MessageDifferencer::Equals(district_basic.evaluation(), WithoutBasicViewFields(whole)));
      iv1::GetEvaluationResponse get_basic, get_full;
      EXPECT_TRUE(Get(whole.district_code(), iv1::EVALUATION_VIEW_BASIC, &get_basic).ok());
      EXPECT_TRUE(Get(whole.district_code(), iv1::EVALUATION_VIEW_UNSPECIFIED, &get_full).ok());
      EXPECT_FALSE(get_basic.stale());
      EXPECT_TRUE(MessageDifferencer::Equals(get_full.evaluation(), whole));
      EXPECT_TRUE(MessageDifferencer::Equals(get_basic.evaluation(), WithoutBasicViewFields(whole)));
    }
    return full;
  }

  TempDir dir_;
  std::unique_ptr<Subprocess> serve_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<iv1::IndicatorEvaluationService::Stub> evaluation_;
  std::unique_ptr<rv1::SchoolRegistryService::Stub> registry_;
};

TEST_F(EvaluationViewsTest, TheBasicViewIsTheFullOneWithoutIndicatorsAndPlansAndFollowsEveryWrite) {
  Serve(std::string(GZEDU_SOURCE_DIR) + "/data/sample");
  const iv1::EvaluateCityResponse before = ExpectBasicIsFullWithoutIndicatorsAndPlans();
  // Read again, from memory this time: the same.
  const iv1::EvaluateCityResponse again = ExpectBasicIsFullWithoutIndicatorsAndPlans();
  EXPECT_TRUE(MessageDifferencer::Equals(again, before));

  // A Huadu school's teaching area grows (acknowledged): the very next basic
  // read of the city is of a snapshot holding the write, and still the full
  // view cut.
  rv1::ListSchoolYearRecordsRequest list;
  list.set_district_code("440114");
  list.set_school_year(2024);
  list.set_page_size(1000);
  rv1::ListSchoolYearRecordsResponse records;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(registry_->ListSchoolYearRecords(&context, list, &records).ok());
  }
  ASSERT_GT(records.records_size(), 0);
  rv1::UpsertSchoolYearRecordsRequest upsert;
  upsert.set_request_id("views-more-area");
  rv1::SchoolYearRecord changed = records.records(0);
  changed.mutable_facilities()->set_teaching_area_m2(changed.facilities().teaching_area_m2() + 3000);
  *upsert.add_records() = changed;
  rv1::UpsertSchoolYearRecordsResponse written;
  {
    grpc::ClientContext context;
    const grpc::Status status = registry_->UpsertSchoolYearRecords(&context, upsert, &written);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  const int64_t version = written.summary().last_change_version();
  ASSERT_GT(version, 0);

  iv1::EvaluateCityResponse basic;
  ASSERT_TRUE(City(iv1::EVALUATION_VIEW_BASIC, &basic).ok());
  ASSERT_EQ(basic.evaluations_size(), 11);
  for (const iv1::DistrictEvaluation& district : basic.evaluations()) {
    SCOPED_TRACE(district.district_code());
    EXPECT_GE(district.input_versions().registry_version(), version) << "a basic view older than the write";
    EXPECT_EQ(district.indicators_size(), 0);
  }
  const iv1::DistrictEvaluation& huadu_before = before.evaluations(7);
  ASSERT_EQ(huadu_before.district_code(), "440114");
  EXPECT_GT(basic.evaluations(7).snapshot_version(), huadu_before.snapshot_version());
  const iv1::EvaluateCityResponse after = ExpectBasicIsFullWithoutIndicatorsAndPlans();
  ASSERT_EQ(after.evaluations_size(), 11);
  EXPECT_TRUE(MessageDifferencer::Equals(basic.evaluations(7), WithoutBasicViewFields(after.evaluations(7))));
}

TEST_F(EvaluationViewsTest, AnUnknownViewIsRefusedNamingTheField) {
  Serve(std::string(GZEDU_SOURCE_DIR) + "/data/sample");
  const auto unknown = static_cast<iv1::EvaluationView>(7);
  iv1::EvaluateCityResponse city;
  iv1::EvaluateDistrictResponse district;
  iv1::GetEvaluationResponse got;
  for (const grpc::Status& status :
       {City(unknown, &city), District("440114", unknown, &district), Get("440114", unknown, &got)}) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
    const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
    ASSERT_EQ(violations.size(), 1u) << status.error_message();
    EXPECT_EQ(violations[0].field, "view");
    EXPECT_NE(violations[0].description.find("EVALUATION_VIEW_BASIC"), std::string::npos);
  }
}

TEST_F(EvaluationViewsTest, ACityWhoseDataCannotBeTrueInTwoDistrictsIsRefusedNamingBoth) {
  Serve(std::string(GZEDU_SOURCE_DIR) + "/data/sample");
  // The ledger accepts training budgets above the schools' operating
  // budgets (it does not compare accounts); with them the data of Liwan
  // (a school with a training budget and no operating budget) and Huadu
  // cannot be true.
  std::string out, err;
  const std::string accounts = dir_.path() + "/accounts.csv";
  std::ofstream(accounts) << "account_id,district_code,school_code,purpose,debits_must_not_exceed_credits\n"
                             "440103.treasury,440103,,other,否\n"
                             "440103.2144010301.training,440103,2144010301,school_training,是\n";
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "ledger", "--target=" + target_, "open", accounts}, &out, &err), 0)
      << out << err;
  const std::string transfers = dir_.path() + "/transfers.csv";
  std::ofstream(transfers) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                              "lw-extra,440103.treasury,440103.2144010301.training,1000.00,2024\n"
                              "hd-extra,440114.education_budget,440114.2144011401.training,2000000.00,2024\n";
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "ledger", "--target=" + target_, "post", transfers}, &out, &err), 0)
      << out << err;
  for (iv1::EvaluationView view : {iv1::EVALUATION_VIEW_BASIC, iv1::EVALUATION_VIEW_FULL}) {
    iv1::EvaluateCityResponse city;
    const grpc::Status status = City(view, &city);
    ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
    EXPECT_NE(status.error_message().find("cannot be true: 440103 (1 problem), 440114 (1 problem)"), std::string::npos)
        << status.error_message();
    const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
    ASSERT_EQ(violations.size(), 2u) << status.error_message();
    EXPECT_EQ(violations[0].field, "districts[440103].schools[2144010301].funding.training_budget_fen");
    EXPECT_EQ(violations[1].field, "districts[440114].schools[2144011401].funding.training_budget_fen");
    for (const FieldViolation& v : violations) {
      EXPECT_NE(v.description.find("the training budget"), std::string::npos) << v.description;
    }
  }
  // The other districts still evaluate one by one.
  iv1::EvaluateDistrictResponse tianhe;
  EXPECT_TRUE(District("440106", iv1::EVALUATION_VIEW_BASIC, &tianhe).ok());
}

}  // namespace
}  // namespace gzedu
