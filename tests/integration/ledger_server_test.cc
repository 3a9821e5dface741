// The real gzedu-funding-ledger binary on port 0 with a temporary SQLite
// file: correctness under concurrent load and under kill -9.
#include <signal.h>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "gzedu/funding/v1/funding.grpc.pb.h"
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
    server_ = std::make_unique<ServerProcess>(GZEDU_LEDGER_BINARY, dir_.path() + "/ledger.db");
    stub_ = v1::FundingLedgerService::NewStub(server_->channel());
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

  v1::VerifyJournalResponse Verify() {
    v1::VerifyJournalResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub_->VerifyJournal(&context, v1::VerifyJournalRequest(), &response).ok());
    return response;
  }

  TempDir dir_;
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
  std::ofstream(bad) << "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
                        "x2,440114.treasury,nowhere,5,2024\n";
  EXPECT_EQ(gzedu::testing::RunCommand({GZEDU_CLI_BINARY, "ledger", target, "post", bad}, &out, &err), 2);
  EXPECT_NE(err.find(bad + ":2: credit_account_id: no account nowhere"), std::string::npos) << err;
}

}  // namespace
}  // namespace gzedu::funding
