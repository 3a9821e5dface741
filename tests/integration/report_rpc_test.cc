// RenderEvaluationReport through `gzedu serve`, as a city platform fetches a
// report, and `gzedu report` against the same service: the same bytes.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "tests/support/subprocess.h"

namespace gzedu {
namespace {

namespace v1 = ::gzedu::indicators::v1;
using gzedu::testing::RunCommand;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

class ReportRpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    serve_ = std::make_unique<Subprocess>(std::vector<std::string>{GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0",
                                                                   "--metrics-listen=127.0.0.1:0",
                                                                   "--data-dir=" + dir_.path()});
    target_ = gzedu::testing::WordValue(serve_->WaitForLine("listening "), "grpc");
    ASSERT_FALSE(target_.empty()) << serve_->stderr_text();
    std::string out, err;
    ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "import", "bundle", std::string(GZEDU_SOURCE_DIR) + "/data/sample",
                          "--target=" + target_, "--quiet"},
                         &out, &err),
              0)
        << out << err;
    stub_ = v1::IndicatorEvaluationService::NewStub(grpc::CreateChannel(target_, grpc::InsecureChannelCredentials()));
  }
  void TearDown() override {
    stub_.reset();  // the channel closes first, so the server need not wait for it
    EXPECT_EQ(serve_->Stop(SIGTERM), 0) << serve_->stderr_text();
  }

  grpc::Status Render(const v1::RenderEvaluationReportRequest& request, v1::RenderEvaluationReportResponse* response) {
    grpc::ClientContext context;
    return stub_->RenderEvaluationReport(&context, request, response);
  }

  TempDir dir_;
  std::unique_ptr<Subprocess> serve_;
  std::string target_;
  std::unique_ptr<v1::IndicatorEvaluationService::Stub> stub_;
};

TEST_F(ReportRpcTest, TheWorkbookFromTheServiceIsTheWorkbookTheCliWrites) {
  v1::RenderEvaluationReportRequest request;
  request.set_district_code("440114");
  request.set_school_year(2024);
  request.set_format(v1::REPORT_FORMAT_XLSX);
  v1::RenderEvaluationReportResponse response;
  ASSERT_TRUE(Render(request, &response).ok());
  EXPECT_EQ(response.content().substr(0, 2), "PK");
  EXPECT_EQ(response.file_name(), "440114-2024.xlsx");
  EXPECT_EQ(response.media_type(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

  const std::string file = dir_.path() + "/huadu.xlsx";
  std::string out, err;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "report", "--target=" + target_, "--district", "440114", "--year", "2024",
                        "--format", "xlsx", "--out", file},
                       &out, &err),
            0)
      << err;
  std::ifstream in(file, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  EXPECT_EQ(bytes.str(), response.content());
}

TEST_F(ReportRpcTest, TheCityPageNamesEveryDistrictAndTheTextIsChineseByDefault) {
  std::string out, err;
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "report", "--target=" + target_, "--district", "all", "--format", "html"},
                       &out, &err),
            0)
      << err;
  EXPECT_EQ(out.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* district : {"荔湾区", "天河区", "花都区", "增城区"})
    EXPECT_NE(out.find(district), std::string::npos);
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "report", "--target=" + target_, "--district", "440114"}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("（一）资源配置"), std::string::npos) << out.substr(0, 500);
  ASSERT_EQ(RunCommand({GZEDU_CLI_BINARY, "report", "--target=" + target_, "--district", "440114", "--format", "csv",
                        "--lang", "en"},
                       &out, &err),
            0)
      << err;
  EXPECT_EQ(out.rfind("district_code,school_code,", 0), 0u) << out.substr(0, 200);
}

TEST_F(ReportRpcTest, RefusesARequestWithoutAFormatNamingTheField) {
  v1::RenderEvaluationReportRequest request;
  request.set_district_code("440114");
  request.set_school_year(2024);
  v1::RenderEvaluationReportResponse response;
  const grpc::Status status = Render(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  request.set_format(v1::REPORT_FORMAT_TEXT);
  request.set_district_code("999999");
  EXPECT_EQ(Render(request, &response).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace gzedu
