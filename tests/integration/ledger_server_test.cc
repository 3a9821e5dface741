// The real gzedu-funding-ledger binary on port 0 with a temporary SQLite
// file: correctness under concurrent load and under kill -9, and money that
// never wraps.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "common/domain/input_bounds.h"
#include "common/grpc/status_conversion.h"
#include "common/storage/sql_database.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "tests/support/postgres_server.h"
#include "tests/support/server_process.h"

namespace gzedu::funding {
namespace {

using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;

v1::Account Account(const std::string& id, v1::AccountPurpose purpose, bool no_overdraft = false,
                    const std::string& school = "") {
  v1::Account a;
  a.set_account_id(id);
  a.set_district_code("440114");
  a.set_school_code(school);
  a.set_purpose(purpose);
  a.set_debits_must_not_exceed_credits(no_overdraft);
  return a;
}

v1::Transfer Transfer(const std::string& id, const std::string& debit, const std::string& credit, int64_t fen) {
  v1::Transfer t;
  t.set_transfer_id(id);
  t.set_debit_account_id(debit);
  t.set_credit_account_id(credit);
  t.set_amount_fen(fen);
  t.set_school_year(2024);
  t.set_purpose("operating funds");
  return t;
}

class LedgerServerTest : public ::testing::Test {
 protected:
  LedgerServerTest() { Start(); }

  void Start() {
    server_ = std::make_unique<ServerProcess>(GZEDU_LEDGER_BINARY, database_);
    stub_ = v1::FundingLedgerService::NewStub(server_->channel());
  }

  // Restarts the server on a fresh PostgreSQL database.
  void StartOnPostgres() {
    stub_.reset();
    server_.reset();
    database_ = gzedu::testing::FreshPostgresDatabase();
    Start();
  }

  void Open(const std::vector<v1::Account>& accounts) {
    v1::CreateAccountsRequest request;
    request.set_request_id("open-" + accounts.front().account_id());
    for (const v1::Account& a : accounts) *request.add_accounts() = a;
    v1::CreateAccountsResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->CreateAccounts(&context, request, &response).ok());
  }

  grpc::Status Post(v1::FundingLedgerService::Stub& stub, const std::string& request_id,
                    const std::vector<v1::Transfer>& transfers, v1::PostTransfersResponse* response) {
    v1::PostTransfersRequest request;
    request.set_request_id(request_id);
    for (const v1::Transfer& t : transfers) *request.add_transfers() = t;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return stub.PostTransfers(&context, request, response);
  }

  v1::Account Get(const std::string& id) {
    v1::GetAccountRequest request;
    request.set_account_id(id);
    v1::GetAccountResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub_->GetAccount(&context, request, &response).ok());
    return response.account();
  }

  // Posts `total_fen` from `debit` to `credit` in transfers of at most the
  // bound on one amount, batches of 1000, all pending when `pending`;
  // returns how many transfers that took.
  int64_t PostInBoundedSteps(const std::string& prefix, const std::string& debit, const std::string& credit,
                             int64_t total_fen, bool pending) {
    int64_t left_fen = total_fen;
    int64_t count = 0;
    for (int batch = 0; left_fen > 0; ++batch) {
      std::vector<v1::Transfer> transfers;
      while (left_fen > 0 && transfers.size() < 1000) {
        const int64_t fen = std::min(left_fen, gzedu::bounds::kMaxAmountFen);
        v1::Transfer t = Transfer(prefix + std::to_string(count++), debit, credit, fen);
        t.set_pending(pending);
        transfers.push_back(t);
        left_fen -= fen;
      }
      v1::PostTransfersResponse response;
      const grpc::Status status = Post(*stub_, prefix + "batch" + std::to_string(batch), transfers, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) return count;
    }
    return count;
  }

  grpc::Status Summary(int32_t school_year, v1::GetFundingSummaryResponse* response) {
    v1::GetFundingSummaryRequest request;
    request.set_district_code("440114");
    request.set_school_year(school_year);
    grpc::ClientContext context;
    return stub_->GetFundingSummary(&context, request, response);
  }

  // Eight clients drain a pool that forbids overdraft, one transfer per
  // batch, 200 each: exactly what the pool holds is accepted, the rest is
  // refused, and the journal verifies.
  void DrainAPoolThatForbidsOverdraftFromEightClients() {
    Open({Account("treasury", v1::ACCOUNT_PURPOSE_OTHER),
          Account("pool", v1::ACCOUNT_PURPOSE_DISTRICT_EDUCATION_BUDGET, true),
          Account("out", v1::ACCOUNT_PURPOSE_OTHER)});
    v1::PostTransfersResponse response;
    ASSERT_TRUE(Post(*stub_, "fund", {Transfer("fund", "treasury", "pool", 1000000)}, &response).ok());
    std::atomic<int> accepted{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 8; ++k) {
      threads.emplace_back([&, k] {
        auto stub = v1::FundingLedgerService::NewStub(server_->channel());
        for (int i = 0; i < 200; ++i) {
          const std::string id = "w" + std::to_string(k) + "-" + std::to_string(i);
          v1::PostTransfersResponse r;
          const grpc::Status status = Post(*stub, id, {Transfer(id, "pool", "out", 1000)}, &r);
          if (status.ok()) {
            ++accepted;
          } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
            ++refused;
          } else {
            ADD_FAILURE() << status.error_message();
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(accepted.load(), 1000);  // exactly what the pool holds
    EXPECT_EQ(refused.load(), 600);
    const v1::Account pool = Get("pool");
    EXPECT_EQ(pool.credits_posted_fen() - pool.debits_posted_fen(), 0);
    EXPECT_TRUE(Verify().ok());
  }

  v1::VerifyJournalResponse Verify() {
    v1::VerifyJournalResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub_->VerifyJournal(&context, v1::VerifyJournalRequest(), &response).ok());
    return response;
  }

  TempDir dir_;
  std::string database_ = dir_.path() + "/ledger.db";
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::FundingLedgerService::Stub> stub_;
};

TEST_F(LedgerServerTest, SixteenConcurrentClientsWithRetriesLeaveExactBalances) {
  constexpr int kClients = 16;
  constexpr int kBatches = 100;
  constexpr int kBatchSize = 100;
  constexpr int kRetriesPerBatch = 20;  // a fifth of every batch after the first
  Open({Account("treasury", v1::ACCOUNT_PURPOSE_OTHER),
        Account("s0", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011400"),
        Account("s1", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011401"),
        Account("s2", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011402"),
        Account("s3", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011403")});
  std::mutex mutex;
  std::map<std::string, int64_t> expected;  // credits per school account
  int64_t expected_total = 0;
  int64_t unique_transfers = 0;
  std::atomic<int64_t> already_posted{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  for (int k = 0; k < kClients; ++k) {
    clients.emplace_back([&, k] {
      auto stub = v1::FundingLedgerService::NewStub(server_->channel());
      std::mt19937 random(k);
      std::vector<v1::Transfer> posted;
      std::map<std::string, int64_t> mine;
      int64_t next = 0;
      for (int b = 0; b < kBatches; ++b) {
        std::vector<v1::Transfer> batch;
        const int retries = b == 0 ? 0 : kRetriesPerBatch;
        std::set<size_t> picked;
        while (static_cast<int>(picked.size()) < retries) picked.insert(random() % posted.size());
        for (size_t index : picked) batch.push_back(posted[index]);
        std::vector<v1::Transfer> fresh;
        while (static_cast<int>(batch.size()) < kBatchSize) {
          const std::string account = "s" + std::to_string((k + next) % 4);
          v1::Transfer t = Transfer("c" + std::to_string(k) + "-" + std::to_string(next), "treasury", account,
                                    1 + (k * 7919 + next * 104729) % 99991);
          ++next;
          batch.push_back(t);
          fresh.push_back(t);
        }
        v1::PostTransfersResponse response;
        const grpc::Status status = Post(*stub, "c" + std::to_string(k) + "-b" + std::to_string(b), batch, &response);
        if (!status.ok()) {
          ++failures;
          ADD_FAILURE() << status.error_message();
          return;
        }
        for (const v1::TransferResult& r : response.results()) {
          if (r.status() == v1::TRANSFER_STATUS_ALREADY_POSTED) ++already_posted;
        }
        for (const v1::Transfer& t : fresh) {
          posted.push_back(t);
          mine[t.credit_account_id()] += t.amount_fen();
        }
      }
      std::lock_guard<std::mutex> lock(mutex);
      for (const auto& [account, fen] : mine) {
        expected[account] += fen;
        expected_total += fen;
      }
      unique_transfers += static_cast<int64_t>(posted.size());
    });
  }
  for (std::thread& client : clients) client.join();
  ASSERT_EQ(failures.load(), 0);
  // Every retry in a batch after the first was answered as already posted.
  EXPECT_GE(already_posted.load(), kClients * (kBatches - 1) * (kRetriesPerBatch / 2));
  for (const auto& [account, fen] : expected) {
    const v1::Account stored = Get(account);
    EXPECT_EQ(stored.credits_posted_fen(), fen) << account;
    EXPECT_EQ(stored.debits_posted_fen(), 0) << account;
  }
  EXPECT_EQ(Get("treasury").debits_posted_fen(), expected_total);
  const v1::VerifyJournalResponse verified = Verify();
  EXPECT_TRUE(verified.ok()) << verified.first_problem();
  EXPECT_EQ(verified.entries_checked(), unique_transfers);  // nothing posted twice
}

TEST_F(LedgerServerTest, AnAccountThatForbidsOverdraftNeverGoesBelowZeroUnderContention) {
  DrainAPoolThatForbidsOverdraftFromEightClients();
}

// On PostgreSQL refused batches share commit groups with accepted ones: each
// rolls back to its own savepoint, and the others commit whole.
TEST_F(LedgerServerTest, OnPostgresARefusedBatchInACommitGroupLeavesTheOthersWhole) {
  StartOnPostgres();
  DrainAPoolThatForbidsOverdraftFromEightClients();
}

TEST_F(LedgerServerTest, KillNineDuringAPostingLoopLosesNoAcknowledgedTransfer) {
  Open({Account("treasury", v1::ACCOUNT_PURPOSE_OTHER),
        Account("s", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011401")});
  std::mutex mutex;
  std::condition_variable acknowledged_cv;
  std::vector<std::vector<std::string>> acknowledged;
  std::vector<std::string> in_flight;
  int64_t acknowledged_fen = 0;
  std::thread poster([&] {
    auto stub = v1::FundingLedgerService::NewStub(server_->channel());
    for (int b = 0;; ++b) {
      std::vector<v1::Transfer> batch;
      std::vector<std::string> ids;
      for (int i = 0; i < 50; ++i) {
        const std::string id = "k" + std::to_string(b) + "-" + std::to_string(i);
        batch.push_back(Transfer(id, "treasury", "s", 100 + i));
        ids.push_back(id);
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        in_flight = ids;
      }
      v1::PostTransfersResponse response;
      if (!Post(*stub, "kb" + std::to_string(b), batch, &response).ok()) return;  // the server is gone
      std::lock_guard<std::mutex> lock(mutex);
      acknowledged.push_back(ids);
      for (int i = 0; i < 50; ++i) acknowledged_fen += 100 + i;
      acknowledged_cv.notify_all();
    }
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    acknowledged_cv.wait(lock, [&] { return acknowledged.size() >= 30; });
  }
  EXPECT_EQ(server_->process().Stop(SIGKILL), 128 + SIGKILL);
  poster.join();

  stub_.reset();
  Start();
  // Every acknowledged transfer is there; the batch in flight is all there
  // or not at all.
  const int64_t credits = Get("s").credits_posted_fen();
  const int64_t in_flight_fen = 50 * 100 + 49 * 50 / 2;  // 100 + 101 + ... + 149
  EXPECT_TRUE(credits == acknowledged_fen || credits == acknowledged_fen + in_flight_fen)
      << credits << " vs acknowledged " << acknowledged_fen;
  const v1::VerifyJournalResponse verified = Verify();
  EXPECT_TRUE(verified.ok()) << verified.first_problem();
  EXPECT_EQ(verified.entries_checked() % 50, 0);
  EXPECT_GE(verified.entries_checked(), static_cast<int64_t>(acknowledged.size()) * 50);
}

// On PostgreSQL, batches posted at the same time commit together (one WAL
// flush for several): none is acknowledged before that COMMIT, so a kill -9
// loses no acknowledged batch, and each batch in flight is all there or not
// at all.
TEST_F(LedgerServerTest, KillNineWhileFourClientsPostOnPostgresLosesNoAcknowledgedBatch) {
  StartOnPostgres();
  constexpr int kClients = 4;
  constexpr int kBatch = 20;
  std::vector<v1::Account> accounts = {Account("treasury", v1::ACCOUNT_PURPOSE_OTHER)};
  for (int c = 0; c < kClients; ++c) {
    accounts.push_back(
        Account("s" + std::to_string(c), v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "214401140" + std::to_string(c)));
  }
  Open(accounts);
  std::mutex mutex;
  std::condition_variable acknowledged_cv;
  int acknowledged_batches = 0;
  std::vector<int64_t> acknowledged_fen(kClients, 0);
  std::vector<int64_t> in_flight_fen(kClients, 0);
  std::vector<std::thread> posters;
  for (int c = 0; c < kClients; ++c) {
    posters.emplace_back([&, c] {
      auto stub = v1::FundingLedgerService::NewStub(server_->channel());
      const std::string account = "s" + std::to_string(c);
      for (int b = 0;; ++b) {
        std::vector<v1::Transfer> batch;
        int64_t fen = 0;
        for (int i = 0; i < kBatch; ++i) {
          const int64_t amount = 1 + c * 1000 + b * 37 + i;
          batch.push_back(
              Transfer(account + "-" + std::to_string(b) + "-" + std::to_string(i), "treasury", account, amount));
          fen += amount;
        }
        {
          std::lock_guard<std::mutex> lock(mutex);
          in_flight_fen[c] = fen;
        }
        v1::PostTransfersResponse response;
        if (!Post(*stub, account + "-b" + std::to_string(b), batch, &response).ok()) return;  // the server is gone
        std::lock_guard<std::mutex> lock(mutex);
        acknowledged_fen[c] += fen;
        in_flight_fen[c] = 0;
        ++acknowledged_batches;
        acknowledged_cv.notify_all();
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    acknowledged_cv.wait(lock, [&] { return acknowledged_batches >= 40; });
  }
  EXPECT_EQ(server_->process().Stop(SIGKILL), 128 + SIGKILL);
  for (std::thread& t : posters) t.join();

  stub_.reset();
  Start();
  for (int c = 0; c < kClients; ++c) {
    const int64_t credits = Get("s" + std::to_string(c)).credits_posted_fen();
    EXPECT_TRUE(credits == acknowledged_fen[c] || credits == acknowledged_fen[c] + in_flight_fen[c])
        << "s" << c << ": " << credits << " vs acknowledged " << acknowledged_fen[c];
  }
  const v1::VerifyJournalResponse verified = Verify();
  EXPECT_TRUE(verified.ok()) << verified.first_problem();
  EXPECT_EQ(verified.entries_checked() % kBatch, 0);
  EXPECT_GE(verified.entries_checked(), static_cast<int64_t>(acknowledged_batches) * kBatch);
  // The change feed has every account and entry once, without gaps.
  v1::ListChangesRequest request;
  request.set_page_size(1000);
  int64_t expected_version = 0;
  while (true) {
    v1::ListChangesResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->ListChanges(&context, request, &response).ok());
    for (const auto& change : response.changes()) EXPECT_EQ(change.change_version(), ++expected_version);
    if (response.changes().empty()) break;
    request.set_since_version(expected_version);
  }
  EXPECT_EQ(expected_version, kClients + 1 + verified.entries_checked());
}

TEST_F(LedgerServerTest, HuaduFundingFactsComeOutOfGetFundingSummary) {
  Open({Account("treasury", v1::ACCOUNT_PURPOSE_OTHER),
        Account("schools.operating", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144019999"),
        Account("schools.training", v1::ACCOUNT_PURPOSE_SCHOOL_TRAINING, false, "2144019999"),
        Account("special.operating", v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING, false, "2144011410")});
  // 716,587,300 yuan of operating budget over all schools (the
  // special-education school's 5,732,980 among them), 47,862,200 for
  // training; the special-education school's budget is disbursed in two
  // steps, reserved first.
  v1::Transfer reserve = Transfer("se-reserve", "treasury", "special.operating", 573298000);
  reserve.set_pending(true);
  v1::Transfer disburse;
  disburse.set_transfer_id("se-disburse");
  disburse.set_post_pending_id("se-reserve");
  disburse.set_school_year(2024);
  v1::PostTransfersResponse response;
  ASSERT_TRUE(Post(*stub_, "huadu",
                   {Transfer("op", "treasury", "schools.operating", 71658730000 - 573298000),
                    Transfer("tr", "treasury", "schools.training", 4786220000), reserve, disburse},
                   &response)
                  .ok());
  v1::GetFundingSummaryRequest request;
  request.set_district_code("440114");
  request.set_school_year(2024);
  v1::SchoolStudents* special = request.add_school_students();
  special->set_school_code("2144011410");
  special->set_students(674);
  v1::GetFundingSummaryResponse summary;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->GetFundingSummary(&context, request, &summary).ok());
  EXPECT_NEAR(summary.district_training_share_percent(), 6.68, 0.005);
  bool found = false;
  for (const v1::SchoolFunding& school : summary.schools()) {
    if (school.school_code() != "2144011410") continue;
    found = true;
    EXPECT_EQ(school.operating_funds_fen(), 573298000);
    EXPECT_EQ(school.operating_funds_per_student_fen(), 850590);  // 8505.90 yuan, at least 6000 (G7)
  }
  EXPECT_TRUE(found);

  v1::ListChangesRequest changes_request;
  v1::ListChangesResponse changes;
  grpc::ClientContext changes_context;
  ASSERT_TRUE(stub_->ListChanges(&changes_context, changes_request, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 8);  // four accounts, four transfers
  EXPECT_EQ(changes.changes(0).account().account_id(), "treasury");
  EXPECT_EQ(changes.changes(7).transfer().post_pending_id(), "se-reserve");
  EXPECT_EQ(changes.changes(7).transfer().journal_sequence(), 4);
}

TEST_F(LedgerServerTest, TheCliOpensPostsTwiceSafelyShowsBalancesAndVerifies) {
  const std::string samples = std::string(GZEDU_SOURCE_DIR) + "/data/sample/";
  const std::string target = "--target=" + server_->grpc_address();
  std::string out;
  std::string err;
  ASSERT_EQ(
      gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "open", samples + "accounts.csv"}, &out, &err), 0)
      << err;
  EXPECT_NE(out.find("8 accounts: 8 opened"), std::string::npos) << out;
  ASSERT_EQ(
      gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", samples + "transfers.csv"}, &out, &err),
      0)
      << err;
  EXPECT_NE(out.find("9 transfers: 9 posted, 0 already posted"), std::string::npos) << out;
  ASSERT_EQ(
      gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", samples + "transfers.csv"}, &out, &err),
      0)
      << err;
  // The same request again: nothing new is posted.
  EXPECT_NE(out.find("9 transfers: 0 posted, 9 already posted"), std::string::npos) << out;
  ASSERT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "balance", "440114.2144011404.operating"},
                                       &out, &err),
            0)
      << err;
  std::string squeezed;  // runs of spaces as one: the columns' widths do not matter here
  for (char c : out) {
    if (c != ' ' || squeezed.empty() || squeezed.back() != ' ') squeezed.push_back(c);
  }
  EXPECT_NE(squeezed.find("credits posted 115000.00 yuan"), std::string::npos) << out;
  EXPECT_NE(squeezed.find("credits pending 0.00 yuan"), std::string::npos) << out;
  ASSERT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "verify"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("journal verified: 9 entries"), std::string::npos) << out;

  const std::string bad = dir_.path() + "/bad.csv";
  std::ofstream(bad) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                        "x1,440114.treasury,440114.payroll,1.234,2024\n"
                        "x2,440114.treasury,nowhere,5,2024\n";
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", bad}, &out, &err), 2);
  EXPECT_NE(err.find(bad + ":2: amount_yuan: '1.234' is not an amount"), std::string::npos) << err;
  // An amount beyond the bound on one amount (10^12 yuan), in digits or in
  // exponent notation, is refused for its size.
  std::ofstream(bad) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                        "x3,440114.treasury,440114.payroll,100000000000000000000,2024\n"
                        "x4,440114.treasury,440114.payroll,1e20,2024\n"
                        "x5,440114.treasury,440114.payroll,1000000000000.01,2024\n"
                        "x6,440114.treasury,440114.payroll,1000000000000,2024\n";
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", bad}, &out, &err), 2);
  for (const auto& [line, amount] : std::vector<std::pair<std::string, std::string>>{
           {"2", "100000000000000000000"}, {"3", "1e20"}, {"4", "1000000000000.01"}}) {
    EXPECT_NE(err.find(bad + ":" + line + ": amount_yuan: '" + amount +
                       "' exceeds 1000000000000 yuan (10^12 yuan), the bound on one amount"),
              std::string::npos)
        << err;
  }
  EXPECT_EQ(err.find(bad + ":5:"), std::string::npos) << err;  // the bound itself is an amount
  std::ofstream(bad) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                        "x2,440114.treasury,nowhere,5,2024\n";
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", bad}, &out, &err), 2);
  EXPECT_NE(err.find(bad + ":2: credit_account_id: no account nowhere"), std::string::npos) << err;
}

// Issue 15, through the binary: a balance at INT64_MAX fen is reached only
// in bounded steps, one fen more is refused whole, a hold of everything
// cannot wrap the overdraft check, and a summary never reports a wrapped
// (negative) budget.
TEST_F(LedgerServerTest, MoneyNeverWrapsAtTheLimitOfABalance) {
  constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();
  Open({Account("treasury", v1::ACCOUNT_PURPOSE_OTHER), Account("province", v1::ACCOUNT_PURPOSE_OTHER),
        Account("pool", v1::ACCOUNT_PURPOSE_DISTRICT_EDUCATION_BUDGET, true),
        Account("budget2", v1::ACCOUNT_PURPOSE_DISTRICT_EDUCATION_BUDGET), Account("held", v1::ACCOUNT_PURPOSE_OTHER),
        Account("out", v1::ACCOUNT_PURPOSE_OTHER)});
  // INT64_MAX fen in one transfer is beyond the bound on one amount.
  v1::PostTransfersResponse response;
  grpc::Status status = Post(*stub_, "max", {Transfer("max", "treasury", "pool", kMaxFen)}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "transfers[0].amount_fen");
  EXPECT_NE(violations[0].description.find("at most 100000000000000 fen"), std::string::npos)
      << violations[0].description;

  // Case 1: the pool holds INT64_MAX fen; one fen more is refused, with the
  // rest of its batch.
  const int64_t fills = PostInBoundedSteps("fill", "treasury", "pool", kMaxFen, false);
  EXPECT_EQ(fills, 92234);  // 92,233 x 10^14 fen, and the rest
  ASSERT_EQ(Get("pool").credits_posted_fen(), kMaxFen);
  status = Post(*stub_, "one-more",
                {Transfer("fine", "province", "out", 5), Transfer("one-more", "province", "pool", 1)}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << status.error_message();
  EXPECT_NE(status.error_message().find("pool's credits_posted_fen beyond 9223372036854775807 fen"), std::string::npos)
      << status.error_message();
  violations = FieldViolationsFromGrpcStatus(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "transfers[1].amount_fen");
  EXPECT_EQ(Get("pool").credits_posted_fen(), kMaxFen);
  EXPECT_EQ(Get("out").credits_posted_fen(), 0);  // the valid transfer of the batch was not written
  EXPECT_EQ(Get("province").debits_posted_fen(), 0);

  // Case 3: the summary reports the largest budget exactly, and refuses a
  // sum beyond it rather than wrapping to a negative budget.
  v1::GetFundingSummaryResponse summary;
  ASSERT_TRUE(Summary(2024, &summary).ok());
  EXPECT_EQ(summary.education_budget_fen(), kMaxFen);
  ASSERT_TRUE(Post(*stub_, "budget2", {Transfer("budget2", "province", "budget2", 1)}, &response).ok());
  status = Summary(2024, &summary);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << status.error_message();
  EXPECT_NE(status.error_message().find("the education budget in 2024 exceeds"), std::string::npos)
      << status.error_message();

  // Case 2: all of the pool held pending; one fen more would overdraw it
  // (debits posted + pending + amount is beyond INT64_MAX, not negative).
  const int64_t holds = PostInBoundedSteps("hold", "pool", "held", kMaxFen, true);
  EXPECT_EQ(Get("pool").debits_pending_fen(), kMaxFen);
  status = Post(*stub_, "overdraw", {Transfer("overdraw", "pool", "out", 1)}, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_NE(status.error_message().find("would overdraw account pool"), std::string::npos) << status.error_message();
  const v1::Account pool = Get("pool");
  EXPECT_EQ(pool.debits_posted_fen(), 0);
  EXPECT_EQ(pool.debits_pending_fen(), kMaxFen);
  EXPECT_EQ(Get("out").credits_posted_fen(), 0);

  const v1::VerifyJournalResponse verified = Verify();
  EXPECT_TRUE(verified.ok()) << verified.first_problem();
  EXPECT_EQ(verified.entries_checked(), fills + 1 + holds);
}

TEST_F(LedgerServerTest, VerifyJournalFindsAStoredBalanceThatWrapped) {
  Open({Account("a", v1::ACCOUNT_PURPOSE_OTHER), Account("b", v1::ACCOUNT_PURPOSE_OTHER)});
  v1::PostTransfersResponse response;
  ASSERT_TRUE(Post(*stub_, "r1", {Transfer("t1", "a", "b", 5)}, &response).ok());
  EXPECT_TRUE(Verify().ok());
  // b's credits as a wrapped sum would leave them: 5 fen past INT64_MAX.
  stub_.reset();
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  {
    absl::StatusOr<std::unique_ptr<SqlDatabase>> database =
        OpenSqlDatabase("sqlite://" + dir_.path() + "/ledger.db", nullptr);
    ASSERT_TRUE(database.ok()) << database.status();
    absl::StatusOr<SqlDatabase::Lease> writer = (*database)->Writer();
    ASSERT_TRUE(writer.ok()) << writer.status();
    absl::StatusOr<std::unique_ptr<SqlStatement>> update =
        (*writer)->Prepare("wrap", "UPDATE accounts SET credits_posted_fen = ? WHERE account_id = 'b'");
    ASSERT_TRUE(update.ok()) << update.status();
    (*update)->Bind(1, std::numeric_limits<int64_t>::min() + 4);
    ASSERT_TRUE((*update)->Run().ok());
  }
  Start();
  const v1::VerifyJournalResponse verified = Verify();
  EXPECT_FALSE(verified.ok());
  EXPECT_EQ(verified.first_problem(),
            "account b: stored balances differ from the journal (credits posted -9223372036854775804 vs 5 fen)");
  // A write to the damaged account is refused as data loss, not applied
  // to a negative balance.
  const grpc::Status status = Post(*stub_, "r2", {Transfer("t2", "a", "b", 1)}, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DATA_LOSS) << status.error_message();
  EXPECT_EQ(Get("a").debits_posted_fen(), 5);
}

}  // namespace
}  // namespace gzedu::funding
