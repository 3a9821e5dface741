// What an on-call engineer relies on, through the real binaries: process
// metrics on /metrics, log lines that name their service and carry the
// request id the client gets back, idle change-feed polls at debug, audit
// records at any --log-level, gRPC's own messages as JSON, and error details
// a client decodes with the shipped google/rpc protos.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>

#include <google/protobuf/descriptor.h>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "common/grpc/tls.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/certificates.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::ServerProcess;
using gzedu::testing::Subprocess;
using gzedu::testing::TempDir;
using nlohmann::json;
namespace rv1 = gzedu::registry::v1;
namespace tv1 = gzedu::rotation::v1;
namespace fv1 = gzedu::funding::v1;
namespace iv1 = gzedu::indicators::v1;

constexpr char kRequestIdKey[] = "x-request-id";

// Every line of a server's stderr, each parsed as JSON; a line that is not
// JSON fails the test, naming it.
std::vector<json> LogLines(const std::string& stderr_text) {
  std::vector<json> lines;
  std::istringstream in(stderr_text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json parsed = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(parsed.is_object()) << "not a JSON log line: " << line;
    if (parsed.is_object()) lines.push_back(std::move(parsed));
  }
  return lines;
}

// The "rpc" lines of `method` (the short name, e.g. "ListSchools").
std::vector<json> RpcLines(const std::string& stderr_text, const std::string& method) {
  std::vector<json> found;
  for (json& line : LogLines(stderr_text)) {
    if (line.value("msg", "") == "rpc" && line.value("method", "") == method) found.push_back(std::move(line));
  }
  return found;
}

std::string Text(const json& line, const char* key) { return line.contains(key) ? line[key].get<std::string>() : ""; }

// The request id a finished call got back in its initial metadata; empty
// if none.
std::string ReturnedRequestId(const grpc::ClientContext& context) {
  const auto& metadata = context.GetServerInitialMetadata();
  auto it = metadata.find(kRequestIdKey);
  return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
}

bool IsGeneratedRequestId(const std::string& id) { return std::regex_match(id, std::regex("[0-9a-f]{32}")); }

std::chrono::system_clock::time_point Deadline() { return std::chrono::system_clock::now() + std::chrono::seconds(10); }

// A registry binary on a fresh SQLite file with `flags`.
std::unique_ptr<ServerProcess> Registry(const TempDir& dir, const std::vector<std::string>& flags = {}) {
  return std::make_unique<ServerProcess>(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db", flags);
}

rv1::School School(int n, const std::string& district = "440114") {
  rv1::School school;
  char code[11];
  std::snprintf(code, sizeof code, "41%08d", n);
  school.set_school_code(code);
  school.set_name("运维测试学校" + std::to_string(n));
  school.set_district_code(district);
  school.set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(rv1::OWNERSHIP_PUBLIC);
  school.set_locale(rv1::LOCALE_URBAN);
  return school;
}

// --- process metrics ------------------------------------------------------

// The value of the sample `name` (no labels) in a /metrics text; NaN-free:
// fails the test and returns -1 when absent.
double Sample(const std::string& metrics, const std::string& name) {
  for (absl::string_view line : absl::StrSplit(metrics, '\n')) {
    if (line.substr(0, name.size() + 1) != name + " ") continue;
    double value = 0;
    if (absl::SimpleAtod(line.substr(name.size() + 1), &value)) return value;
  }
  ADD_FAILURE() << name << " is not on /metrics";
  return -1;
}

// The process metrics of a process started moments ago are plausible.
void ExpectPlausibleProcessMetrics(const std::string& metrics_address, pid_t pid) {
  const std::string metrics = gzedu::testing::HttpGet(metrics_address, "/metrics");
  ASSERT_FALSE(metrics.empty());
  const double now_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  const double start_s = Sample(metrics, "process_start_time_seconds");
  EXPECT_LE(start_s, now_s + 1);
  EXPECT_GE(start_s, now_s - 120) << "the server started moments ago";
  const double rss = Sample(metrics, "process_resident_memory_bytes");
  EXPECT_GT(rss, 1 << 20) << "a gRPC server holds more than a megabyte";
  EXPECT_GE(Sample(metrics, "process_virtual_memory_bytes"), rss);
  const double cpu = Sample(metrics, "process_cpu_seconds_total");
  EXPECT_GE(cpu, 0);
  EXPECT_LT(cpu, 120);
  const double open_fds = Sample(metrics, "process_open_fds");
  // The listening sockets and the log and database files at least.
  EXPECT_GE(open_fds, 4);
  EXPECT_GE(Sample(metrics, "process_max_fds"), open_fds);
  // The process's own count, as /proc shows it from outside, is close (a
  // scrape opens a socket or two).
  std::error_code error;
  double counted = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++counted;
  }
  EXPECT_NEAR(open_fds, counted, 4);
  EXPECT_NE(metrics.find("# TYPE process_cpu_seconds_total counter"), std::string::npos);
  EXPECT_NE(metrics.find("# TYPE process_resident_memory_bytes gauge"), std::string::npos);
}

TEST(ProcessMetricsTest, AServerExposesPlausibleProcessMetrics) {
  TempDir dir;
  auto registry = Registry(dir);
  ExpectPlausibleProcessMetrics(registry->metrics_address(), registry->process().pid());
}

TEST(ProcessMetricsTest, GzeduServeExposesPlausibleProcessMetrics) {
  TempDir dir;
  Subprocess serve(
      {GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0", "--data-dir=" + dir.path()});
  const std::string metrics = gzedu::testing::WordValue(serve.WaitForLine("listening "), "metrics");
  ASSERT_FALSE(metrics.empty()) << serve.stderr_text();
  ExpectPlausibleProcessMetrics(metrics, serve.pid());
  EXPECT_EQ(serve.Stop(SIGTERM), 0);
}

// --- the service of every line ---------------------------------------------

// Each server binary: every line is JSON and names the binary's service.
TEST(ServiceLogTest, EveryLineOfEachServerNamesItsService) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> binaries = {{GZEDU_REGISTRY_BINARY, "school-registry"},
                                                                     {GZEDU_ROTATION_BINARY, "teacher-rotation"},
                                                                     {GZEDU_LEDGER_BINARY, "funding-ledger"},
                                                                     {GZEDU_EVALUATION_BINARY, "indicator-evaluation"}};
  for (const auto& [binary, service] : binaries) {
    std::vector<std::string> flags;
    // The evaluation service alone, pointed at sources that are not there.
    if (service == "indicator-evaluation") {
      flags = {"--registry=127.0.0.1:1", "--rotation=127.0.0.1:1", "--ledger=127.0.0.1:1"};
    }
    ServerProcess server(binary, dir.path() + "/" + service + ".db", flags);
    auto health = grpc::health::v1::Health::NewStub(server.channel());
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    grpc::health::v1::HealthCheckResponse response;
    EXPECT_TRUE(health->Check(&context, grpc::health::v1::HealthCheckRequest(), &response).ok());
    health.reset();  // no idle connection for the shutdown to wait for
    ASSERT_EQ(server.Stop(SIGTERM), 0) << server.process().stderr_text();
    const std::vector<json> lines = LogLines(server.process().stderr_text());
    EXPECT_GE(lines.size(), 3u) << service << ": listening, shutting down, stopped at least";
    for (const json& line : lines) EXPECT_EQ(Text(line, "service"), service) << line.dump();
  }
}

// `gzedu serve` hosts the four: a call's lines name the service called, the
// process's own lines name "serve".
TEST(ServiceLogTest, GzeduServeNamesTheServiceEachLineBelongsTo) {
  TempDir dir;
  Subprocess serve(
      {GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0", "--data-dir=" + dir.path()});
  const std::string target = gzedu::testing::WordValue(serve.WaitForLine("listening "), "grpc");
  ASSERT_FALSE(target.empty()) << serve.stderr_text();
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    rv1::ListSchoolsRequest request;
    request.set_district_code("440114");
    rv1::ListSchoolsResponse response;
    ASSERT_TRUE(rv1::SchoolRegistryService::NewStub(channel)->ListSchools(&context, request, &response).ok());
  }
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    iv1::ListIndicatorDefinitionsResponse response;
    ASSERT_TRUE(iv1::IndicatorEvaluationService::NewStub(channel)
                    ->ListIndicatorDefinitions(&context, iv1::ListIndicatorDefinitionsRequest(), &response)
                    .ok());
  }
  channel.reset();
  ASSERT_EQ(serve.Stop(SIGTERM), 0);
  const std::string log = serve.stderr_text();
  const std::vector<json> schools = RpcLines(log, "ListSchools");
  ASSERT_EQ(schools.size(), 1u) << log;
  EXPECT_EQ(Text(schools[0], "service"), "school-registry");
  const std::vector<json> definitions = RpcLines(log, "ListIndicatorDefinitions");
  ASSERT_EQ(definitions.size(), 1u) << log;
  EXPECT_EQ(Text(definitions[0], "service"), "indicator-evaluation");
  int own_lines = 0;
  for (const json& line : LogLines(log)) {
    EXPECT_FALSE(Text(line, "service").empty()) << line.dump();
    if (Text(line, "msg") == "rpc" || Text(line, "msg") == "audit") {
      EXPECT_NE(Text(line, "service"), "serve") << "a call belongs to a service: " << line.dump();
    }
    if (Text(line, "msg") == "listening" || Text(line, "msg") == "stopped") {
      EXPECT_EQ(Text(line, "service"), "serve") << line.dump();
      ++own_lines;
    }
  }
  EXPECT_EQ(own_lines, 2);
}

// --- request ids -------------------------------------------------------------

TEST(RequestIdTest, ACallWithoutAnIdGetsANewOneBackAndItsLogLineCarriesIt) {
  TempDir dir;
  auto registry = Registry(dir);
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    rv1::ListSchoolsRequest request;
    request.set_district_code("440114");
    rv1::ListSchoolsResponse response;
    ASSERT_TRUE(stub->ListSchools(&context, request, &response).ok());
    ids.push_back(ReturnedRequestId(context));
    EXPECT_TRUE(IsGeneratedRequestId(ids.back())) << "'" << ids.back() << "'";
  }
  EXPECT_NE(ids[0], ids[1]) << "each call gets its own id";
  const std::vector<json> lines = RpcLines(registry->process().stderr_text(), "ListSchools");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Text(lines[0], "request_id"), ids[0]);
  EXPECT_EQ(Text(lines[1], "request_id"), ids[1]);
}

TEST(RequestIdTest, ACallWithAnIdGetsTheSameBackOnSuccessAndOnErrorAndItIsLogged) {
  TempDir dir;
  auto registry = Registry(dir);
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    context.AddMetadata(kRequestIdKey, "trace-ops-0001");
    rv1::ListSchoolsRequest request;
    request.set_district_code("440114");
    rv1::ListSchoolsResponse response;
    ASSERT_TRUE(stub->ListSchools(&context, request, &response).ok());
    EXPECT_EQ(ReturnedRequestId(context), "trace-ops-0001");
  }
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    context.AddMetadata(kRequestIdKey, "trace-ops-0002");
    rv1::GetSchoolRequest request;
    request.set_school_code("4100000099");
    rv1::GetSchoolResponse response;
    EXPECT_EQ(stub->GetSchool(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(ReturnedRequestId(context), "trace-ops-0002");
  }
  {  // an error without an id: a new one comes back all the same
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    rv1::GetSchoolRequest request;
    request.set_school_code("4100000098");
    rv1::GetSchoolResponse response;
    EXPECT_EQ(stub->GetSchool(&context, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_TRUE(IsGeneratedRequestId(ReturnedRequestId(context)));
  }
  const std::string log = registry->process().stderr_text();
  const std::vector<json> list = RpcLines(log, "ListSchools");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(Text(list[0], "request_id"), "trace-ops-0001");
  const std::vector<json> get = RpcLines(log, "GetSchool");
  ASSERT_EQ(get.size(), 2u);
  EXPECT_EQ(Text(get[0], "request_id"), "trace-ops-0002");
  EXPECT_EQ(Text(get[0], "code"), "NOT_FOUND");
}

// A write names itself by its request_id (its idempotency key): a caller
// that sends no other id gets that one back, and the log line and the audit
// record carry it.
TEST(RequestIdTest, AWriteAnswersWithItsOwnRequestId) {
  TempDir dir;
  auto registry = Registry(dir);
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  rv1::UpsertSchoolsRequest request;
  request.set_request_id("ops-write-1");
  *request.add_schools() = School(1);
  rv1::UpsertSchoolsResponse response;
  ASSERT_TRUE(stub->UpsertSchools(&context, request, &response).ok());
  EXPECT_EQ(ReturnedRequestId(context), "ops-write-1");
  const std::string log = registry->process().stderr_text();
  const std::vector<json> lines = RpcLines(log, "UpsertSchools");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(Text(lines[0], "request_id"), "ops-write-1");
  int audits = 0;
  for (const json& line : LogLines(log)) {
    if (Text(line, "msg") != "audit") continue;
    EXPECT_EQ(Text(line, "request_id"), "ops-write-1");
    EXPECT_EQ(Text(line, "service"), "school-registry");
    ++audits;
  }
  EXPECT_EQ(audits, 1);
}

// An empty unary call of `method` with `request_id` (none when empty) on
// `channel`; the id the response carried back.
std::string IdBackFromEmptyCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                                const std::string& request_id) {
  grpc::GenericStub generic(channel);
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  if (!request_id.empty()) context.AddMetadata(kRequestIdKey, request_id);
  grpc::Slice empty("");
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer reply;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  generic.UnaryCall(&context, method, grpc::StubOptions(), &request, &reply, [&](grpc::Status) {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    done_cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mutex);
  done_cv.wait(lock, [&] { return done; });
  return ReturnedRequestId(context);
}

// Every method of every service (from the contracts' descriptors) in `gzedu
// serve`, with an empty request (accepted or refused alike), and health:
// the id sent comes back, a call without one gets one, and the call's log
// line carries it (at debug, where idle change-feed polls are).
TEST(RequestIdTest, EveryMethodOfEveryServiceSendsTheIdBack) {
  TempDir dir;
  Subprocess serve({GZEDU_CLI_BINARY, "serve", "--listen=127.0.0.1:0", "--metrics-listen=127.0.0.1:0",
                    "--data-dir=" + dir.path(), "--log-level=debug"});
  const std::string target = gzedu::testing::WordValue(serve.WaitForLine("listening "), "grpc");
  ASSERT_FALSE(target.empty()) << serve.stderr_text();
  auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  std::map<std::string, std::string> sent;  // request id -> method
  int checked = 0;
  for (const char* name :
       {rv1::SchoolRegistryService::service_full_name(), tv1::TeacherRotationService::service_full_name(),
        fv1::FundingLedgerService::service_full_name(), iv1::IndicatorEvaluationService::service_full_name()}) {
    const google::protobuf::ServiceDescriptor* service =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << name;
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (method->server_streaming()) continue;  // WatchIndicators: below
      const std::string path = "/" + service->full_name() + "/" + method->name();
      const std::string id = "every-" + std::to_string(checked);
      EXPECT_EQ(IdBackFromEmptyCall(channel, path, id), id) << path;
      EXPECT_TRUE(IsGeneratedRequestId(IdBackFromEmptyCall(channel, path, ""))) << path;
      sent[id] = method->name();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 7 + 9 + 7 + 7);
  EXPECT_EQ(IdBackFromEmptyCall(channel, "/grpc.health.v1.Health/Check", "every-health"), "every-health");
  {  // the stream, refused (an unknown district): the id comes back with the status
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    context.AddMetadata(kRequestIdKey, "every-watch");
    iv1::WatchIndicatorsRequest request;
    request.add_district_codes("999999");
    auto reader = iv1::IndicatorEvaluationService::NewStub(channel)->WatchIndicators(&context, request);
    iv1::WatchIndicatorsResponse message;
    EXPECT_FALSE(reader->Read(&message));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ReturnedRequestId(context), "every-watch");
  }
  channel.reset();
  ASSERT_EQ(serve.Stop(SIGTERM), 0);
  std::set<std::string> logged;
  for (const json& line : LogLines(serve.stderr_text())) {
    if (Text(line, "msg") == "rpc") logged.insert(Text(line, "request_id"));
  }
  for (const auto& [id, method] : sent) EXPECT_EQ(logged.count(id), 1u) << method << " did not log " << id;
  EXPECT_EQ(logged.count("every-watch"), 1u);
}

// --- levels ------------------------------------------------------------------

// The evaluation service polls every change feed: a poll that returns
// nothing is debug; one that returns changes stays info.
TEST(LogLevelTest, IdleChangeFeedPollsAreDebugAndPollsWithChangesInfo) {
  TempDir dir;
  auto registry = Registry(dir, {"--log-level=debug"});
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  auto poll = [&](int64_t since_version) {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    rv1::ListChangesRequest request;
    request.set_since_version(since_version);
    rv1::ListChangesResponse response;
    EXPECT_TRUE(stub->ListChanges(&context, request, &response).ok());
    return response.latest_version();
  };
  poll(0);  // nothing yet
  {
    grpc::ClientContext context;
    context.set_deadline(Deadline());
    rv1::UpsertSchoolsRequest request;
    request.set_request_id("ops-levels-1");
    *request.add_schools() = School(2);
    rv1::UpsertSchoolsResponse response;
    ASSERT_TRUE(stub->UpsertSchools(&context, request, &response).ok());
  }
  const int64_t latest = poll(0);  // the school's change
  poll(latest);                    // nothing new
  const std::string log = registry->process().stderr_text();
  const std::vector<json> polls = RpcLines(log, "ListChanges");
  ASSERT_EQ(polls.size(), 3u) << log;
  EXPECT_EQ(Text(polls[0], "level"), "debug");
  EXPECT_EQ(Text(polls[1], "level"), "info");
  EXPECT_EQ(Text(polls[2], "level"), "debug");
  const std::vector<json> writes = RpcLines(log, "UpsertSchools");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(Text(writes[0], "level"), "info");
}

// --log-level=error hides the rpc lines, never the audit records.
TEST(LogLevelTest, AuditRecordsComeOutAtLogLevelError) {
  TempDir dir;
  auto registry = Registry(dir, {"--log-level=error"});
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  rv1::UpsertSchoolsRequest request;
  request.set_request_id("ops-audit-1");
  *request.add_schools() = School(3);
  rv1::UpsertSchoolsResponse response;
  ASSERT_TRUE(stub->UpsertSchools(&context, request, &response).ok());
  ASSERT_EQ(registry->Stop(SIGTERM), 0);
  const std::string log = registry->process().stderr_text();
  EXPECT_TRUE(RpcLines(log, "UpsertSchools").empty()) << "info lines are hidden at error: " << log;
  int audits = 0;
  for (const json& line : LogLines(log)) {
    EXPECT_NE(Text(line, "msg"), "listening") << "info lines are hidden at error";
    if (Text(line, "msg") != "audit") continue;
    EXPECT_EQ(Text(line, "request_id"), "ops-audit-1");
    EXPECT_EQ(Text(line, "method"), "UpsertSchools");
    EXPECT_EQ(Text(line, "outcome"), "ok");
    ++audits;
  }
  EXPECT_EQ(audits, 1) << log;
}

// --- gRPC's own messages -------------------------------------------------------

// A plaintext client on a TLS port: gRPC reports the failed handshake, and
// that line is JSON like every other, naming the service.
TEST(GrpcLogTest, ATlsHandshakeErrorComesOutAsAJsonLine) {
  TempDir dir;
  const auto ca = gzedu::testing::MakeCa(dir.path(), "ca");
  const auto cert = gzedu::testing::MakeCertificate(dir.path(), "server", ca, "school-registry");
  auto registry = Registry(dir, {"--tls-cert=" + cert.cert, "--tls-key=" + cert.key});
  {
    auto stub = rv1::SchoolRegistryService::NewStub(OpenChannel(registry->grpc_address(), ClientTls{}));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    rv1::ListSchoolsResponse response;
    EXPECT_EQ(stub->ListSchools(&context, rv1::ListSchoolsRequest(), &response).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  ASSERT_EQ(registry->Stop(SIGTERM), 0);
  std::vector<json> grpc_lines;
  for (const json& line : LogLines(registry->process().stderr_text())) {
    EXPECT_EQ(Text(line, "service"), "school-registry") << line.dump();
    if (Text(line, "source") == "grpc") grpc_lines.push_back(line);
  }
  ASSERT_FALSE(grpc_lines.empty()) << "gRPC reported no handshake failure: " << registry->process().stderr_text();
  bool handshake = false;
  for (const json& line : grpc_lines) {
    EXPECT_EQ(Text(line, "level"), "error");
    EXPECT_FALSE(Text(line, "file").empty());
    handshake = handshake || Text(line, "msg").find("andshake") != std::string::npos;
  }
  EXPECT_TRUE(handshake) << grpc_lines.front().dump();
}

// --- error details ---------------------------------------------------------------

// A refused write carries a google.rpc.Status with a BadRequest in
// grpc-status-details-bin: decoded here with the C++ generated from the
// shipped proto/google/rpc files, and by protoc itself from those files.
TEST(ErrorDetailsTest, ARefusedRequestsDetailsDecodeWithTheShippedProtos) {
  TempDir dir;
  auto registry = Registry(dir);
  auto stub = rv1::SchoolRegistryService::NewStub(registry->channel());
  grpc::ClientContext context;
  context.set_deadline(Deadline());
  rv1::UpsertSchoolsRequest request;
  request.set_request_id("ops-details-1");
  *request.add_schools() = School(4);
  *request.add_schools() = School(5, "999999");  // not a Guangzhou district
  rv1::UpsertSchoolsResponse response;
  const grpc::Status status = stub->UpsertSchools(&context, request, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_FALSE(status.error_details().empty());

  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  // The BadRequest first; then its violations in Chinese and the Chinese
  // headline (proto/gzedu/common/v1/errors.proto, google.rpc.LocalizedMessage).
  ASSERT_EQ(details.details_size(), 3);
  EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/google.rpc.BadRequest");
  EXPECT_EQ(details.details(1).type_url(), "type.googleapis.com/gzedu.common.v1.LocalizedFieldViolations");
  EXPECT_EQ(details.details(2).type_url(), "type.googleapis.com/google.rpc.LocalizedMessage");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_GE(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "schools[1].district_code");
  EXPECT_FALSE(bad_request.field_violations(0).description().empty());

  // protoc, from the shipped files alone: the Status, then its detail.
  const std::string proto_dir = std::string(GZEDU_SOURCE_DIR) + "/proto";
  auto protoc_decode = [&](const std::string& type, const std::string& bytes,
                           const std::string& files = "google/rpc/status.proto google/rpc/error_details.proto") {
    const std::string path = dir.path() + "/" + type + ".bin";
    std::ofstream(path, std::ios::binary) << bytes;
    std::string out, err;
    EXPECT_EQ(gzedu::testing::RunCommand({"/bin/sh", "-c",
                                          std::string(GZEDU_PROTOC) + " --decode=" + type + " -I" + proto_dir + " -I" +
                                              GZEDU_PROTOBUF_INCLUDE + " " + files + " < " + path},
                                         &out, &err),
              0)
        << err;
    return out;
  };
  const std::string status_text = protoc_decode("google.rpc.Status", status.error_details());
  EXPECT_NE(status_text.find("code: 3"), std::string::npos) << status_text;
  EXPECT_NE(status_text.find("type_url: \"type.googleapis.com/google.rpc.BadRequest\""), std::string::npos)
      << status_text;
  const std::string detail_text = protoc_decode("google.rpc.BadRequest", details.details(0).value());
  EXPECT_NE(detail_text.find("field: \"schools[1].district_code\""), std::string::npos) << detail_text;
  const std::string chinese_text = protoc_decode("gzedu.common.v1.LocalizedFieldViolations", details.details(1).value(),
                                                 "gzedu/common/v1/errors.proto");
  EXPECT_NE(chinese_text.find("locale: \"zh-CN\""), std::string::npos) << chinese_text;
  EXPECT_NE(chinese_text.find("field: \"schools[1].district_code\""), std::string::npos) << chinese_text;
}

}  // namespace
}  // namespace gzedu
