// District-scoped access through the real binaries, with --auth-key-file:
// calls without a valid token are refused, readers cannot write, a Huadu
// writer cannot write Liwan's data (single rows and mixed batches, refused
// whole, naming the rows), watches stay in scope, the evaluation service
// reads its sources with a token of its own, and the audit log records each
// case without the token.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <fstream>
#include <mutex>
#include <sstream>

#include "common/auth/token.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;
namespace rv1 = gzedu::registry::v1;
namespace fv1 = gzedu::funding::v1;
namespace tv1 = gzedu::rotation::v1;
namespace iv1 = gzedu::indicators::v1;

constexpr char kHuadu[] = "440114";
constexpr char kLiwan[] = "440103";
const std::string kKey = "a-test-signing-key-of-forty-bytes-length!";

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string Token(Role role, std::set<std::string> districts, int64_t expires_in = 3600,
                  const std::string& key = kKey) {
  Principal p;
  p.subject = RoleName(role) + "-of-" + (districts.empty() ? std::string("city") : *districts.begin());
  p.role = role;
  p.whole_city = districts.empty();
  p.district_codes = std::move(districts);
  p.issued_at_unix_s = Now() - 7200;
  p.expires_at_unix_s = Now() + expires_in;
  absl::StatusOr<std::string> token = IssueToken(key, p);
  EXPECT_TRUE(token.ok()) << token.status();
  return token.ok() ? *token : std::string();
}

std::shared_ptr<grpc::Channel> As(const std::string& address, const std::string& token) {
  BearerToken bearer;
  if (!token.empty()) bearer = [token] { return token; };
  return OpenChannel(address, ClientTls{}, bearer);
}

rv1::School School(int n, const std::string& district) {
  rv1::School school;
  const std::string code = std::to_string(n);
  school.set_school_code("31" + std::string(8 - code.size(), '0') + code);
  school.set_name("测试学校" + code);
  school.set_district_code(district);
  school.set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(rv1::OWNERSHIP_PUBLIC);
  school.set_locale(rv1::LOCALE_URBAN);
  return school;
}

grpc::Status UpsertSchools(const std::string& address, const std::string& token, const std::string& request_id,
                           const std::vector<rv1::School>& schools) {
  rv1::UpsertSchoolsRequest request;
  request.set_request_id(request_id);
  for (const rv1::School& s : schools) *request.add_schools() = s;
  rv1::UpsertSchoolsResponse response;
  grpc::ClientContext context;
  return rv1::SchoolRegistryService::NewStub(As(address, token))->UpsertSchools(&context, request, &response);
}

int CountSchools(const std::string& address, const std::string& token) {
  rv1::ListSchoolsRequest request;
  request.set_page_size(1000);
  rv1::ListSchoolsResponse response;
  grpc::ClientContext context;
  const grpc::Status status =
      rv1::SchoolRegistryService::NewStub(As(address, token))->ListSchools(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.schools_size();
}

// The fields named by a refusal's BadRequest.
std::vector<std::string> Fields(const grpc::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : FieldViolationsFromGrpcStatus(status)) fields.push_back(v.field);
  return fields;
}

class AuthTest : public ::testing::Test {
 protected:
  AuthTest() {
    key_file_ = dir_.path() + "/signing.key";
    std::ofstream(key_file_) << kKey << "\n";
  }
  std::vector<std::string> Flags() const { return {"--auth-key-file=" + key_file_}; }

  TempDir dir_;
  std::string key_file_;
};

// An empty unary call of `method` (/package.Service/Method) on `channel`
// without a token; its status.
grpc::Status CallWithoutToken(const std::shared_ptr<grpc::Channel>& channel, const std::string& method) {
  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice empty("");
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer reply;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status result;
  generic.UnaryCall(&context, method, grpc::StubOptions(), &request, &reply, [&](grpc::Status status) {
    std::lock_guard<std::mutex> lock(mutex);
    result = status;
    done = true;
    done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mutex);
  done_cv.wait(lock, [&] { return done; });
  return result;
}

// A guard for handlers to come: every method of every service, taken from
// the contracts' descriptors, refuses a call without a token, before
// validating anything.
TEST_F(AuthTest, EveryMethodOfEveryServiceRefusesACallWithoutAToken) {
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", Flags());
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir_.path() + "/t.db", Flags());
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir_.path() + "/l.db", Flags());
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir_.path() + "/e.db", Flags());
  const std::vector<std::pair<const google::protobuf::ServiceDescriptor*, ServerProcess*>> services = {
      {google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
           rv1::SchoolRegistryService::service_full_name()),
       &registry},
      {google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
           tv1::TeacherRotationService::service_full_name()),
       &rotation},
      {google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
           fv1::FundingLedgerService::service_full_name()),
       &ledger},
      {google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
           iv1::IndicatorEvaluationService::service_full_name()),
       &evaluation},
  };
  int checked = 0;
  for (const auto& [service, server] : services) {
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (method->server_streaming()) continue;  // WatchIndicators: below
      const std::string path = "/" + service->full_name() + "/" + method->name();
      EXPECT_EQ(CallWithoutToken(server->channel(), path).error_code(), grpc::StatusCode::UNAUTHENTICATED) << path;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 7 + 9 + 7 + 7);  // registry, rotation, ledger, evaluation (unary, with RenderEvaluationReport)
  auto stub = iv1::IndicatorEvaluationService::NewStub(evaluation.channel());
  grpc::ClientContext context;
  auto reader = stub->WatchIndicators(&context, iv1::WatchIndicatorsRequest());
  iv1::WatchIndicatorsResponse message;
  EXPECT_FALSE(reader->Read(&message));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  for (ServerProcess* server : {&evaluation, &ledger, &rotation, &registry}) server->Stop(SIGTERM);
}

// A key made as operators make them, `openssl rand -base64 48 > key`: the
// file ends in a newline. Tokens the CLI issues with it are accepted by a
// server reading the same file.
TEST_F(AuthTest, AKeyFileEndingInANewlineSignsCliTokensTheServersAccept) {
  std::string key, err;
  ASSERT_EQ(gzedu::testing::RunCommand({"openssl", "rand", "-base64", "48"}, &key, &err), 0) << err;
  ASSERT_EQ(key.back(), '\n');
  const std::string key_file = dir_.path() + "/openssl.key";
  std::ofstream(key_file, std::ios::binary) << key;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", {"--auth-key-file=" + key_file});
  for (const char* role : {"admin", "reader"}) {
    std::string token;
    ASSERT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "token", "issue", "--key-file", key_file, "--role", role,
                                          "--districts", "*", "--ttl", "10m"},
                                         &token, &err),
              0)
        << err;
    while (!token.empty() && token.back() == '\n') token.pop_back();
    rv1::ListSchoolsRequest request;
    rv1::ListSchoolsResponse response;
    grpc::ClientContext context;
    const grpc::Status status = rv1::SchoolRegistryService::NewStub(As(registry.grpc_address(), token))
                                    ->ListSchools(&context, request, &response);
    EXPECT_TRUE(status.ok()) << role << ": " << status.error_message();
  }
  // A key too short is refused by both, naming the file.
  const std::string short_file = dir_.path() + "/short.key";
  std::ofstream(short_file) << "too-short\n";
  std::string out;
  EXPECT_EQ(gzedu::testing::RunCommand(
                {GZEDU_CLI_BINARY, "token", "issue", "--key-file", short_file, "--role", "admin", "--districts", "*"},
                &out, &err),
            2);
  EXPECT_NE(err.find(short_file), std::string::npos) << err;
  EXPECT_EQ(
      gzedu::testing::RunCommand({GZEDU_REGISTRY_BINARY, "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                  "--database=sqlite://" + dir_.path() + "/short.db", "--auth-key-file=" + short_file},
                                 &out, &err),
      2);
  EXPECT_NE(err.find(short_file), std::string::npos) << err;
  registry.Stop(SIGTERM);
}

TEST_F(AuthTest, CallsWithoutAValidTokenAreUnauthenticated) {
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", Flags());
  const std::string address = registry.grpc_address();
  const std::vector<rv1::School> one = {School(1, kHuadu)};
  EXPECT_EQ(UpsertSchools(address, "", "none", one).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(UpsertSchools(address, Token(Role::kAdmin, {}, -10), "expired", one).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(
      UpsertSchools(address, Token(Role::kAdmin, {}, 3600, "some-other-key-that-is-long-enough!!"), "foreign", one)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  std::string tampered = Token(Role::kDistrictWriter, {kHuadu});
  tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(UpsertSchools(address, tampered, "tampered", one).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  // Reads too.
  rv1::ListSchoolsResponse schools;
  grpc::ClientContext context;
  EXPECT_EQ(rv1::SchoolRegistryService::NewStub(As(address, ""))
                ->ListSchools(&context, rv1::ListSchoolsRequest(), &schools)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CountSchools(address, Token(Role::kAdmin, {})), 0);  // nothing was written
  // The audit log has each refusal, and never a token.
  registry.Stop(SIGTERM);
  const std::string log = registry.process().stderr_text();
  EXPECT_GE(std::count(log.begin(), log.end(), '\n'), 5);
  EXPECT_NE(log.find(R"("msg":"audit")"), std::string::npos);
  EXPECT_NE(log.find(R"("outcome":"denied")"), std::string::npos);
  EXPECT_EQ(log.find(tampered.substr(0, 20)), std::string::npos) << "a token reached the log";
}

TEST_F(AuthTest, ReadersReadButCannotWrite) {
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", Flags());
  const std::string reader = Token(Role::kReader, {});
  const grpc::Status refused = UpsertSchools(registry.grpc_address(), reader, "reader-write", {School(1, kHuadu)});
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED) << refused.error_message();
  EXPECT_EQ(CountSchools(registry.grpc_address(), reader), 0);
  registry.Stop(SIGTERM);
  // The refusal's audit record names the reader who was refused.
  const std::string log = registry.process().stderr_text();
  bool audited = false;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(R"("msg":"audit")") == std::string::npos || line.find(R"("outcome":"denied")") == std::string::npos) {
      continue;
    }
    EXPECT_NE(line.find(R"("principal":"reader-of-city")"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("role":"reader")"), std::string::npos) << line;
    audited = true;
  }
  EXPECT_TRUE(audited) << log;
}

TEST_F(AuthTest, AHuaduWriterCannotWriteLiwanSchoolsAloneOrInAMixedBatch) {
  std::vector<std::string> flags = Flags();
  const std::string audit_log = dir_.path() + "/audit.jsonl";
  flags.push_back("--audit-log=" + audit_log);
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", flags);
  const std::string address = registry.grpc_address();
  const std::string huadu = Token(Role::kDistrictWriter, {kHuadu});
  const std::string admin = Token(Role::kAdmin, {});
  ASSERT_TRUE(UpsertSchools(address, huadu, "own", {School(1, kHuadu)}).ok());

  const grpc::Status single = UpsertSchools(address, huadu, "single", {School(2, kLiwan)});
  EXPECT_EQ(single.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fields(single), std::vector<std::string>{"schools[0].district_code"});

  const grpc::Status mixed =
      UpsertSchools(address, huadu, "mixed", {School(3, kHuadu), School(4, kLiwan), School(5, kHuadu)});
  EXPECT_EQ(mixed.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fields(mixed), std::vector<std::string>{"schools[1].district_code"});
  EXPECT_NE(mixed.error_message().find("440103"), std::string::npos) << mixed.error_message();

  // Moving a Liwan school into Huadu is writing Liwan's data too.
  ASSERT_TRUE(UpsertSchools(address, admin, "liwan", {School(6, kLiwan)}).ok());
  const grpc::Status moved = UpsertSchools(address, huadu, "move", {School(6, kHuadu)});
  EXPECT_EQ(moved.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fields(moved), std::vector<std::string>{"schools[0]"});

  EXPECT_EQ(CountSchools(address, admin), 2);  // school 1 and the admin's Liwan school: nothing of the refused

  // Reads: a Huadu reader lists Huadu's schools, not Liwan's, nor the whole
  // city's, and cannot fetch a Liwan school by its code.
  auto huadu_reader = rv1::SchoolRegistryService::NewStub(As(address, Token(Role::kReader, {kHuadu})));
  for (const std::string& district : {std::string(kHuadu), std::string(kLiwan), std::string()}) {
    rv1::ListSchoolsRequest list;
    list.set_district_code(district);
    rv1::ListSchoolsResponse listed;
    grpc::ClientContext context;
    const grpc::Status status = huadu_reader->ListSchools(&context, list, &listed);
    if (district == kHuadu) {
      EXPECT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(listed.schools_size(), 1);
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "district '" << district << "'";
    }
  }
  rv1::GetSchoolRequest get;
  get.set_school_code(School(6, kLiwan).school_code());
  rv1::GetSchoolResponse got;
  grpc::ClientContext get_context;
  EXPECT_EQ(huadu_reader->GetSchool(&get_context, get, &got).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(got.school().name().empty()) << "the Liwan school leaked";
  huadu_reader.reset();
  registry.Stop(SIGTERM);
  const std::string log = registry.process().stderr_text();
  EXPECT_NE(log.find(R"("method":"UpsertSchools")"), std::string::npos);
  EXPECT_NE(log.find(R"("principal":"district-writer-of-440114")"), std::string::npos);

  // The audit file, queried with the CLI: the Huadu writer's three refused
  // writes (single, mixed, move), with their request ids; and its one success.
  std::string out, err;
  ASSERT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "audit", audit_log, "--principal=district-writer-of-440114",
                                        "--outcome=denied", "--format=json"},
                                       &out, &err),
            0)
      << err;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3) << out;
  for (const char* id : {"\"single\"", "\"mixed\"", "\"move\""}) EXPECT_NE(out.find(id), std::string::npos) << out;
  ASSERT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "audit", audit_log, "--principal=district-writer-of-440114",
                                        "--outcome=ok", "--district=440114"},
                                       &out, &err),
            0);
  EXPECT_NE(err.find("1 of"), std::string::npos) << err << out;
  // No token in it.
  std::ifstream file(audit_log);
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("eyJ"), std::string::npos) << "a token reached the audit log";
}

TEST_F(AuthTest, AHuaduWriterCannotPostToALiwanAccount) {
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir_.path() + "/l.db", Flags());
  auto admin = fv1::FundingLedgerService::NewStub(As(ledger.grpc_address(), Token(Role::kAdmin, {})));
  auto huadu = fv1::FundingLedgerService::NewStub(As(ledger.grpc_address(), Token(Role::kDistrictWriter, {kHuadu})));
  fv1::CreateAccountsRequest open;
  open.set_request_id("open");
  for (const auto& [id, district] : std::vector<std::pair<std::string, std::string>>{
           {"huadu.budget", kHuadu}, {"huadu.school", kHuadu}, {"liwan.school", kLiwan}}) {
    fv1::Account* a = open.add_accounts();
    a->set_account_id(id);
    a->set_district_code(district);
    a->set_purpose(fv1::ACCOUNT_PURPOSE_OTHER);
  }
  fv1::CreateAccountsResponse opened;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(admin->CreateAccounts(&context, open, &opened).ok());
  }
  auto transfer = [](const std::string& id, const std::string& credit) {
    fv1::Transfer t;
    t.set_transfer_id(id);
    t.set_debit_account_id("huadu.budget");
    t.set_credit_account_id(credit);
    t.set_amount_fen(100);
    t.set_school_year(2024);
    return t;
  };
  fv1::PostTransfersRequest post;
  post.set_request_id("mixed");
  *post.add_transfers() = transfer("t1", "huadu.school");
  *post.add_transfers() = transfer("t2", "liwan.school");
  fv1::PostTransfersResponse posted;
  grpc::Status status;
  {
    grpc::ClientContext context;
    status = huadu->PostTransfers(&context, post, &posted);
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"transfers[1].credit_account_id"});
  fv1::GetAccountRequest get;
  get.set_account_id("huadu.school");
  fv1::GetAccountResponse account;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(admin->GetAccount(&context, get, &account).ok());
  }
  EXPECT_EQ(account.account().credits_posted_fen(), 0) << "part of a refused batch was written";
  // Its own part alone is fine, and audited with the district it touched.
  post.set_request_id("own");
  post.mutable_transfers()->DeleteSubrange(1, 1);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(huadu->PostTransfers(&context, post, &posted).ok());
  }
  huadu.reset();
  admin.reset();
  ledger.Stop(SIGTERM);
  bool audited = false;
  std::istringstream lines(ledger.process().stderr_text());
  for (std::string line; std::getline(lines, line);) {
    if (line.find(R"("msg":"audit")") == std::string::npos) continue;
    if (line.find(R"("request_id":"own")") == std::string::npos) continue;
    EXPECT_NE(line.find(R"("districts":["440114"])"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("outcome":"ok")"), std::string::npos) << line;
    audited = true;
  }
  EXPECT_TRUE(audited);
}

TEST_F(AuthTest, AHuaduWriterCannotRotateATeacherIntoALiwanSchool) {
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir_.path() + "/t.db", Flags());
  auto admin = tv1::TeacherRotationService::NewStub(As(rotation.grpc_address(), Token(Role::kAdmin, {})));
  auto huadu =
      tv1::TeacherRotationService::NewStub(As(rotation.grpc_address(), Token(Role::kDistrictWriter, {kHuadu})));
  tv1::UpsertTeachersRequest roster;
  roster.set_request_id("roster");
  for (const auto& [id, district, school] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"HD-1", kHuadu, "2144011401"}, {"LW-1", kLiwan, "2144010301"}}) {
    tv1::Teacher* t = roster.add_teachers();
    t->set_teacher_id(id);
    t->set_district_code(district);
    t->set_school_code(school);
    t->set_stage(common::v1::STAGE_PRIMARY);
    t->set_full_time(true);
    t->set_subject(tv1::SUBJECT_OTHER);
    t->set_highest_degree(tv1::DEGREE_BACHELOR);
    t->set_backbone_level(tv1::BACKBONE_LEVEL_NONE);
    t->set_certified(true);
    t->set_at_current_school_since("2012-08-20");
    t->set_school_ownership(tv1::SCHOOL_OWNERSHIP_PUBLIC);
  }
  tv1::UpsertTeachersResponse upserted;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(admin->UpsertTeachers(&context, roster, &upserted).ok());
  }
  tv1::ProposeRotationRequest propose;
  propose.set_request_id("into-liwan");
  propose.set_actor("花都区教育局");
  tv1::Rotation* r = propose.mutable_rotation();
  r->set_teacher_id("HD-1");
  r->set_from_school_code("2144011401");
  r->set_to_school_code("2144010301");
  r->set_kind(tv1::ROTATION_KIND_EXCHANGE);
  r->set_effective_date("2024-09-01");
  tv1::ProposeRotationResponse proposed;
  grpc::Status status;
  {
    grpc::ClientContext context;
    status = huadu->ProposeRotation(&context, propose, &proposed);
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  EXPECT_EQ(Fields(status), std::vector<std::string>{"rotation.to_school_code"});
  // A Liwan teacher is not Huadu's to upsert either.
  tv1::UpsertTeachersRequest liwan = roster;
  liwan.set_request_id("liwan-teacher");
  liwan.mutable_teachers()->DeleteSubrange(0, 1);
  {
    grpc::ClientContext context;
    status = huadu->UpsertTeachers(&context, liwan, &upserted);
  }
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  rotation.Stop(SIGTERM);
}

TEST_F(AuthTest, WatchesStayInScopeAndTheEvaluationServiceReadsItsSourcesWithItsOwnToken) {
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", Flags());
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir_.path() + "/t.db", Flags());
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir_.path() + "/l.db", Flags());
  std::vector<std::string> flags = Flags();
  flags.insert(flags.end(), {"--registry=" + registry.grpc_address(), "--rotation=" + rotation.grpc_address(),
                             "--ledger=" + ledger.grpc_address()});
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir_.path() + "/e.db", flags);
  auto huadu_reader =
      iv1::IndicatorEvaluationService::NewStub(As(evaluation.grpc_address(), Token(Role::kReader, {kHuadu})));
  // EvaluateDistrict reads all three sources, which check its token.
  iv1::EvaluateDistrictRequest evaluate;
  evaluate.set_district_code(kHuadu);
  evaluate.set_school_year(2024);
  iv1::EvaluateDistrictResponse evaluated;
  {
    grpc::ClientContext context;
    const grpc::Status status = huadu_reader->EvaluateDistrict(&context, evaluate, &evaluated);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  // The city table shows a Huadu reader Huadu only; a whole-city reader all 11.
  for (const auto& [token, expected] :
       std::vector<std::pair<std::string, int>>{{Token(Role::kReader, {kHuadu}), 1}, {Token(Role::kReader, {}), 11}}) {
    iv1::EvaluateCityRequest city;
    city.set_school_year(2024);
    iv1::EvaluateCityResponse table;
    grpc::ClientContext context;
    const grpc::Status status = iv1::IndicatorEvaluationService::NewStub(As(evaluation.grpc_address(), token))
                                    ->EvaluateCity(&context, city, &table);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(table.evaluations_size(), expected);
  }
  // A Huadu reader may not evaluate Liwan, nor watch it.
  evaluate.set_district_code(kLiwan);
  {
    grpc::ClientContext context;
    EXPECT_EQ(huadu_reader->EvaluateDistrict(&context, evaluate, &evaluated).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  iv1::WatchIndicatorsRequest watch;
  watch.add_district_codes(kLiwan);
  grpc::ClientContext context;
  auto reader = huadu_reader->WatchIndicators(&context, watch);
  iv1::WatchIndicatorsResponse message;
  EXPECT_FALSE(reader->Read(&message));
  const grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Fields(status), std::vector<std::string>{"district_codes[0]"});
  huadu_reader.reset();
  for (ServerProcess* server : {&evaluation, &ledger, &rotation, &registry}) server->Stop(SIGTERM);
  EXPECT_NE(registry.process().stderr_text().find(R"("principal":"indicator-evaluation")"), std::string::npos);
}

// Streams follow the rules of calls: a watch opened with a token that
// expires after a few seconds streams (heartbeats every second) until the
// token expires, then ends UNAUTHENTICATED; a unary call with the same token
// is refused too. Through `gzedu serve`, which hosts the evaluation service.
TEST_F(AuthTest, AWatchEndsUnauthenticatedWhenItsTokenExpires) {
  gzedu::testing::Subprocess serve({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                                    "--data-dir=" + dir_.path() + "/serve", "--auth-key-file=" + key_file_,
                                    "--watch-heartbeat-seconds=1"});
  const std::string target = gzedu::testing::WordValue(serve.WaitForLine("listening "), "grpc");
  ASSERT_FALSE(target.empty()) << serve.stderr_text();
  constexpr int kLifetimeSeconds = 4;
  const std::string token = Token(Role::kReader, {kHuadu}, kLifetimeSeconds);
  const auto opened = std::chrono::steady_clock::now();
  auto stub = iv1::IndicatorEvaluationService::NewStub(As(target, token));
  grpc::ClientContext context;
  // Far beyond the token's lifetime: without the expiry the stream would
  // run into this deadline instead.
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  iv1::WatchIndicatorsRequest request;
  request.add_district_codes(kHuadu);
  auto reader = stub->WatchIndicators(&context, request);
  iv1::WatchIndicatorsResponse message;
  int heartbeats = 0;
  while (reader->Read(&message)) heartbeats += message.has_heartbeat() ? 1 : 0;
  const grpc::Status status = reader->Finish();
  const double lasted_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - opened).count();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  EXPECT_NE(status.error_message().find("expired"), std::string::npos) << status.error_message();
  // The token's expiry is whole seconds after its issue: between
  // kLifetimeSeconds - 1 and kLifetimeSeconds from now.
  EXPECT_GE(lasted_s, kLifetimeSeconds - 1.1);
  EXPECT_LT(lasted_s, kLifetimeSeconds + 5.0);
  EXPECT_GE(heartbeats, 2) << "the watch did not stream while its token was valid";

  iv1::ListIndicatorDefinitionsRequest definitions;
  iv1::ListIndicatorDefinitionsResponse listed;
  grpc::ClientContext unary;
  EXPECT_EQ(stub->ListIndicatorDefinitions(&unary, definitions, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  stub.reset();
  EXPECT_EQ(serve.Stop(SIGTERM), 0) << serve.stderr_text();
}

// A token whose "nbf" is still ahead is refused by the servers; once it has
// passed, the same token is taken.
TEST_F(AuthTest, ATokenNotValidYetIsRefused) {
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir_.path() + "/r.db", Flags());
  Principal p;
  p.subject = "later";
  p.role = Role::kReader;
  p.whole_city = true;
  p.issued_at_unix_s = Now();
  p.not_before_unix_s = Now() + 3600;
  p.expires_at_unix_s = Now() + 7200;
  const std::string later = *IssueToken(kKey, p);
  rv1::ListSchoolsRequest request;
  rv1::ListSchoolsResponse response;
  grpc::ClientContext context;
  const grpc::Status status = rv1::SchoolRegistryService::NewStub(As(registry.grpc_address(), later))
                                  ->ListSchools(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(status.error_message().find("not valid yet"), std::string::npos) << status.error_message();
  p.not_before_unix_s = Now() - 1;
  EXPECT_EQ(CountSchools(registry.grpc_address(), *IssueToken(kKey, p)), 0);
  registry.Stop(SIGTERM);
}

}  // namespace
}  // namespace gzedu
