// Two replicas of a service against one PostgreSQL database and one Redis,
// through the real binaries: concurrent writers on both behave as one
// service (ids used once, batches atomic, balances exact), a reader paging
// ListChanges while they write never misses a change, and losing the
// database turns requests UNAVAILABLE and readiness NOT_SERVING until it
// returns.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/redis_server.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::ServerProcess;

grpc::ClientContext* WithDeadline(grpc::ClientContext* context, int seconds = 30) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return context;
}

// Pages a change feed from version 0 until told to stop and the feed is
// drained, keeping every version seen, in order.
template <typename Stub, typename Request, typename Response>
class FeedReader {
 public:
  explicit FeedReader(Stub* stub) : stub_(stub), thread_([this] { Run(); }) {}
  ~FeedReader() { Finish(); }

  // Stops after one more full pass to the feed's end.
  void Finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  const std::vector<int64_t>& versions() const { return versions_; }
  int errors() const { return errors_; }

 private:
  void Run() {
    int64_t since = 0;
    for (;;) {
      const bool last_pass = stop_.load();
      for (;;) {
        Request request;
        request.set_since_version(since);
        request.set_page_size(37);
        Response response;
        grpc::ClientContext context;
        if (!stub_->ListChanges(WithDeadline(&context), request, &response).ok()) {
          ++errors_;
          break;
        }
        for (const auto& change : response.changes()) {
          versions_.push_back(change.change_version());
          since = change.change_version();
        }
        if (response.changes().empty()) break;
      }
      if (last_pass) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  Stub* stub_;
  std::atomic<bool> stop_{false};
  std::vector<int64_t> versions_;
  int errors_ = 0;
  std::thread thread_;
};

// Versions 1..n, each once, in order.
void ExpectGapFree(const std::vector<int64_t>& versions, int64_t latest) {
  ASSERT_EQ(static_cast<int64_t>(versions.size()), latest);
  for (size_t i = 0; i < versions.size(); ++i) {
    ASSERT_EQ(versions[i], static_cast<int64_t>(i + 1)) << "the reader skipped or repeated a change at " << i;
  }
}

namespace fv1 = gzedu::funding::v1;
namespace rv1 = gzedu::registry::v1;
namespace tv1 = gzedu::rotation::v1;

fv1::Account Account(const std::string& id, fv1::AccountPurpose purpose, const std::string& school = "") {
  fv1::Account a;
  a.set_account_id(id);
  a.set_district_code("440114");
  a.set_school_code(school);
  a.set_purpose(purpose);
  return a;
}

fv1::Transfer Transfer(const std::string& id, const std::string& credit, int64_t fen) {
  fv1::Transfer t;
  t.set_transfer_id(id);
  t.set_debit_account_id("treasury");
  t.set_credit_account_id(credit);
  t.set_amount_fen(fen);
  t.set_school_year(2024);
  t.set_purpose("operating funds");
  return t;
}

rv1::School School(int n, const std::string& name_suffix = "") {
  rv1::School school;
  std::string code = std::to_string(n);
  school.set_school_code("31" + std::string(8 - code.size(), '0') + code);
  school.set_name("测试学校" + std::to_string(n) + name_suffix);
  school.set_district_code(n % 2 == 0 ? "440114" : "440103");
  school.set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(rv1::OWNERSHIP_PUBLIC);
  school.set_locale(rv1::LOCALE_URBAN);
  return school;
}

// Two replicas of one binary on one fresh PostgreSQL database and one Redis.
class Replicas {
 public:
  Replicas(const std::string& binary, const std::string& database, const std::string& redis_url)
      : a_(binary, database, {"--redis=" + redis_url}), b_(binary, database, {"--redis=" + redis_url}) {}
  ServerProcess& a() { return a_; }
  ServerProcess& b() { return b_; }

 private:
  ServerProcess a_;
  ServerProcess b_;
};

TEST(ReplicasTest, LedgerPostingToBothReplicasKeepsBalancesExactAndTheFeedGapFree) {
  gzedu::testing::RedisServer redis;
  Replicas replicas(GZEDU_LEDGER_BINARY, gzedu::testing::FreshPostgresDatabase(), redis.url());
  auto a = fv1::FundingLedgerService::NewStub(replicas.a().channel());
  auto b = fv1::FundingLedgerService::NewStub(replicas.b().channel());
  {
    fv1::CreateAccountsRequest request;
    request.set_request_id("open");
    *request.add_accounts() = Account("treasury", fv1::ACCOUNT_PURPOSE_OTHER);
    for (int s = 0; s < 4; ++s) {
      *request.add_accounts() =
          Account("s" + std::to_string(s), fv1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, "214401140" + std::to_string(s));
    }
    fv1::CreateAccountsResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(a->CreateAccounts(WithDeadline(&context), request, &response).ok());
  }
  FeedReader<fv1::FundingLedgerService::Stub, fv1::ListChangesRequest, fv1::ListChangesResponse> reader(b.get());

  // Eight clients, four on each replica; every batch is sent twice, the
  // second time to the other replica with the same request id, and carries
  // five transfers of the client's previous batch again (already posted).
  constexpr int kClients = 8;
  constexpr int kBatches = 25;
  constexpr int kFresh = 20;
  std::mutex mutex;
  std::map<std::string, int64_t> expected;
  int64_t unique_transfers = 0;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k) {
    clients.emplace_back([&, k] {
      fv1::FundingLedgerService::Stub* first = k % 2 == 0 ? a.get() : b.get();
      fv1::FundingLedgerService::Stub* second = k % 2 == 0 ? b.get() : a.get();
      std::vector<fv1::Transfer> previous;
      std::map<std::string, int64_t> mine;
      for (int batch = 0; batch < kBatches; ++batch) {
        fv1::PostTransfersRequest request;
        request.set_request_id("c" + std::to_string(k) + "-b" + std::to_string(batch));
        for (size_t i = 0; i < previous.size() && i < 5; ++i) *request.add_transfers() = previous[i];
        std::vector<fv1::Transfer> fresh;
        for (int i = 0; i < kFresh; ++i) {
          const int n = batch * kFresh + i;
          fresh.push_back(Transfer("c" + std::to_string(k) + "-" + std::to_string(n), "s" + std::to_string((k + n) % 4),
                                   1 + (k * 7919 + n * 104729) % 99991));
          *request.add_transfers() = fresh.back();
        }
        for (fv1::FundingLedgerService::Stub* stub : {first, second}) {
          fv1::PostTransfersResponse response;
          grpc::ClientContext context;
          const grpc::Status status = stub->PostTransfers(WithDeadline(&context, 60), request, &response);
          if (!status.ok()) {
            ++failures;
            ADD_FAILURE() << status.error_message();
            return;
          }
        }
        for (const fv1::Transfer& t : fresh) mine[t.credit_account_id()] += t.amount_fen();
        previous = fresh;
      }
      std::lock_guard<std::mutex> lock(mutex);
      for (const auto& [account, fen] : mine) expected[account] += fen;
      unique_transfers += kBatches * kFresh;
    });
  }
  for (std::thread& client : clients) client.join();
  reader.Finish();
  ASSERT_EQ(failures.load(), 0);

  int64_t total = 0;
  for (const auto& [account, fen] : expected) {
    for (auto* stub : {a.get(), b.get()}) {
      fv1::GetAccountRequest request;
      request.set_account_id(account);
      fv1::GetAccountResponse response;
      grpc::ClientContext context;
      ASSERT_TRUE(stub->GetAccount(WithDeadline(&context), request, &response).ok());
      EXPECT_EQ(response.account().credits_posted_fen(), fen) << account;
    }
    total += fen;
  }
  fv1::VerifyJournalResponse verified;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(a->VerifyJournal(WithDeadline(&context), fv1::VerifyJournalRequest(), &verified).ok());
  }
  EXPECT_TRUE(verified.ok()) << verified.first_problem();
  EXPECT_EQ(verified.entries_checked(), unique_transfers);  // each transfer id used once
  fv1::GetAccountRequest treasury;
  treasury.set_account_id("treasury");
  fv1::GetAccountResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(b->GetAccount(WithDeadline(&context), treasury, &response).ok());
  EXPECT_EQ(response.account().debits_posted_fen(), total);

  // The reader on replica B saw every change either replica committed,
  // exactly once, in order: 5 accounts and every transfer.
  EXPECT_EQ(reader.errors(), 0);
  ExpectGapFree(reader.versions(), 5 + unique_transfers);
}

TEST(ReplicasTest, RegistryBatchesOnBothReplicasAreAtomicAndTheFeedGapFree) {
  gzedu::testing::RedisServer redis;
  Replicas replicas(GZEDU_REGISTRY_BINARY, gzedu::testing::FreshPostgresDatabase(), redis.url());
  auto a = rv1::SchoolRegistryService::NewStub(replicas.a().channel());
  auto b = rv1::SchoolRegistryService::NewStub(replicas.b().channel());
  FeedReader<rv1::SchoolRegistryService::Stub, rv1::ListChangesRequest, rv1::ListChangesResponse> reader(a.get());

  // Six writers, three per replica, all upserting the same 60 schools
  // (renamed each round), plus every third batch made invalid by its last
  // school: rejected whole.
  constexpr int kWriters = 6;
  constexpr int kRounds = 12;
  std::atomic<int> failures{0};
  std::atomic<int> rejected{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      rv1::SchoolRegistryService::Stub* stub = w % 2 == 0 ? a.get() : b.get();
      for (int round = 0; round < kRounds; ++round) {
        rv1::UpsertSchoolsRequest request;
        request.set_request_id("w" + std::to_string(w) + "-r" + std::to_string(round));
        for (int n = 0; n < 60; ++n) {
          *request.add_schools() = School(n, "-" + std::to_string(w) + "-" + std::to_string(round));
        }
        const bool invalid = round % 3 == 2;
        if (invalid) {
          rv1::School bad = School(1000 + w);
          bad.set_district_code("999999");
          *request.add_schools() = bad;
        }
        rv1::UpsertSchoolsResponse response;
        grpc::ClientContext context;
        const grpc::Status status = stub->UpsertSchools(WithDeadline(&context, 60), request, &response);
        if (invalid) {
          if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
            ++rejected;
          } else {
            ++failures;
          }
        } else if (!status.ok()) {
          ++failures;
          ADD_FAILURE() << status.error_message();
        }
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  reader.Finish();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(rejected.load(), kWriters * kRounds / 3);

  // Nothing of a rejected batch: 60 schools, none of the invalid ones; and
  // all 60 carry the name of one and the same batch (the last committed).
  rv1::ListSchoolsRequest list;
  list.set_page_size(1000);
  rv1::ListSchoolsResponse schools;
  grpc::ClientContext context;
  ASSERT_TRUE(b->ListSchools(WithDeadline(&context), list, &schools).ok());
  ASSERT_EQ(schools.schools_size(), 60);
  const std::string name = schools.schools(0).name();
  const std::string batch = name.substr(name.find('-'));
  for (const rv1::School& s : schools.schools()) {
    EXPECT_EQ(s.name().substr(s.name().find('-')), batch) << s.school_code() << " is from another batch";
  }
  EXPECT_EQ(reader.errors(), 0);
  // Every school written in every committed batch (60 creates, then 60 updates
  // per later batch): versions 1..N, none missed.
  ExpectGapFree(reader.versions(), static_cast<int64_t>(reader.versions().size()));
  EXPECT_EQ(static_cast<int64_t>(reader.versions().size()), 60 * (kWriters * kRounds - rejected.load()));
}

TEST(ReplicasTest, RotationIdsAssignedOnBothReplicasAreUsedOnceAndRetriesReplay) {
  gzedu::testing::RedisServer redis;
  Replicas replicas(GZEDU_ROTATION_BINARY, gzedu::testing::FreshPostgresDatabase(), redis.url());
  auto a = tv1::TeacherRotationService::NewStub(replicas.a().channel());
  auto b = tv1::TeacherRotationService::NewStub(replicas.b().channel());
  constexpr int kClients = 8;
  constexpr int kPerClient = 6;
  {
    tv1::UpsertTeachersRequest request;
    request.set_request_id("roster");
    for (int n = 0; n < kClients * kPerClient; ++n) {
      tv1::Teacher* t = request.add_teachers();
      t->set_teacher_id("HD-" + std::to_string(n));
      t->set_district_code("440114");
      t->set_school_code("2144011401");
      t->set_stage(common::v1::STAGE_PRIMARY);
      t->set_full_time(true);
      t->set_subject(tv1::SUBJECT_OTHER);
      t->set_highest_degree(tv1::DEGREE_BACHELOR);
      t->set_backbone_level(tv1::BACKBONE_LEVEL_NONE);
      t->set_certified(true);
      t->set_training_hours_current_cycle(400);
      t->set_at_current_school_since("2012-08-20");
      t->set_school_ownership(tv1::SCHOOL_OWNERSHIP_PUBLIC);
    }
    tv1::UpsertTeachersResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(b->UpsertTeachers(WithDeadline(&context), request, &response).ok());
  }
  FeedReader<tv1::TeacherRotationService::Stub, tv1::ListChangesRequest, tv1::ListChangesResponse> reader(a.get());

  // Each proposal goes to one replica and is retried (same request id) on
  // the other: the retry answers the same rotation id and writes nothing.
  std::mutex mutex;
  std::set<std::string> ids;
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k) {
    clients.emplace_back([&, k] {
      tv1::TeacherRotationService::Stub* first = k % 2 == 0 ? a.get() : b.get();
      tv1::TeacherRotationService::Stub* second = k % 2 == 0 ? b.get() : a.get();
      for (int i = 0; i < kPerClient; ++i) {
        tv1::ProposeRotationRequest request;
        request.set_request_id("propose-" + std::to_string(k) + "-" + std::to_string(i));
        request.set_actor("花都区教育局");
        tv1::Rotation* r = request.mutable_rotation();
        r->set_teacher_id("HD-" + std::to_string(k * kPerClient + i));
        r->set_from_school_code("2144011401");
        r->set_to_school_code("2144011403");
        r->set_kind(tv1::ROTATION_KIND_SUPPORT_TEACHING);
        r->set_effective_date("2024-09-01");
        std::string answered[2];
        int n = 0;
        for (tv1::TeacherRotationService::Stub* stub : {first, second}) {
          tv1::ProposeRotationResponse response;
          grpc::ClientContext context;
          const grpc::Status status = stub->ProposeRotation(WithDeadline(&context, 60), request, &response);
          if (!status.ok()) {
            ++failures;
            ADD_FAILURE() << status.error_message();
            return;
          }
          answered[n++] = response.rotation().rotation_id();
        }
        EXPECT_EQ(answered[0], answered[1]) << "a retry on the other replica made another rotation";
        std::lock_guard<std::mutex> lock(mutex);
        EXPECT_TRUE(ids.insert(answered[0]).second) << answered[0] << " was given twice";
      }
    });
  }
  for (std::thread& client : clients) client.join();
  reader.Finish();
  ASSERT_EQ(failures.load(), 0);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kClients * kPerClient));
  tv1::ListRotationsRequest list;
  list.set_district_code("440114");
  list.set_page_size(1000);
  tv1::ListRotationsResponse rotations;
  grpc::ClientContext context;
  ASSERT_TRUE(a->ListRotations(WithDeadline(&context), list, &rotations).ok());
  EXPECT_EQ(rotations.rotations_size(), kClients * kPerClient);
  EXPECT_EQ(reader.errors(), 0);
  // The roster's teachers and every proposal, each change once, in order.
  ExpectGapFree(reader.versions(), kClients * kPerClient * 2);
}

grpc::health::v1::HealthCheckResponse::ServingStatus Health(ServerProcess& server, const std::string& name) {
  auto health = grpc::health::v1::Health::NewStub(server.channel());
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(name);
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  if (!health->Check(WithDeadline(&context, 5), request, &response).ok()) {
    return grpc::health::v1::HealthCheckResponse::UNKNOWN;
  }
  return response.status();
}

bool WaitForHealth(ServerProcess& server, const std::string& name,
                   grpc::health::v1::HealthCheckResponse::ServingStatus wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (Health(server, name) == wanted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(ReplicasTest, LosingPostgresTurnsRequestsUnavailableAndReadinessNotServingUntilItReturns) {
  gzedu::testing::PostgresServer postgres;  // its own: this test stops it
  ServerProcess server(GZEDU_REGISTRY_BINARY, postgres.CreateDatabase());
  auto stub = rv1::SchoolRegistryService::NewStub(server.channel());
  const std::string name = "gzedu.registry.v1.SchoolRegistryService";
  auto upsert = [&](const std::string& request_id, int n) {
    rv1::UpsertSchoolsRequest request;
    request.set_request_id(request_id);
    *request.add_schools() = School(n);
    rv1::UpsertSchoolsResponse response;
    grpc::ClientContext context;
    return stub->UpsertSchools(WithDeadline(&context), request, &response);
  };
  ASSERT_TRUE(upsert("before", 1).ok());
  ASSERT_TRUE(WaitForHealth(server, name, grpc::health::v1::HealthCheckResponse::SERVING));

  postgres.Stop();
  EXPECT_EQ(upsert("during", 2).error_code(), grpc::StatusCode::UNAVAILABLE);
  rv1::GetSchoolRequest get;
  get.set_school_code(School(1).school_code());
  rv1::GetSchoolResponse got;
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub->GetSchool(WithDeadline(&context), get, &got).error_code(), grpc::StatusCode::UNAVAILABLE);
  }
  EXPECT_TRUE(WaitForHealth(server, name, grpc::health::v1::HealthCheckResponse::NOT_SERVING));

  postgres.Start();
  EXPECT_TRUE(WaitForHealth(server, name, grpc::health::v1::HealthCheckResponse::SERVING));
  EXPECT_TRUE(upsert("after", 3).ok());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->GetSchool(WithDeadline(&context), get, &got).ok());
    EXPECT_EQ(got.school().school_code(), School(1).school_code());  // written before the outage, still there
  }
  // The failed request wrote nothing; retried now, it is applied once.
  EXPECT_TRUE(upsert("during", 2).ok());
  rv1::ListChangesRequest changes;
  rv1::ListChangesResponse page;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->ListChanges(WithDeadline(&context), changes, &page).ok());
  EXPECT_EQ(page.changes_size(), 3);
}

}  // namespace
}  // namespace gzedu
