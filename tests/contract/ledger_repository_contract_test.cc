// One contract for every LedgerRepository adapter.
#include <gtest/gtest.h>

#include <limits>

#include "services/funding_ledger/domain/funding_ledger.h"
#include "services/funding_ledger/storage/in_memory_ledger_repository.h"
#include "services/funding_ledger/storage/sql_ledger_repository.h"
#include "tests/support/postgres_server.h"
#include "tests/support/subprocess.h"

namespace gzedu::funding {
namespace {

struct InMemoryFactory {
  std::unique_ptr<LedgerRepository> Create() { return std::make_unique<InMemoryLedgerRepository>(); }
};

struct SqliteFactory {
  gzedu::testing::TempDir dir;
  std::unique_ptr<LedgerRepository> Create() {
    auto repository = SqlLedgerRepository::Open("sqlite:" + dir.path() + "/ledger.db", nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return std::move(*repository);
  }
};

// A fresh database on the test run's PostgreSQL server for every test.
struct PostgresFactory {
  std::unique_ptr<LedgerRepository> Create() {
    auto repository = SqlLedgerRepository::Open(gzedu::testing::FreshPostgresDatabase(), nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return repository.ok() ? std::move(*repository) : nullptr;
  }
};

Account MakeAccount(const std::string& id, const std::string& district = "440114") {
  Account a;
  a.account_id = id;
  a.district_code = district;
  a.purpose = AccountPurpose::kOther;
  return a;
}

template <typename Factory>
class LedgerRepositoryContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    repository_ = factory_.Create();
    auto txn = *repository_->BeginWrite();
    for (const Account& a : {MakeAccount("a"), MakeAccount("b"), MakeAccount("c", "440103")}) {
      Account opened = a;
      opened.change_version = *txn->AppendChange(Change{0, "open", a.district_code, a});
      ASSERT_TRUE(txn->PutAccount(opened).ok());
    }
    ASSERT_TRUE(txn->Commit().ok());
  }

  // Appends transfers a->b, as the ledger would, in one transaction.
  void Append(const std::vector<std::pair<std::string, int32_t>>& ids_and_years) {
    auto txn = *repository_->BeginWrite();
    JournalHead head = *txn->Head();
    for (const auto& [id, year] : ids_and_years) {
      Transfer t;
      t.transfer_id = id;
      t.debit_account_id = "a";
      t.credit_account_id = id[0] == 'c' ? "c" : "b";
      t.amount_fen = 100;
      t.school_year = year;
      t.journal_sequence = head.sequence + 1;
      t.journal_hash = JournalHash(head.hash, t);
      t.change_version = *txn->NextChangeVersion();
      ASSERT_EQ(*txn->AppendChange(Change{0, "post", "440114", t}), t.change_version);
      ASSERT_TRUE(txn->AppendTransfer(t).ok());
      head = {t.journal_sequence, t.journal_hash};
    }
    ASSERT_TRUE(txn->Commit().ok());
  }

  // Appends a posted transfer of `fen` the way a ledger without overflow
  // checks or amount bound did: balances summed with two's-complement
  // wrapping.
  void AppendUnchecked(const std::string& id, const std::string& debit_id, const std::string& credit_id, int64_t fen) {
    auto txn = *repository_->BeginWrite();
    const JournalHead head = *txn->Head();
    Account debit = txn->FindAccount(debit_id)->value();
    Account credit = txn->FindAccount(credit_id)->value();
    const auto wrapping_add = [](int64_t& balance, int64_t amount) {
      balance = static_cast<int64_t>(static_cast<uint64_t>(balance) + static_cast<uint64_t>(amount));
    };
    wrapping_add(debit.debits_posted_fen, fen);
    wrapping_add(credit.credits_posted_fen, fen);
    Transfer t;
    t.transfer_id = id;
    t.debit_account_id = debit_id;
    t.credit_account_id = credit_id;
    t.amount_fen = fen;
    t.school_year = 2024;
    t.journal_sequence = head.sequence + 1;
    t.journal_hash = JournalHash(head.hash, t);
    t.change_version = *txn->AppendChange(Change{0, "unchecked", credit.district_code, t});
    ASSERT_TRUE(txn->AppendTransfer(t).ok());
    ASSERT_TRUE(txn->PutAccount(debit).ok());
    ASSERT_TRUE(txn->PutAccount(credit).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }

  Factory factory_;
  std::unique_ptr<LedgerRepository> repository_;
};

constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();

using Adapters = ::testing::Types<InMemoryFactory, SqliteFactory, PostgresFactory>;
TYPED_TEST_SUITE(LedgerRepositoryContractTest, Adapters);

TYPED_TEST(LedgerRepositoryContractTest, JournalEntriesComeBackInOrderWithTheirHashes) {
  this->Append({{"t1", 2024}, {"t2", 2023}});
  this->Append({{"t3", 2024}});
  TransferQuery all;
  auto journal = this->repository_->ListTransfers(all);
  ASSERT_EQ(journal->size(), 3u);
  EXPECT_EQ((*journal)[2].journal_sequence, 3);
  EXPECT_EQ((*journal)[2].journal_hash, JournalHash((*journal)[1].journal_hash, (*journal)[2]));
  TransferQuery year;
  year.school_year = 2023;
  EXPECT_EQ(this->repository_->ListTransfers(year)->size(), 1u);
  TransferQuery after;
  after.after_sequence = 1;
  after.limit = 1;
  EXPECT_EQ(this->repository_->ListTransfers(after)->at(0).transfer_id, "t2");
  auto txn = *this->repository_->BeginWrite();
  EXPECT_EQ(txn->Head()->sequence, 3);
  EXPECT_EQ(txn->FindTransfer("t2")->value().school_year, 2023);
  Transfer again = (*journal)[0];
  again.journal_sequence = 4;
  EXPECT_EQ(txn->AppendTransfer(again).code(), absl::StatusCode::kAlreadyExists);
}

TYPED_TEST(LedgerRepositoryContractTest, AccountsResolutionsAndChangesRoundTrip) {
  {
    auto txn = *this->repository_->BeginWrite();
    Account a = txn->FindAccount("a")->value();
    a.debits_posted_fen = 12345678901;
    a.credits_pending_fen = 7;
    ASSERT_TRUE(txn->PutAccount(a).ok());
    ASSERT_TRUE(txn->PutResolution("p1", "t9").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  EXPECT_EQ(this->repository_->GetAccount("a")->value().debits_posted_fen, 12345678901);
  EXPECT_EQ(this->repository_->AccountsOfDistrict("440103")->size(), 1u);
  EXPECT_EQ(this->repository_->AllAccounts()->size(), 3u);
  {
    auto txn = *this->repository_->BeginWrite();
    EXPECT_EQ(txn->FindResolution("p1")->value(), "t9");
    EXPECT_FALSE(txn->FindResolution("p2")->has_value());
  }
  this->Append({{"t1", 2024}});
  auto changes = this->repository_->ListChanges(0, 10);
  ASSERT_EQ(changes->size(), 4u);
  // An account change shows the account as opened, without balances.
  EXPECT_EQ(std::get<Account>((*changes)[0].entity).debits_posted_fen, 0);
  EXPECT_EQ(std::get<Transfer>((*changes)[3].entity).transfer_id, "t1");
  EXPECT_EQ(std::get<Transfer>((*changes)[3].entity).change_version, 4);
}

TYPED_TEST(LedgerRepositoryContractTest, TransfersOfAccountsListEachTransferOnce) {
  this->Append({{"t1", 2024}, {"c1", 2024}, {"t2", 2023}});
  EXPECT_EQ(this->repository_->TransfersOfAccounts({"a", "b"}, 2024)->size(), 2u);
  EXPECT_EQ(this->repository_->TransfersOfAccounts({"a", "b", "c"}, 0)->size(), 3u);
  EXPECT_EQ(this->repository_->TransfersOfAccounts({"c"}, 0)->size(), 1u);
}

// Prefetch is a hint: lookups after it answer as without it, for ids that
// need quoting in an array (quotes, backslashes, commas, braces, spaces,
// control characters, non-ASCII) and for ids it did not name; a batch's
// writes, held until Commit, arrive whole.
TYPED_TEST(LedgerRepositoryContractTest, PrefetchedLookupsAndBatchedWritesKeepEveryId) {
  const std::vector<std::string> odd = {"q\"uote", "back\\slash", "com,ma", "{brace}", "sp ace",
                                        "NULL",    "tab\tline\n", "学校-1", ""};
  {
    auto txn = *this->repository_->BeginWrite();
    JournalHead head = *txn->Head();
    for (const std::string& id : odd) {
      if (id.empty()) continue;
      Transfer t;
      t.transfer_id = id;
      t.debit_account_id = "a";
      t.credit_account_id = "b";
      t.amount_fen = 5;
      t.school_year = 2024;
      t.memo = "memo " + id;
      t.journal_sequence = head.sequence + 1;
      t.journal_hash = "h" + std::to_string(t.journal_sequence);
      head = {t.journal_sequence, t.journal_hash};
      t.change_version = *txn->AppendChange(Change{0, "odd", "440114", t});
      ASSERT_TRUE(txn->AppendTransfer(t).ok()) << id;
    }
    Account a = txn->FindAccount("a")->value();
    a.debits_posted_fen = 40;
    ASSERT_TRUE(txn->PutAccount(a).ok());
    ASSERT_TRUE(txn->PutResolution("q\"uote", "back\\slash").ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  auto txn = *this->repository_->BeginWrite();
  std::vector<std::string> accounts = {"a", "c", "missing", "{b}"};
  ASSERT_TRUE(txn->Prefetch("", odd, accounts).ok());
  ASSERT_TRUE(txn->Prefetch("", odd, accounts).ok());  // twice: nothing left to read
  for (const std::string& id : odd) {
    auto found = txn->FindTransfer(id);
    ASSERT_TRUE(found.ok()) << found.status();
    if (id.empty()) {
      EXPECT_FALSE(found->has_value());
      continue;
    }
    ASSERT_TRUE(found->has_value()) << id;
    EXPECT_EQ((*found)->memo, "memo " + id);
  }
  EXPECT_EQ(txn->Head()->sequence, 8);
  EXPECT_EQ(txn->FindAccount("a")->value().debits_posted_fen, 40);
  EXPECT_EQ(txn->FindAccount("b")->value().debits_posted_fen, 0);  // not prefetched
  EXPECT_FALSE(txn->FindAccount("missing")->has_value());
  EXPECT_FALSE(txn->FindTransfer("never")->has_value());
  EXPECT_EQ(txn->FindResolution("q\"uote")->value(), "back\\slash");
  Transfer again = txn->FindTransfer("com,ma")->value();
  again.journal_sequence = 9;
  EXPECT_EQ(txn->AppendTransfer(again).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(this->repository_->ListChanges(0, 100)->size(), 11u);
}

TYPED_TEST(LedgerRepositoryContractTest, ADroppedTransactionLeavesNothing) {
  {
    auto txn = *this->repository_->BeginWrite();
    Transfer t;
    t.transfer_id = "x";
    t.debit_account_id = "a";
    t.credit_account_id = "b";
    t.amount_fen = 1;
    t.school_year = 2024;
    t.journal_sequence = 1;
    ASSERT_TRUE(txn->AppendTransfer(t).ok());
  }
  EXPECT_TRUE(this->repository_->ListTransfers(TransferQuery{})->empty());
}

TYPED_TEST(LedgerRepositoryContractTest, BalancesAndAmountsKeepTheWholeInt64Range) {
  {
    auto txn = *this->repository_->BeginWrite();
    Account a = txn->FindAccount("a")->value();
    a.debits_posted_fen = a.credits_posted_fen = a.debits_pending_fen = a.credits_pending_fen = kMaxFen;
    ASSERT_TRUE(txn->PutAccount(a).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }
  const Account a = this->repository_->GetAccount("a")->value();
  EXPECT_EQ(a.debits_posted_fen, kMaxFen);
  EXPECT_EQ(a.credits_posted_fen, kMaxFen);
  EXPECT_EQ(a.debits_pending_fen, kMaxFen);
  EXPECT_EQ(a.credits_pending_fen, kMaxFen);
  this->AppendUnchecked("max", "b", "c", kMaxFen);
  EXPECT_EQ(this->repository_->ListTransfers(TransferQuery{})->at(0).amount_fen, kMaxFen);
}

// The overflow checks live in the domain, so every adapter gets them; this
// runs the ledger itself on each store.
TYPED_TEST(LedgerRepositoryContractTest, TheLedgerRefusesAWrappingTransferAndFindsAWrappedJournal) {
  FundingLedger ledger(this->repository_.get());
  this->AppendUnchecked("max", "a", "b", kMaxFen);
  Transfer one;
  one.transfer_id = "one";
  one.debit_account_id = "c";
  one.credit_account_id = "b";
  one.amount_fen = 1;
  one.school_year = 2024;
  absl::StatusOr<PostTransfersResult> posted = ledger.PostTransfers("r1", {one});
  ASSERT_EQ(posted.status().code(), absl::StatusCode::kOutOfRange) << posted.status();
  EXPECT_EQ(GetFieldViolations(posted.status()).at(0).field, "transfers[0].amount_fen");
  EXPECT_EQ(this->repository_->GetAccount("b")->value().credits_posted_fen, kMaxFen);
  EXPECT_EQ(this->repository_->GetAccount("c")->value().debits_posted_fen, 0);
  EXPECT_EQ(this->repository_->ListTransfers(TransferQuery{})->size(), 1u);
  VerifyResult verified = *ledger.VerifyJournal();
  EXPECT_TRUE(verified.ok) << verified.first_problem;

  // The same fen written without the check wraps b's credits; the stored
  // balance agrees with a wrapped sum, and verification still finds it.
  this->AppendUnchecked("one", "c", "b", 1);
  EXPECT_EQ(this->repository_->GetAccount("b")->value().credits_posted_fen, std::numeric_limits<int64_t>::min());
  verified = *ledger.VerifyJournal();
  EXPECT_FALSE(verified.ok);
  EXPECT_NE(verified.first_problem.find("entry 2 (transfer one): account b's credits_posted_fen exceeds"),
            std::string::npos)
      << verified.first_problem;
}

}  // namespace
}  // namespace gzedu::funding
