// Hung and vanishing dependencies (issue 15): the real server binaries with
// a real redis-server and PostgreSQL that the tests freeze (SIGSTOP: the
// TCP connections stay open, nothing answers) and thaw (SIGCONT).
#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "absl/strings/numbers.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_events.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using Clock = std::chrono::steady_clock;
using grpc::health::v1::HealthCheckResponse;
using gzedu::testing::PostgresServer;
using gzedu::testing::RedisServer;
using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;

double SecondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// `root` and every process descended from it (found through /proc).
std::vector<pid_t> ProcessTree(pid_t root) {
  std::vector<std::pair<pid_t, pid_t>> parents;  // (pid, ppid)
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return {root};
  while (dirent* entry = readdir(proc)) {
    pid_t pid = 0;
    if (!absl::SimpleAtoi(entry->d_name, &pid)) continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const size_t paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream rest(text.substr(paren + 1));
    std::string state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    parents.emplace_back(pid, ppid);
  }
  closedir(proc);
  std::vector<pid_t> tree = {root};
  for (size_t i = 0; i < tree.size(); ++i) {
    for (const auto& [pid, ppid] : parents) {
      if (ppid == tree[i]) tree.push_back(pid);
    }
  }
  return tree;
}

void SignalTree(pid_t root, int signal) {
  for (pid_t pid : ProcessTree(root)) kill(pid, signal);
}

registry::v1::School School(int n, const std::string& district = "440114") {
  registry::v1::School school;
  char code[16];
  std::snprintf(code, sizeof code, "31%08d", n);
  school.set_school_code(code);
  school.set_name("测试学校" + std::to_string(n));
  school.set_district_code(district);
  school.set_school_type(registry::v1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(registry::v1::OWNERSHIP_PUBLIC);
  school.set_locale(registry::v1::LOCALE_URBAN);
  return school;
}

grpc::Status Upsert(ServerProcess& server, const std::string& request_id, const registry::v1::School& school,
                    std::chrono::seconds deadline = std::chrono::seconds(30)) {
  auto stub = registry::v1::SchoolRegistryService::NewStub(server.channel());
  registry::v1::UpsertSchoolsRequest request;
  request.set_request_id(request_id);
  *request.add_schools() = school;
  registry::v1::UpsertSchoolsResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  return stub->UpsertSchools(&context, request, &response);
}

// The health of an entry (the overall one by default), or UNKNOWN when the
// call fails.
HealthCheckResponse::ServingStatus Health(ServerProcess& server, const std::string& entry = "") {
  auto stub = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(entry);
  HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  if (!stub->Check(&context, request, &response).ok()) return HealthCheckResponse::UNKNOWN;
  return response.status();
}

// Waits (up to `limit`) until the server's health is `wanted`; returns the
// seconds it took, or a negative number when it never was.
double WaitForHealth(ServerProcess& server, HealthCheckResponse::ServingStatus wanted, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    if (Health(server) == wanted) return SecondsSince(start);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return -1;
}

// The last_version of every event on the change stream.
std::set<int64_t> AnnouncedVersions(const std::string& redis_url) {
  RedisClient::Options options;
  options.reconnect_backoff = std::chrono::milliseconds(0);
  RedisClient client(redis_url, options);
  std::set<int64_t> versions;
  absl::StatusOr<RedisReply> reply = client.Command({"XRANGE", kChangeStream, "-", "+"});
  if (!reply.ok()) return versions;
  for (const RedisReply& entry : reply->elements) {
    if (entry.elements.size() < 2) continue;
    versions.insert(DecodeChangeEvent(entry.elements[1].elements).last_version);
  }
  return versions;
}

// Waits until every version in [1, last] was announced.
bool WaitForAnnounced(const std::string& redis_url, int64_t last, std::chrono::seconds limit) {
  const auto start = Clock::now();
  while (Clock::now() - start < limit) {
    const std::set<int64_t> versions = AnnouncedVersions(redis_url);
    bool all = true;
    for (int64_t v = 1; v <= last && all; ++v) all = versions.count(v) > 0;
    if (all) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(HungRedisTest, RegistryWritesAreAcknowledgedAtNormalSpeedAndAnnouncedWhenRedisReturns) {
  RedisServer redis;
  TempDir dir;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db", {"--redis=" + redis.url()});
  ASSERT_TRUE(Upsert(registry, "warm-up", School(0)).ok());
  ASSERT_TRUE(WaitForAnnounced(redis.url(), 1, std::chrono::seconds(10)));

  SignalTree(redis.pid(), SIGSTOP);
  constexpr int kWrites = 10;
  const auto start = Clock::now();
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_TRUE(Upsert(registry, "frozen-" + std::to_string(i), School(i)).ok());
  }
  const double seconds = SecondsSince(start);
  SignalTree(redis.pid(), SIGCONT);
  std::printf("[ measure  ] %d registry writes with Redis frozen: %.3f s (%.1f writes/s)\n", kWrites, seconds,
              kWrites / seconds);
  // Before: each write waited ~3 s for its announcement.
  EXPECT_LT(seconds, 2.0);

  // What was written while Redis hung is announced once it answers again.
  EXPECT_TRUE(WaitForAnnounced(redis.url(), kWrites + 1, std::chrono::seconds(15)));
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

TEST(HungRedisTest, FirstEventAfterRedisClosedAnIdleConnectionIsNotLost) {
  RedisServer redis;
  TempDir dir;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db", {"--redis=" + redis.url()});
  ASSERT_TRUE(Upsert(registry, "first", School(1)).ok());
  ASSERT_TRUE(WaitForAnnounced(redis.url(), 1, std::chrono::seconds(10)));

  // What Redis's idle `timeout` does: closes the publisher's connection.
  RedisClient admin(redis.url(), RedisClient::Options{});
  ASSERT_TRUE(admin.Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).ok());

  ASSERT_TRUE(Upsert(registry, "second", School(2)).ok());
  EXPECT_TRUE(WaitForAnnounced(redis.url(), 2, std::chrono::seconds(10)));
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

TEST(HungPostgresTest, CallsFailWithinTheirDeadlineReadinessTurnsNotServingAndSigtermExits) {
  PostgresServer postgres;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, postgres.CreateDatabase());
  ASSERT_TRUE(Upsert(registry, "before", School(1)).ok());
  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);

  SignalTree(postgres.pid(), SIGSTOP);
  const auto write_start = Clock::now();
  const grpc::Status write = Upsert(registry, "during", School(2));
  const double write_seconds = SecondsSince(write_start);
  EXPECT_EQ(write.error_code(), grpc::StatusCode::UNAVAILABLE) << write.error_message();
  EXPECT_LT(write_seconds, 10.0);

  const double not_serving_seconds =
      WaitForHealth(registry, HealthCheckResponse::NOT_SERVING, std::chrono::seconds(10));
  std::printf(
      "[ measure  ] PostgreSQL frozen: a write failed after %.1f s; readiness NOT_SERVING after a further %.1f s\n",
      write_seconds, not_serving_seconds);
  EXPECT_GE(not_serving_seconds, 0);
  // Liveness does not depend on the database: no restart for an outage.
  EXPECT_EQ(Health(registry, "liveness"), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(registry, "gzedu.registry.v1.SchoolRegistryService"), HealthCheckResponse::NOT_SERVING);

  // A write in flight while SIGTERM arrives does not hold the exit.
  std::thread late([&registry] { (void)Upsert(registry, "late", School(3)); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto stop_start = Clock::now();
  const int exit_status = registry.process().Stop(SIGTERM);
  const double stop_seconds = SecondsSince(stop_start);
  late.join();
  SignalTree(postgres.pid(), SIGCONT);
  std::printf("[ measure  ] PostgreSQL frozen: SIGTERM to exit %.1f s\n", stop_seconds);
  // 0, or 1 when the watchdog ended a handler still waiting for its
  // database call (5 s deadline) at the end of the grace; never a kill.
  EXPECT_TRUE(exit_status == 0 || exit_status == 1) << exit_status;
  EXPECT_LT(stop_seconds, 6.0);
}

// What every queued write must show against a frozen PostgreSQL: each is
// refused within its own budget (5 s, counted from when it asked for the
// writer connection), not after the writes queued ahead of it.
constexpr double kWriteBudgetSeconds = 5.0;
constexpr double kBudgetMarginSeconds = 2.0;
constexpr int kQueuedWrites = 4;

// Runs `call(i)` for i in [0, count) at once, each on a thread of its own;
// returns each one's status and seconds.
template <typename Call>
std::vector<std::pair<grpc::Status, double>> ConcurrentCalls(int count, Call call) {
  std::vector<std::pair<grpc::Status, double>> outcomes(count);
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&outcomes, &call, i] {
      const auto start = Clock::now();
      outcomes[i].first = call(i);
      outcomes[i].second = SecondsSince(start);
    });
  }
  for (std::thread& thread : threads) thread.join();
  return outcomes;
}

void ExpectEachRefusedWithinItsBudget(const std::vector<std::pair<grpc::Status, double>>& outcomes,
                                      const char* service) {
  double slowest = 0;
  for (const auto& [status, seconds] : outcomes) {
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED)
        << status.error_code() << " " << status.error_message();
    EXPECT_LT(seconds, kWriteBudgetSeconds + kBudgetMarginSeconds) << status.error_message();
    slowest = std::max(slowest, seconds);
  }
  std::printf("[ measure  ] PostgreSQL frozen: %zu concurrent %s calls all refused, the last after %.1f s\n",
              outcomes.size(), service, slowest);
}

TEST(HungPostgresTest, QueuedRegistryWritesAreEachRefusedWithinTheirOwnBudget) {
  PostgresServer postgres;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, postgres.CreateDatabase());
  ASSERT_TRUE(Upsert(registry, "before", School(1)).ok());
  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);

  SignalTree(postgres.pid(), SIGSTOP);
  const auto outcomes = ConcurrentCalls(
      kQueuedWrites, [&registry](int i) { return Upsert(registry, "frozen-" + std::to_string(i), School(10 + i)); });
  SignalTree(postgres.pid(), SIGCONT);
  ExpectEachRefusedWithinItsBudget(outcomes, "registry");

  // Writes work again once PostgreSQL answers; the acknowledged write is
  // there, the refused ones are not.
  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(15)), 0);
  EXPECT_TRUE(Upsert(registry, "after", School(2)).ok());
  auto stub = registry::v1::SchoolRegistryService::NewStub(registry.channel());
  const auto get = [&stub](const registry::v1::School& school) {
    registry::v1::GetSchoolRequest request;
    request.set_school_code(school.school_code());
    registry::v1::GetSchoolResponse response;
    grpc::ClientContext context;
    return stub->GetSchool(&context, request, &response).error_code();
  };
  EXPECT_EQ(get(School(1)), grpc::StatusCode::OK);
  EXPECT_EQ(get(School(2)), grpc::StatusCode::OK);
  for (int i = 0; i < kQueuedWrites; ++i) EXPECT_EQ(get(School(10 + i)), grpc::StatusCode::NOT_FOUND) << i;
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

// Reads take turns on a few connections (four per process): more reads than
// that against a frozen PostgreSQL are each refused within their own budget
// too, not one after the other.
TEST(HungPostgresTest, QueuedReadsAreEachRefusedWithinTheirOwnBudget) {
  PostgresServer postgres;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, postgres.CreateDatabase());
  ASSERT_TRUE(Upsert(registry, "before", School(1)).ok());
  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);
  auto stub = registry::v1::SchoolRegistryService::NewStub(registry.channel());
  const auto list = [&stub](int) {
    registry::v1::ListSchoolsRequest request;
    request.set_district_code("440114");
    registry::v1::ListSchoolsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return stub->ListSchools(&context, request, &response);
  };

  SignalTree(postgres.pid(), SIGSTOP);
  // Three times the reader connections.
  const auto outcomes = ConcurrentCalls(12, list);
  SignalTree(postgres.pid(), SIGCONT);
  ExpectEachRefusedWithinItsBudget(outcomes, "registry ListSchools");

  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(15)), 0);
  EXPECT_TRUE(list(0).ok());
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

// The ledger commits its writes in groups (one PostgreSQL transaction for
// the writes queued together): the same holds there.
TEST(HungPostgresTest, QueuedLedgerWritesAreEachRefusedWithinTheirOwnBudget) {
  PostgresServer postgres;
  ServerProcess ledger(GZEDU_LEDGER_BINARY, postgres.CreateDatabase());
  auto stub = funding::v1::FundingLedgerService::NewStub(ledger.channel());
  const auto create = [&stub](const std::string& id) {
    funding::v1::CreateAccountsRequest request;
    request.set_request_id("create-" + id);
    funding::v1::Account* account = request.add_accounts();
    account->set_account_id(id);
    account->set_district_code("440114");
    account->set_purpose(funding::v1::ACCOUNT_PURPOSE_OTHER);
    funding::v1::CreateAccountsResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return stub->CreateAccounts(&context, request, &response);
  };
  ASSERT_TRUE(create("before").ok());
  ASSERT_GE(WaitForHealth(ledger, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);

  SignalTree(postgres.pid(), SIGSTOP);
  const auto outcomes =
      ConcurrentCalls(kQueuedWrites, [&create](int i) { return create("frozen-" + std::to_string(i)); });
  SignalTree(postgres.pid(), SIGCONT);
  ExpectEachRefusedWithinItsBudget(outcomes, "ledger");

  ASSERT_GE(WaitForHealth(ledger, HealthCheckResponse::SERVING, std::chrono::seconds(15)), 0);
  EXPECT_TRUE(create("after").ok());
  const auto get = [&stub](const std::string& id) {
    funding::v1::GetAccountRequest request;
    request.set_account_id(id);
    funding::v1::GetAccountResponse response;
    grpc::ClientContext context;
    return stub->GetAccount(&context, request, &response).error_code();
  };
  EXPECT_EQ(get("before"), grpc::StatusCode::OK);
  EXPECT_EQ(get("after"), grpc::StatusCode::OK);
  for (int i = 0; i < kQueuedWrites; ++i) {
    EXPECT_EQ(get("frozen-" + std::to_string(i)), grpc::StatusCode::NOT_FOUND) << i;
  }
  EXPECT_EQ(ledger.Stop(SIGTERM), 0);
}

TEST(HungPostgresTest, ServingAgainWhenPostgresThaws) {
  PostgresServer postgres;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, postgres.CreateDatabase());
  ASSERT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);
  SignalTree(postgres.pid(), SIGSTOP);
  EXPECT_GE(WaitForHealth(registry, HealthCheckResponse::NOT_SERVING, std::chrono::seconds(10)), 0);
  SignalTree(postgres.pid(), SIGCONT);
  EXPECT_GE(WaitForHealth(registry, HealthCheckResponse::SERVING, std::chrono::seconds(15)), 0);
  EXPECT_TRUE(Upsert(registry, "after", School(4)).ok());
  EXPECT_EQ(registry.Stop(SIGTERM), 0);
}

// A health Watch stream held open in a thread of its own; it records the
// statuses it receives and how the stream ended.
class HealthWatch {
 public:
  explicit HealthWatch(ServerProcess& server) : stub_(grpc::health::v1::Health::NewStub(server.channel())) {
    thread_ = std::thread([this] {
      grpc::health::v1::HealthCheckRequest request;
      auto reader = stub_->Watch(&context_, request);
      HealthCheckResponse response;
      while (reader->Read(&response)) {
        std::lock_guard<std::mutex> lock(mutex_);
        statuses_.push_back(response.status());
      }
      grpc::Status status = reader->Finish();
      std::lock_guard<std::mutex> lock(mutex_);
      end_ = status;
      ended_ = true;
      ended_at_ = Clock::now();
    });
  }
  ~HealthWatch() {
    context_.TryCancel();
    thread_.join();
  }
  // Waits until a status arrived.
  bool WaitForFirst() {
    for (int i = 0; i < 200; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!statuses_.empty()) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  void Join() { thread_.join(); }
  std::vector<HealthCheckResponse::ServingStatus> statuses() {
    std::lock_guard<std::mutex> lock(mutex_);
    return statuses_;
  }
  grpc::Status end() {
    std::lock_guard<std::mutex> lock(mutex_);
    return end_;
  }
  // When the stream ended (nullopt while open).
  std::optional<Clock::time_point> ended_at() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!ended_) return std::nullopt;
    return ended_at_;
  }

 private:
  std::unique_ptr<grpc::health::v1::Health::Stub> stub_;
  grpc::ClientContext context_;
  std::mutex mutex_;
  std::vector<HealthCheckResponse::ServingStatus> statuses_;
  grpc::Status end_;
  bool ended_ = false;
  Clock::time_point ended_at_;
  std::thread thread_;
};

TEST(ShutdownTest, AnOpenHealthWatchEndsWithAStatusAndDoesNotHoldTheExit) {
  TempDir dir;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db");
  auto watch = std::make_unique<HealthWatch>(registry);
  ASSERT_TRUE(watch->WaitForFirst());
  const auto start = Clock::now();
  const int exit_status = registry.process().Stop(SIGTERM);
  const double seconds = SecondsSince(start);
  std::optional<Clock::time_point> ended_at = watch->ended_at();
  ASSERT_TRUE(ended_at.has_value());
  const double watch_seconds = std::chrono::duration<double>(*ended_at - start).count();
  std::printf("[ measure  ] registry with an open health watch: SIGTERM to watch ended %.2f s, to exit %.2f s\n",
              watch_seconds, seconds);
  // The watch ends at once, with a status; the exit comes within the grace
  // (gRPC holds it for a client's idle connection until the calls' cut-off).
  EXPECT_LT(watch_seconds, 1.0);
  EXPECT_EQ(watch->end().error_code(), grpc::StatusCode::UNAVAILABLE) << watch->end().error_message();
  EXPECT_EQ(exit_status, 0) << registry.process().stderr_text();
  EXPECT_LT(seconds, 5.0);
  const std::vector<HealthCheckResponse::ServingStatus> statuses = watch->statuses();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.front(), HealthCheckResponse::SERVING);
  EXPECT_EQ(statuses.back(), HealthCheckResponse::NOT_SERVING);
  watch.reset();
}

// With nothing to drain, a server exits as soon as it stops: its /metrics
// endpoint stops alongside the drain, without waiting for CivetWeb's next
// look at its stop flag (up to 2 s later).
TEST(ShutdownTest, EveryServerExitsPromptlyWhenThereIsNothingToDrain) {
  const std::vector<std::pair<const char*, std::vector<std::string>>> servers = {
      {GZEDU_REGISTRY_BINARY, {}},
      {GZEDU_ROTATION_BINARY, {}},
      {GZEDU_LEDGER_BINARY, {}},
      {GZEDU_EVALUATION_BINARY, {"--registry=127.0.0.1:1", "--rotation=127.0.0.1:1", "--ledger=127.0.0.1:1"}}};
  for (const auto& [binary, args] : servers) {
    SCOPED_TRACE(binary);
    TempDir dir;
    ServerProcess server(binary, dir.path() + "/server.db", args);
    const auto start = Clock::now();
    const int exit_status = server.Stop(SIGTERM);
    const double seconds = SecondsSince(start);
    std::printf("[ measure  ] %s: SIGTERM to exit %.2f s\n", binary, seconds);
    EXPECT_EQ(exit_status, 0) << server.process().stderr_text();
    EXPECT_LT(seconds, 1.0);
  }
}

TEST(ShutdownTest, EvaluationExitsWithinItsGraceWhileASourceHangs) {
  TempDir dir;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db");
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir.path() + "/rotation.db");
  ServerProcess ledger(GZEDU_LEDGER_BINARY, dir.path() + "/ledger.db");
  ServerProcess evaluation(GZEDU_EVALUATION_BINARY, dir.path() + "/evaluation.db",
                           {"--registry=" + registry.grpc_address(), "--rotation=" + rotation.grpc_address(),
                            "--ledger=" + ledger.grpc_address(), "--poll-ms=100"});
  ASSERT_GE(WaitForHealth(evaluation, HealthCheckResponse::SERVING, std::chrono::seconds(10)), 0);
  auto watch = std::make_unique<HealthWatch>(evaluation);
  ASSERT_TRUE(watch->WaitForFirst());

  // The follower's next read of the registry's feed hangs (10 s deadline).
  SignalTree(registry.process().pid(), SIGSTOP);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto start = Clock::now();
  const int exit_status = evaluation.process().Stop(SIGTERM);
  const double seconds = SecondsSince(start);
  SignalTree(registry.process().pid(), SIGCONT);
  std::printf("[ measure  ] evaluation with a hung source and a health watch: SIGTERM to exit %.2f s\n", seconds);
  EXPECT_EQ(exit_status, 0) << evaluation.process().stderr_text();
  EXPECT_LT(seconds, 5.0);
  const std::vector<HealthCheckResponse::ServingStatus> statuses = watch->statuses();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.back(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(watch->end().error_code(), grpc::StatusCode::UNAVAILABLE) << watch->end().error_message();
  watch.reset();
}

}  // namespace
}  // namespace gzedu
