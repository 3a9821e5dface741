// The real gzedu-school-registry binary on port 0 with a temporary SQLite
// file, driven through generated stubs.
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "common/grpc/status_conversion.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/common/v1/errors.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/server_process.h"

namespace gzedu::registry {
namespace {

using gzedu::testing::HttpGet;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;

v1::School School(int n, const std::string& district = "440114") {
  v1::School school;
  char code[11];
  std::snprintf(code, sizeof code, "31%08d", n);
  school.set_school_code(code);
  school.set_name("测试学校" + std::to_string(n));
  school.set_district_code(district);
  school.set_school_type(v1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(v1::OWNERSHIP_PUBLIC);
  school.set_locale(v1::LOCALE_URBAN);
  return school;
}

// The registry binary and a stub for it.
class RegistryServer : public gzedu::testing::ServerProcess {
 public:
  explicit RegistryServer(const std::string& database_path)
      : ServerProcess(GZEDU_REGISTRY_BINARY, database_path), stub_(v1::SchoolRegistryService::NewStub(channel())) {}

  v1::SchoolRegistryService::Stub& stub() { return *stub_; }

  int Stop(int signal) {
    stub_.reset();
    return ServerProcess::Stop(signal);
  }

 private:
  std::unique_ptr<v1::SchoolRegistryService::Stub> stub_;
};

class RegistryServerTest : public ::testing::Test {
 protected:
  RegistryServerTest()
      : database_(dir_.path() + "/registry.db"), server_(std::make_unique<RegistryServer>(database_)) {}

  grpc::Status Upsert(const std::string& request_id, const std::vector<v1::School>& schools,
                      v1::UpsertSchoolsResponse* response) {
    v1::UpsertSchoolsRequest request;
    request.set_request_id(request_id);
    for (const v1::School& school : schools) *request.add_schools() = school;
    grpc::ClientContext context;
    return server_->stub().UpsertSchools(&context, request, response);
  }

  int64_t LatestVersion() {
    v1::ListChangesRequest request;
    v1::ListChangesResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(server_->stub().ListChanges(&context, request, &response).ok());
    return response.latest_version();
  }

  TempDir dir_;
  std::string database_;
  std::unique_ptr<RegistryServer> server_;
};

TEST_F(RegistryServerTest, FiveHundredSchoolsComeBackPageByPage) {
  std::vector<v1::School> schools;
  for (int i = 0; i < 500; ++i) schools.push_back(School(i, i % 2 ? "440114" : "440103"));
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("load-500", schools, &response).ok());
  EXPECT_EQ(response.summary().created_count(), 500);

  std::vector<std::string> codes;
  v1::ListSchoolsRequest request;
  request.set_page_size(37);
  int pages = 0;
  do {
    v1::ListSchoolsResponse page;
    grpc::ClientContext context;
    ASSERT_TRUE(server_->stub().ListSchools(&context, request, &page).ok());
    for (const v1::School& school : page.schools()) codes.push_back(school.school_code());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 14);  // 13 full pages of 37 and one of 19
  ASSERT_EQ(codes.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(codes[i], School(i).school_code());

  v1::GetSchoolRequest get;
  get.set_school_code(School(123).school_code());
  v1::GetSchoolResponse got;
  grpc::ClientContext context;
  ASSERT_TRUE(server_->stub().GetSchool(&context, get, &got).ok());
  EXPECT_EQ(got.school().name(), "测试学校123");
  EXPECT_EQ(got.school().district_code(), "440114");
}

TEST_F(RegistryServerTest, InvalidBatchWritesNothingAndListsEveryViolation) {
  v1::School bad_code = School(2);
  bad_code.set_school_code("123");
  v1::School bad_district = School(3);
  bad_district.set_district_code("110101");
  bad_district.set_ownership(v1::OWNERSHIP_UNSPECIFIED);
  v1::UpsertSchoolsResponse response;
  const grpc::Status status = Upsert("bad", {School(1), bad_code, bad_district}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsFromGrpcStatus(status)) fields.push_back(v.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"schools[1].school_code", "schools[2].district_code", "schools[2].ownership"}));
  EXPECT_EQ(LatestVersion(), 0);
  v1::GetSchoolRequest get;
  get.set_school_code(School(1).school_code());
  v1::GetSchoolResponse got;
  grpc::ClientContext context;
  EXPECT_EQ(server_->stub().GetSchool(&context, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(RegistryServerTest, ARefusedBatchCarriesItsViolationsInChineseInTheSameOrder) {
  v1::School bad_code = School(2);
  bad_code.set_school_code("123");
  v1::School bad_district = School(3);
  bad_district.set_district_code("110101");
  bad_district.set_ownership(v1::OWNERSHIP_UNSPECIFIED);
  bad_district.set_name("");
  v1::UpsertSchoolsResponse response;
  const grpc::Status status = Upsert("bad-zh", {bad_code, School(1), bad_district}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // The English stays where clients read it: the message and details(0).
  EXPECT_EQ(status.error_message().rfind("invalid UpsertSchools request", 0), 0u) << status.error_message();
  google::rpc::Status rich;
  ASSERT_TRUE(rich.ParseFromString(status.error_details()));
  ASSERT_EQ(rich.details_size(), 3);
  google::rpc::BadRequest english;
  ASSERT_TRUE(rich.details(0).UnpackTo(&english));
  gzedu::common::v1::LocalizedFieldViolations chinese;
  ASSERT_TRUE(rich.details(1).UnpackTo(&chinese));
  EXPECT_EQ(chinese.locale(), "zh-CN");
  ASSERT_EQ(english.field_violations_size(), 4);
  ASSERT_EQ(chinese.field_violations_size(), english.field_violations_size());
  for (int i = 0; i < english.field_violations_size(); ++i) {
    EXPECT_EQ(chinese.field_violations(i).field(), english.field_violations(i).field());
    EXPECT_NE(chinese.field_violations(i).description(), english.field_violations(i).description());
  }
  EXPECT_EQ(chinese.field_violations(0).field(), "schools[0].school_code");
  EXPECT_EQ(chinese.field_violations(0).description(), "必须是 10 位数字的全国学校标识码");
  EXPECT_EQ(chinese.field_violations(2).field(), "schools[2].district_code");
  EXPECT_EQ(chinese.field_violations(2).description(), "“110101”不是广州市 11 个区的区代码之一（440103 … 440118）");
  google::rpc::LocalizedMessage headline;
  ASSERT_TRUE(rich.details(2).UnpackTo(&headline));
  EXPECT_EQ(headline.locale(), "zh-CN");
  EXPECT_EQ(headline.message(), "写入学校的请求有误");

  // A status that is not a violation carries its Chinese too.
  v1::GetSchoolRequest get;
  get.set_school_code(School(1).school_code());
  v1::GetSchoolResponse got;
  grpc::ClientContext context;
  const grpc::Status missing = server_->stub().GetSchool(&context, get, &got);
  ASSERT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_message(), "school " + School(1).school_code() + " is not registered");
  EXPECT_EQ(ChineseMessageFromGrpcStatus(missing), "学校 " + School(1).school_code() + " 未登记");
}

TEST_F(RegistryServerTest, SchoolYearRecordsThatCannotBeTrueAreRefusedWithEveryViolation) {
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("schools", {School(1), School(2)}, &response).ok());
  v1::UpsertSchoolYearRecordsRequest records;
  records.set_request_id("impossible");
  v1::SchoolYearRecord* primary = records.add_records();
  primary->set_school_code(School(1).school_code());
  primary->set_school_year(2024);
  v1::SchoolSection* junior = primary->add_sections();  // a junior section in a primary school
  junior->set_stage(common::v1::STAGE_JUNIOR);
  junior->set_students(100001);                                  // beyond the bound
  primary->mutable_facilities()->set_teaching_area_m2(450.125);  // three decimals
  v1::SchoolYearRecord* sizes = records.add_records();
  sizes->set_school_code(School(2).school_code());
  sizes->set_school_year(2024);
  v1::SchoolSection* section = sizes->add_sections();
  section->set_stage(common::v1::STAGE_PRIMARY);
  section->set_students(91);
  section->set_classes(2);
  section->add_class_sizes(45);  // adding up to 90, not 91
  section->add_class_sizes(45);
  v1::UpsertSchoolYearRecordsResponse records_response;
  grpc::ClientContext context;
  const grpc::Status status = server_->stub().UpsertSchoolYearRecords(&context, records, &records_response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::map<std::string, std::string> violations;
  for (const FieldViolation& v : FieldViolationsFromGrpcStatus(status)) violations[v.field] = v.description;
  EXPECT_EQ(violations["records[0].sections[0].students"], "100001 is above the limit of 100000 students per section");
  EXPECT_EQ(violations["records[0].sections[0].stage"], "this school's type has no junior section");
  EXPECT_EQ(violations["records[0].facilities.teaching_area_m2"],
            "450.125 has more than two decimals (m² are kept to hundredths)");
  EXPECT_EQ(violations["records[1].sections[0].class_sizes"], "add up to 90 but students is 91");
  EXPECT_EQ(violations.size(), 4u);
  EXPECT_EQ(LatestVersion(), 2);  // the two schools, nothing of the records
}

TEST_F(RegistryServerTest, ReplayedRequestIdWritesNothing) {
  v1::UpsertSchoolsResponse first;
  ASSERT_TRUE(Upsert("once", {School(1), School(2)}, &first).ok());
  v1::UpsertSchoolsResponse second;
  ASSERT_TRUE(Upsert("once", {School(1), School(2)}, &second).ok());
  EXPECT_TRUE(second.summary().replayed());
  EXPECT_EQ(second.summary().created_count(), 2);
  EXPECT_EQ(second.summary().last_change_version(), first.summary().last_change_version());
  EXPECT_EQ(LatestVersion(), 2);
  v1::UpsertSchoolsResponse third;
  EXPECT_EQ(Upsert("once", {School(3)}, &third).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(LatestVersion(), 2);
}

TEST_F(RegistryServerTest, ChangeFeedShowsUpsertsAndTombstonesInOrder) {
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("a", {School(1), School(2)}, &response).ok());
  v1::UpsertSchoolYearRecordsRequest records;
  records.set_request_id("b");
  v1::SchoolYearRecord* record = records.add_records();
  record->set_school_code(School(1).school_code());
  record->set_school_year(2024);
  v1::SchoolSection* section = record->add_sections();
  section->set_stage(common::v1::STAGE_PRIMARY);
  section->set_students(40);
  section->set_classes(1);
  v1::UpsertSchoolYearRecordsResponse records_response;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(server_->stub().UpsertSchoolYearRecords(&context, records, &records_response).ok());
  }
  v1::DeleteSchoolRequest deletion;
  deletion.set_request_id("c");
  deletion.set_school_code(School(1).school_code());
  v1::DeleteSchoolResponse deleted;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(server_->stub().DeleteSchool(&context, deletion, &deleted).ok());
  }

  std::vector<std::string> feed;
  int64_t since = 0;
  while (true) {
    v1::ListChangesRequest request;
    request.set_since_version(since);
    request.set_page_size(2);
    v1::ListChangesResponse page;
    grpc::ClientContext context;
    ASSERT_TRUE(server_->stub().ListChanges(&context, request, &page).ok());
    EXPECT_EQ(page.latest_version(), 5);
    if (page.changes().empty()) break;
    for (const v1::Change& change : page.changes()) {
      EXPECT_EQ(change.change_version(), since + 1);
      since = change.change_version();
      std::string entry = change.kind() == common::v1::CHANGE_KIND_UPSERT ? "upsert " : "delete ";
      switch (change.entity_case()) {
        case v1::Change::kSchool:
          entry += "school " + change.school().school_code();
          break;
        case v1::Change::kSchoolYearRecord:
          entry += "record " + change.school_year_record().school_code();
          break;
        case v1::Change::kDeletedSchoolCode:
          entry += "school " + change.deleted_school_code();
          break;
        case v1::Change::kDeletedSchoolYear:
          entry += "record " + change.deleted_school_year().school_code();
          break;
        default:
          entry += "?";
      }
      feed.push_back(entry + " " + change.request_id());
    }
  }
  const std::string one = School(1).school_code();
  const std::string two = School(2).school_code();
  EXPECT_EQ(feed, (std::vector<std::string>{"upsert school " + one + " a", "upsert school " + two + " a",
                                            "upsert record " + one + " b", "delete record " + one + " c",
                                            "delete school " + one + " c"}));
}

TEST_F(RegistryServerTest, KillNineRightAfterAnAcknowledgedWriteLosesNothing) {
  for (int batch = 0; batch < 20; ++batch) {
    v1::UpsertSchoolsResponse response;
    std::vector<v1::School> schools;
    for (int i = 0; i < 10; ++i) schools.push_back(School(batch * 10 + i));
    ASSERT_TRUE(Upsert("batch-" + std::to_string(batch), schools, &response).ok());
  }
  // SIGKILL the moment the last acknowledgement is in: no shutdown path runs.
  EXPECT_EQ(server_->process().Stop(SIGKILL), 128 + SIGKILL);
  server_ = std::make_unique<RegistryServer>(database_);
  EXPECT_EQ(LatestVersion(), 200);
  v1::ListSchoolsRequest request;
  request.set_page_size(1000);
  v1::ListSchoolsResponse page;
  grpc::ClientContext context;
  ASSERT_TRUE(server_->stub().ListSchools(&context, request, &page).ok());
  EXPECT_EQ(page.schools_size(), 200);
  // A replay after the restart is still recognised.
  v1::UpsertSchoolsResponse replay;
  std::vector<v1::School> last;
  for (int i = 0; i < 10; ++i) last.push_back(School(190 + i));
  ASSERT_TRUE(Upsert("batch-19", last, &replay).ok());
  EXPECT_TRUE(replay.summary().replayed());
}

TEST_F(RegistryServerTest, ASecondProcessCannotOpenTheSameSqliteFile) {
  // The first server answers reads from memory, exact only while it is the
  // file's one writer: a second server on the file must not start.
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("one", {School(1)}, &response).ok());
  Subprocess second({GZEDU_REGISTRY_BINARY, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                     "--database=sqlite://" + database_});
  EXPECT_NE(second.Wait(), 0);
  const std::string refusal = second.stderr_text();
  EXPECT_NE(refusal.find(database_), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("pid " + std::to_string(server_->process().pid())), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("in use by another process"), std::string::npos) << refusal;
  // Nor through another name of the same file (a symbolic link to it, or to
  // its directory).
  const std::string link = database_ + "-link.db";
  const std::string dir_link = database_ + "-dir";
  ASSERT_EQ(::symlink(database_.c_str(), link.c_str()), 0);
  ASSERT_EQ(::symlink(std::filesystem::path(database_).parent_path().c_str(), dir_link.c_str()), 0);
  for (const std::string& name : {link, dir_link + "/" + std::filesystem::path(database_).filename().string()}) {
    Subprocess other(
        {GZEDU_REGISTRY_BINARY, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0", "--database=sqlite://" + name});
    EXPECT_NE(other.Wait(), 0) << name;
    EXPECT_NE(other.stderr_text().find("in use by another process"), std::string::npos) << other.stderr_text();
  }
  // The first still serves, and once it is gone the file opens again.
  EXPECT_EQ(LatestVersion(), 1);
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  server_ = std::make_unique<RegistryServer>(database_);
  EXPECT_EQ(LatestVersion(), 1);
}

TEST_F(RegistryServerTest, MetricsCountTheCallsWithBoundedLabels) {
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("m1", {School(1)}, &response).ok());
  ASSERT_TRUE(Upsert("m2", {School(2)}, &response).ok());
  v1::School bad = School(3);
  bad.set_district_code("0");
  EXPECT_FALSE(Upsert("m3", {bad}, &response).ok());
  // A method the service does not have.
  grpc::GenericStub generic(server_->channel());
  grpc::ClientContext context;
  grpc::ByteBuffer reply;
  grpc::Status unknown_status;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Slice empty_message("");
  const grpc::ByteBuffer request(&empty_message, 1);
  generic.UnaryCall(&context, "/gzedu.registry.v1.SchoolRegistryService/NoSuchMethod", grpc::StubOptions(), &request,
                    &reply, [&](grpc::Status status) {
                      std::lock_guard<std::mutex> lock(mutex);
                      unknown_status = status;
                      done = true;
                      done_cv.notify_all();
                    });
  {
    std::unique_lock<std::mutex> lock(mutex);
    done_cv.wait(lock, [&] { return done; });
  }
  EXPECT_EQ(unknown_status.error_code(), grpc::StatusCode::UNIMPLEMENTED);

  const std::string metrics = HttpGet(server_->metrics_address(), "/metrics");
  const std::string prefix =
      "grpc_server_handled_total{grpc_code=\"%s\",grpc_method=\"UpsertSchools\","
      "grpc_service=\"gzedu.registry.v1.SchoolRegistryService\",grpc_type=\"unary\"} ";
  char ok_line[512];
  std::snprintf(ok_line, sizeof ok_line, prefix.c_str(), "OK");
  char invalid_line[512];
  std::snprintf(invalid_line, sizeof invalid_line, prefix.c_str(), "InvalidArgument");
  EXPECT_NE(metrics.find(std::string(ok_line) + "2"), std::string::npos) << metrics.substr(0, 2000);
  EXPECT_NE(metrics.find(std::string(invalid_line) + "1"), std::string::npos);
  EXPECT_NE(metrics.find("grpc_server_handled_total{grpc_code=\"Unimplemented\",grpc_method=\"unknown\","
                         "grpc_service=\"unknown\",grpc_type=\"unknown\"} 1"),
            std::string::npos);
  EXPECT_EQ(metrics.find("NoSuchMethod"), std::string::npos);
  EXPECT_NE(metrics.find("grpc_server_handling_seconds_bucket"), std::string::npos);
  EXPECT_NE(
      metrics.find("gzedu_storage_operation_seconds_count{operation=\"put_school\",service=\"school_registry\"} 2"),
      std::string::npos);
}

TEST_F(RegistryServerTest, HealthTurnsServingForTheServiceName) {
  auto health = grpc::health::v1::Health::NewStub(server_->channel());
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  grpc::health::v1::HealthCheckRequest request;
  request.set_service("gzedu.registry.v1.SchoolRegistryService");
  auto reader = health->Watch(&context, request);
  grpc::health::v1::HealthCheckResponse response;
  bool serving = false;
  while (reader->Read(&response)) {
    if (response.status() == grpc::health::v1::HealthCheckResponse::SERVING) {
      serving = true;
      break;
    }
  }
  EXPECT_TRUE(serving);
  context.TryCancel();
}

TEST_F(RegistryServerTest, SigtermStopsTheServerCleanly) {
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_NE(server_->process().stderr_text().find("\"msg\":\"stopped\""), std::string::npos);
}

TEST_F(RegistryServerTest, LogsCarryTheRequestId) {
  v1::UpsertSchoolsResponse response;
  ASSERT_TRUE(Upsert("trace-me-42", {School(1)}, &response).ok());
  server_->Stop(SIGTERM);
  EXPECT_NE(server_->process().stderr_text().find("\"request_id\":\"trace-me-42\""), std::string::npos);
}

}  // namespace
}  // namespace gzedu::registry
