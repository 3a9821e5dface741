// Storage faults met at start and under way, through the real server
// binaries (issue 15): a full disk under SQLite, and servers that listen
// (readiness NOT_SERVING, liveness SERVING) while another process holds
// PostgreSQL's migration lock.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "common/storage/postgres_database.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using Clock = std::chrono::steady_clock;
using grpc::health::v1::HealthCheckResponse;
using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;
namespace rv1 = gzedu::registry::v1;

constexpr char kRegistryEntry[] = "gzedu.registry.v1.SchoolRegistryService";

rv1::School School(int n) {
  rv1::School school;
  char code[16];
  std::snprintf(code, sizeof code, "32%08d", n);
  school.set_school_code(code);
  // A long name, so a few batches fill the room the test leaves.
  school.set_name("磁盘测试学校" + std::string(60, 'x') + std::to_string(n));
  school.set_district_code("440114");
  school.set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(rv1::OWNERSHIP_PUBLIC);
  school.set_locale(rv1::LOCALE_URBAN);
  return school;
}

grpc::Status UpsertBatch(const std::shared_ptr<grpc::Channel>& channel, const std::string& request_id, int first,
                         int count) {
  auto stub = rv1::SchoolRegistryService::NewStub(channel);
  rv1::UpsertSchoolsRequest request;
  request.set_request_id(request_id);
  for (int n = first; n < first + count; ++n) *request.add_schools() = School(n);
  rv1::UpsertSchoolsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return stub->UpsertSchools(&context, request, &response);
}

// Every school code the registry lists, page by page; `status` gets the
// first failure.
std::set<std::string> ListedCodes(const std::shared_ptr<grpc::Channel>& channel, grpc::Status* status) {
  auto stub = rv1::SchoolRegistryService::NewStub(channel);
  std::set<std::string> codes;
  std::string token;
  do {
    rv1::ListSchoolsRequest request;
    request.set_page_size(500);
    request.set_page_token(token);
    rv1::ListSchoolsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    *status = stub->ListSchools(&context, request, &response);
    if (!status->ok()) return codes;
    for (const rv1::School& school : response.schools()) codes.insert(school.school_code());
    token = response.next_page_token();
  } while (!token.empty());
  return codes;
}

// The health of `entry` on `channel`, or UNKNOWN when the call fails.
HealthCheckResponse::ServingStatus Health(const std::shared_ptr<grpc::Channel>& channel, const std::string& entry) {
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(entry);
  HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  if (!stub->Check(&context, request, &response).ok()) return HealthCheckResponse::UNKNOWN;
  return response.status();
}

// Waits (up to `limit`) until `entry` is `wanted`.
bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel, const std::string& entry,
                   HealthCheckResponse::ServingStatus wanted, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (Health(channel, entry) == wanted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

int64_t FileSize(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 ? static_cast<int64_t>(info.st_size) : 0;
}

// Sets the soft RLIMIT_FSIZE of process `pid` (prlimit(2), as the same user).
void SetFileSizeLimit(pid_t pid, rlim_t bytes) {
  rlimit limit{};
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, nullptr, &limit), 0);
  limit.rlim_cur = bytes;
  ASSERT_EQ(prlimit(pid, RLIMIT_FSIZE, &limit, nullptr), 0);
}

// Starts `binary` with SIGXFSZ ignored (an ignored signal stays ignored
// across fork and exec), so a write past its file size limit fails with
// EFBIG instead of killing it.
std::unique_ptr<ServerProcess> StartIgnoringSigxfsz(const std::string& binary, const std::string& database) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  sigaction(SIGXFSZ, &ignore, &previous);
  auto server = std::make_unique<ServerProcess>(binary, database);
  sigaction(SIGXFSZ, &previous, nullptr);
  return server;
}

// A disk that fills up, made with the file size limit of the server's
// process: its SQLite writes then fail in the kernel the way they do on a
// full disk (a short write, then an error), with no mount rights needed.
TEST(FullDiskTest, WritesAnswerResourceExhaustedReadinessSaysSoAndNothingAcknowledgedIsLostWhenRoomReturns) {
  TempDir dir;
  const std::string database = dir.path() + "/registry.db";
  std::unique_ptr<ServerProcess> registry = StartIgnoringSigxfsz(GZEDU_REGISTRY_BINARY, database);
  ASSERT_FALSE(registry->grpc_address().empty());
  constexpr int kBatch = 50;
  int next = 0;
  std::set<std::string> acknowledged;
  auto acknowledge = [&](int first) {
    for (int n = first; n < first + kBatch; ++n) acknowledged.insert(School(n).school_code());
  };
  ASSERT_TRUE(UpsertBatch(registry->channel(), "before-0", next, kBatch).ok());
  acknowledge(next);
  next += kBatch;
  ASSERT_TRUE(
      WaitForHealth(registry->channel(), kRegistryEntry, HealthCheckResponse::SERVING, std::chrono::seconds(10)));

  // Little room left: 96 KiB beyond the larger of the database and its
  // write-ahead log (neither file may grow past the limit).
  const int64_t largest = std::max(FileSize(database), FileSize(database + "-wal"));
  SetFileSizeLimit(registry->process().pid(), static_cast<rlim_t>(largest + 96 * 1024));
  grpc::Status refused;
  std::string refused_request;
  for (int i = 1; i <= 400; ++i) {
    const std::string request_id = "filling-" + std::to_string(i);
    const grpc::Status status = UpsertBatch(registry->channel(), request_id, next, kBatch);
    if (!status.ok()) {
      refused = status;
      refused_request = request_id;
      break;
    }
    acknowledge(next);
    next += kBatch;
  }
  ASSERT_FALSE(refused.ok()) << "the file size limit never refused a write";
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  std::printf("[ measure  ] disk full after %zu acknowledged schools: %s\n", acknowledged.size(),
              refused.error_message().c_str());

  // Readiness reports it (probes take the pod out of its Service); liveness
  // does not (a restart brings no room).
  EXPECT_TRUE(
      WaitForHealth(registry->channel(), kRegistryEntry, HealthCheckResponse::NOT_SERVING, std::chrono::seconds(10)));
  EXPECT_EQ(Health(registry->channel(), ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(registry->channel(), "liveness"), HealthCheckResponse::SERVING);

  // Room again: the refused batch, sent again, and a new one are written.
  SetFileSizeLimit(registry->process().pid(), RLIM_INFINITY);
  const int refused_first = next;
  EXPECT_TRUE(UpsertBatch(registry->channel(), refused_request, refused_first, kBatch).ok());
  acknowledge(refused_first);
  next += kBatch;
  EXPECT_TRUE(UpsertBatch(registry->channel(), "after", next, kBatch).ok());
  acknowledge(next);
  next += kBatch;

  grpc::Status listed;
  EXPECT_EQ(ListedCodes(registry->channel(), &listed), acknowledged);
  EXPECT_TRUE(listed.ok()) << listed.error_message();

  // And on disk: killed and started again, the registry has every one.
  registry->Stop(SIGKILL);
  registry.reset();
  ServerProcess again(GZEDU_REGISTRY_BINARY, database);
  EXPECT_EQ(ListedCodes(again.channel(), &listed), acknowledged);
  EXPECT_TRUE(listed.ok()) << listed.error_message();
  EXPECT_EQ(again.Stop(SIGTERM), 0);
}

// The gRPC health port a server printed on its listening line
// (--health-listen), as a channel.
std::shared_ptr<grpc::Channel> HealthChannel(ServerProcess& server) {
  const std::string& out = server.process().stdout_text();
  const size_t start = out.find("listening ");
  const std::string line = out.substr(start, out.find('\n', start) - start);
  const std::string address = gzedu::testing::WordValue(line, "health");
  EXPECT_FALSE(address.empty()) << line;
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// Holds a database's migration lock from a connection of the test's own, as
// another replica (or the migration job) does while it migrates.
class MigrationLockHolder {
 public:
  explicit MigrationLockHolder(const std::string& url) : connection_(url, nullptr) {
    const absl::Status locked = connection_.Exec(
        "SELECT pg_advisory_lock(hashtext(current_database() || '/' || current_schema() || '/gzedu-migrate'))");
    EXPECT_TRUE(locked.ok()) << locked;
  }
  void Release() {
    const absl::Status unlocked = connection_.Exec(
        "SELECT pg_advisory_unlock(hashtext(current_database() || '/' || current_schema() || '/gzedu-migrate'))");
    EXPECT_TRUE(unlocked.ok()) << unlocked;
  }

 private:
  PostgresConnection connection_;
};

struct Service {
  std::string binary;
  std::string entry;  // the service's health entry
};

TEST(MigrationLockTest, EveryServerListensNotServingWhileAnotherProcessMigratesAndServesWhenItIsDone) {
  const std::vector<Service> services = {{GZEDU_REGISTRY_BINARY, kRegistryEntry},
                                         {GZEDU_ROTATION_BINARY, "gzedu.rotation.v1.TeacherRotationService"},
                                         {GZEDU_LEDGER_BINARY, "gzedu.funding.v1.FundingLedgerService"},
                                         {GZEDU_EVALUATION_BINARY, "gzedu.indicators.v1.IndicatorEvaluationService"}};
  std::vector<std::unique_ptr<MigrationLockHolder>> locks;
  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (const Service& service : services) {
    const std::string url = gzedu::testing::FreshPostgresDatabase();
    locks.push_back(std::make_unique<MigrationLockHolder>(url));
    std::vector<std::string> flags = {"--health-listen=127.0.0.1:0"};
    if (service.binary == GZEDU_EVALUATION_BINARY) {
      flags.push_back("--registry=" + servers[0]->grpc_address());
      flags.push_back("--rotation=" + servers[1]->grpc_address());
      flags.push_back("--ledger=" + servers[2]->grpc_address());
    }
    // It listens although the lock is taken (before: no port until the
    // other process was done, and probes killed it meanwhile).
    servers.push_back(std::make_unique<ServerProcess>(service.binary, url, flags));
    ASSERT_FALSE(servers.back()->grpc_address().empty()) << service.binary;
  }

  for (size_t i = 0; i < services.size(); ++i) {
    SCOPED_TRACE(services[i].binary);
    const std::shared_ptr<grpc::Channel> health = HealthChannel(*servers[i]);
    EXPECT_EQ(Health(health, "liveness"), HealthCheckResponse::SERVING);
    EXPECT_EQ(Health(health, services[i].entry), HealthCheckResponse::NOT_SERVING);
    EXPECT_EQ(Health(health, ""), HealthCheckResponse::NOT_SERVING);
    EXPECT_EQ(Health(servers[i]->channel(), services[i].entry), HealthCheckResponse::NOT_SERVING);
  }
  grpc::Status listed;
  ListedCodes(servers[0]->channel(), &listed);
  EXPECT_EQ(listed.error_code(), grpc::StatusCode::UNAVAILABLE) << listed.error_message();
  EXPECT_NE(listed.error_message().find("migration lock"), std::string::npos) << listed.error_message();
  EXPECT_EQ(UpsertBatch(servers[0]->channel(), "while-locked", 0, 1).error_code(), grpc::StatusCode::UNAVAILABLE);

  // The other process is done: each migrates, turns SERVING and answers.
  for (auto& lock : locks) lock->Release();
  for (size_t i = 0; i < services.size(); ++i) {
    SCOPED_TRACE(services[i].binary);
    const std::shared_ptr<grpc::Channel> health = HealthChannel(*servers[i]);
    EXPECT_TRUE(WaitForHealth(health, services[i].entry, HealthCheckResponse::SERVING, std::chrono::seconds(15)));
    EXPECT_EQ(Health(health, ""), HealthCheckResponse::SERVING);
    EXPECT_EQ(Health(health, "liveness"), HealthCheckResponse::SERVING);
  }
  EXPECT_TRUE(UpsertBatch(servers[0]->channel(), "after-unlock", 0, 3).ok());
  EXPECT_EQ(ListedCodes(servers[0]->channel(), &listed).size(), 3u);
  EXPECT_TRUE(listed.ok()) << listed.error_message();
  for (auto it = servers.rbegin(); it != servers.rend(); ++it) EXPECT_EQ((*it)->Stop(SIGTERM), 0);
}

TEST(MigrationLockTest, AServerWaitingForTheLockStopsAtOnceOnSigterm) {
  const std::string url = gzedu::testing::FreshPostgresDatabase();
  MigrationLockHolder lock(url);
  ServerProcess registry(GZEDU_REGISTRY_BINARY, url);
  ASSERT_FALSE(registry.grpc_address().empty());
  EXPECT_EQ(Health(registry.channel(), "liveness"), HealthCheckResponse::SERVING);
  const auto start = Clock::now();
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0);
  lock.Release();
}

TEST(MigrationLockTest, AServerStartedBeforePostgresListensAndServesOnceItAnswers) {
  gzedu::testing::PostgresServer postgres;
  const std::string url = postgres.CreateDatabase();
  postgres.Stop();
  ServerProcess registry(GZEDU_REGISTRY_BINARY, url);
  ASSERT_FALSE(registry.grpc_address().empty());
  EXPECT_EQ(Health(registry.channel(), "liveness"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(registry.channel(), kRegistryEntry), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(UpsertBatch(registry.channel(), "while-down", 0, 1).error_code(), grpc::StatusCode::UNAVAILABLE);

  postgres.Start();
  EXPECT_TRUE(
      WaitForHealth(registry.channel(), kRegistryEntry, HealthCheckResponse::SERVING, std::chrono::seconds(20)));
  EXPECT_TRUE(UpsertBatch(registry.channel(), "after-start", 0, 1).ok());
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace gzedu
