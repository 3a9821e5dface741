// GetSchool and ListSchools answered from memory (EncodedSchools, kept exact
// by ObservedSchoolRepository) against the same calls answered from the
// store: two real servers on port 0 over one registry, one with the
// in-memory copy and one without, on each store a single process owns (in
// memory, SQLite). After every kind of write, every answer of the first must
// equal the second's: each school, every page of every district at several
// page sizes, the tokens, the refusals.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "services/school_registry/domain/observed_school_repository.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/school_registry_grpc_service.h"
#include "services/school_registry/storage/in_memory_school_repository.h"
#include "services/school_registry/storage/sql_school_repository.h"
#include "tests/support/subprocess.h"

namespace gzedu::registry {
namespace {

using gzedu::testing::TempDir;

constexpr const char* kLiwan = "440103";
constexpr const char* kHuadu = "440114";
constexpr const char* kTianhe = "440106";

v1::School School(int n, const std::string& district, const std::string& name = "") {
  v1::School school;
  char code[16];
  std::snprintf(code, sizeof code, "44%08d", n % 100000000);
  school.set_school_code(code);
  school.set_name(name.empty() ? "学校" + std::to_string(n) : name);
  school.set_district_code(district);
  school.set_school_type(v1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(n % 2 ? v1::OWNERSHIP_PUBLIC : v1::OWNERSHIP_PRIVATE);
  school.set_locale(v1::LOCALE_URBAN);
  school.set_boarding(n % 3 == 0);
  school.set_build_year(1990 + n % 30);
  return school;
}

// One server on loopback port 0 hosting `service`.
class InProcessServer {
 public:
  explicit InProcessServer(grpc::Service* service) {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service);
    server_ = builder.BuildAndStart();
    stub_ = v1::SchoolRegistryService::NewStub(
        grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  }
  ~InProcessServer() {
    stub_.reset();
    server_->Shutdown();
  }
  v1::SchoolRegistryService::Stub& stub() { return *stub_; }

 private:
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SchoolRegistryService::Stub> stub_;
};

// What one call answered: its status (code, message, details) and response.
struct Answer {
  grpc::StatusCode code;
  std::string message;
  std::string details;
  std::string response;
  bool operator==(const Answer& other) const {
    return code == other.code && message == other.message && details == other.details && response == other.response;
  }
};

std::ostream& operator<<(std::ostream& out, const Answer& answer) {
  return out << answer.code << " '" << answer.message << "' (" << answer.response.size() << " bytes)";
}

Answer Get(v1::SchoolRegistryService::Stub& stub, const std::string& code) {
  v1::GetSchoolRequest request;
  request.set_school_code(code);
  v1::GetSchoolResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub.GetSchool(&context, request, &response);
  return {status.error_code(), status.error_message(), status.error_details(), response.SerializeAsString()};
}

Answer List(v1::SchoolRegistryService::Stub& stub, const std::string& district, int page_size, const std::string& token,
            std::string* next_token) {
  v1::ListSchoolsRequest request;
  request.set_district_code(district);
  request.set_page_size(page_size);
  request.set_page_token(token);
  v1::ListSchoolsResponse response;
  grpc::ClientContext context;
  const grpc::Status status = stub.ListSchools(&context, request, &response);
  *next_token = response.next_page_token();
  return {status.error_code(), status.error_message(), status.error_details(), response.SerializeAsString()};
}

enum class Store { kInMemory, kSqlite };

class RegistryReadsTest : public ::testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    if (GetParam() == Store::kInMemory) {
      store_ = std::make_unique<InMemorySchoolRepository>();
    } else {
      auto sqlite = SqlSchoolRepository::Open("sqlite:" + dir_.path() + "/registry.db", nullptr);
      ASSERT_TRUE(sqlite.ok()) << sqlite.status();
      store_ = std::move(*sqlite);
    }
    observed_ = std::make_unique<ObservedSchoolRepository>(store_.get());
    registry_ = std::make_unique<SchoolRegistry>(observed_.get());
    from_memory_service_ = std::make_unique<SchoolRegistryGrpcService>(registry_.get(), observed_.get());
    from_store_service_ = std::make_unique<SchoolRegistryGrpcService>(registry_.get(), nullptr);
    from_memory_ = std::make_unique<InProcessServer>(from_memory_service_.get());
    from_store_ = std::make_unique<InProcessServer>(from_store_service_.get());
  }

  void TearDown() override {
    from_memory_.reset();
    from_store_.reset();
  }

  void Upsert(const std::vector<v1::School>& schools, bool dry_run = false) {
    v1::UpsertSchoolsRequest request;
    request.set_request_id("upsert-" + std::to_string(++requests_));
    request.set_dry_run(dry_run);
    for (const v1::School& school : schools) {
      *request.add_schools() = school;
      codes_.insert(school.school_code());
    }
    v1::UpsertSchoolsResponse response;
    grpc::ClientContext context;
    const grpc::Status status = from_memory_->stub().UpsertSchools(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void Delete(const std::string& code) {
    v1::DeleteSchoolRequest request;
    request.set_request_id("delete-" + std::to_string(++requests_));
    request.set_school_code(code);
    v1::DeleteSchoolResponse response;
    grpc::ClientContext context;
    const grpc::Status status = from_memory_->stub().DeleteSchool(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void UpsertRecord(const std::string& code, int32_t year) {
    v1::UpsertSchoolYearRecordsRequest request;
    request.set_request_id("records-" + std::to_string(++requests_));
    v1::SchoolYearRecord* record = request.add_records();
    record->set_school_code(code);
    record->set_school_year(year);
    v1::SchoolSection* section = record->add_sections();
    section->set_stage(gzedu::common::v1::STAGE_PRIMARY);
    section->set_students(90);
    section->set_classes(2);
    v1::UpsertSchoolYearRecordsResponse response;
    grpc::ClientContext context;
    const grpc::Status status = from_memory_->stub().UpsertSchoolYearRecords(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Every school ever written (and one never written), and every page of
  // every district at several page sizes, answered alike by both servers.
  void ExpectSameAnswers(const std::string& step) {
    SCOPED_TRACE(step);
    std::set<std::string> codes = codes_;
    codes.insert("4499999999");  // never registered
    codes.insert("44");          // invalid
    for (const std::string& code : codes) {
      EXPECT_EQ(Get(from_memory_->stub(), code), Get(from_store_->stub(), code)) << "GetSchool " << code;
    }
    for (const std::string district : {"", kLiwan, kHuadu, kTianhe, "440111", "4401"}) {
      for (int page_size : {1, 7, 0, 1000, 1001}) {
        std::string token;
        int pages = 0;
        do {
          std::string memory_token;
          std::string store_token;
          const Answer memory = List(from_memory_->stub(), district, page_size, token, &memory_token);
          const Answer store = List(from_store_->stub(), district, page_size, token, &store_token);
          ASSERT_EQ(memory, store) << "ListSchools '" << district << "' page_size " << page_size << " page " << pages;
          token = memory_token;
          ++pages;
        } while (!token.empty());
      }
    }
    std::string ignored;
    EXPECT_EQ(List(from_memory_->stub(), "", 5, "not a token", &ignored),
              List(from_store_->stub(), "", 5, "not a token", &ignored));
  }

  TempDir dir_;
  std::unique_ptr<SchoolRepository> store_;
  std::unique_ptr<ObservedSchoolRepository> observed_;
  std::unique_ptr<SchoolRegistry> registry_;
  std::unique_ptr<SchoolRegistryGrpcService> from_memory_service_;
  std::unique_ptr<SchoolRegistryGrpcService> from_store_service_;
  std::unique_ptr<InProcessServer> from_memory_;
  std::unique_ptr<InProcessServer> from_store_;
  std::set<std::string> codes_;
  int requests_ = 0;
};

TEST_P(RegistryReadsTest, AnswersFromMemoryEqualTheStoresAfterEveryKindOfWrite) {
  // Written before the first read: loaded from the store.
  std::vector<v1::School> first;
  for (int i = 0; i < 20; ++i) first.push_back(School(i, i % 3 == 0 ? kLiwan : i % 3 == 1 ? kHuadu : kTianhe));
  Upsert(first);
  ExpectSameAnswers("loaded from the store");

  // Written after the load: applied to the copy at commit.
  std::vector<v1::School> more;
  for (int i = 20; i < 45; ++i) more.push_back(School(i, i % 2 ? kHuadu : kTianhe));
  Upsert(more);
  ExpectSameAnswers("new schools");

  Upsert({School(3, kLiwan, "改名的学校"), School(4, kHuadu, "另一个新名字"), School(5, kTianhe)});
  ExpectSameAnswers("renamed (and one unchanged)");

  UpsertRecord(School(6, kLiwan).school_code(), 2024);
  Upsert({School(6, kHuadu)});  // moved, with its record
  Upsert({School(7, kLiwan)});  // moved
  ExpectSameAnswers("moved between districts");

  Delete(School(8, kTianhe).school_code());
  Delete(School(0, kLiwan).school_code());
  ExpectSameAnswers("deleted");

  Upsert({School(8, kLiwan, "重建的学校")});
  ExpectSameAnswers("registered again after its deletion");

  UpsertRecord(School(9, kLiwan).school_code(), 2024);
  UpsertRecord(School(9, kLiwan).school_code(), 2025);
  ExpectSameAnswers("school-year records written");

  Upsert({School(10, kLiwan, "试运行的名字"), School(99, kLiwan)}, /*dry_run=*/true);
  ExpectSameAnswers("a dry run");

  // Every school of a district gone: its index empties.
  for (int i = 0; i < 45; ++i) {
    const v1::School school = School(i, kLiwan);
    if (Get(from_store_->stub(), school.school_code()).code != grpc::StatusCode::OK) continue;
    v1::GetSchoolResponse stored;
    ASSERT_TRUE(stored.ParseFromString(Get(from_store_->stub(), school.school_code()).response));
    if (stored.school().district_code() == kLiwan) Delete(school.school_code());
  }
  ExpectSameAnswers("a district emptied");
}

INSTANTIATE_TEST_SUITE_P(SingleProcessStores, RegistryReadsTest, ::testing::Values(Store::kInMemory, Store::kSqlite),
                         [](const ::testing::TestParamInfo<Store>& param) {
                           return param.param == Store::kInMemory ? "InMemory" : "Sqlite";
                         });

}  // namespace
}  // namespace gzedu::registry
