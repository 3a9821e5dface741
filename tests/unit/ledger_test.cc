#include <gtest/gtest.h>

#include <limits>

#include "common/domain/input_bounds.h"
#include "services/funding_ledger/domain/funding_ledger.h"
#include "services/funding_ledger/storage/in_memory_ledger_repository.h"

namespace gzedu::funding {
namespace {

Account MakeAccount(const std::string& id, AccountPurpose purpose, const std::string& school = "",
                    bool no_overdraft = false) {
  Account a;
  a.account_id = id;
  a.district_code = "440114";
  a.school_code = school;
  a.purpose = purpose;
  a.debits_must_not_exceed_credits = no_overdraft;
  return a;
}

Transfer MakeTransfer(const std::string& id, const std::string& debit, const std::string& credit, int64_t fen,
                      int32_t year = 2024) {
  Transfer t;
  t.transfer_id = id;
  t.debit_account_id = debit;
  t.credit_account_id = credit;
  t.amount_fen = fen;
  t.school_year = year;
  t.purpose = "test";
  return t;
}

constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();

// Appends `transfers` to the journal the way a ledger without overflow
// checks (and without the bound on amounts) did: hashes chained, balances
// summed with two's-complement wrapping. Stands for a store written before
// money was checked.
void AppendUnchecked(LedgerRepository& repository, const std::vector<Transfer>& transfers) {
  auto txn = *repository.BeginWrite();
  JournalHead head = *txn->Head();
  const auto wrapping_add = [](int64_t& balance, int64_t fen) {
    balance = static_cast<int64_t>(static_cast<uint64_t>(balance) + static_cast<uint64_t>(fen));
  };
  for (Transfer t : transfers) {
    Account debit = **txn->FindAccount(t.debit_account_id);
    Account credit = **txn->FindAccount(t.credit_account_id);
    if (t.pending) {
      wrapping_add(debit.debits_pending_fen, t.amount_fen);
      wrapping_add(credit.credits_pending_fen, t.amount_fen);
    } else {
      wrapping_add(debit.debits_posted_fen, t.amount_fen);
      wrapping_add(credit.credits_posted_fen, t.amount_fen);
    }
    t.journal_sequence = head.sequence + 1;
    t.journal_hash = JournalHash(head.hash, t);
    t.change_version = *txn->AppendChange(Change{0, "unchecked", credit.district_code, t});
    ASSERT_TRUE(txn->AppendTransfer(t).ok());
    ASSERT_TRUE(txn->PutAccount(debit).ok());
    ASSERT_TRUE(txn->PutAccount(credit).ok());
    head = {t.journal_sequence, t.journal_hash};
  }
  ASSERT_TRUE(txn->Commit().ok());
}

class FundingLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        ledger_
            .CreateAccounts("open", {MakeAccount("treasury", AccountPurpose::kOther),
                                     MakeAccount("budget", AccountPurpose::kDistrictEducationBudget, "", true),
                                     MakeAccount("s1.operating", AccountPurpose::kSchoolOperating, "2144011401"),
                                     MakeAccount("s1.training", AccountPurpose::kSchoolTraining, "2144011401")})
            .ok());
  }

  int64_t Credits(const std::string& id) { return ledger_.GetAccount(id)->credits_posted_fen; }
  int64_t Debits(const std::string& id) { return ledger_.GetAccount(id)->debits_posted_fen; }

  InMemoryLedgerRepository repository_;
  FundingLedger ledger_{&repository_};
};

TEST_F(FundingLedgerTest, TransfersMoveMoneyBetweenAccountsExactly) {
  ASSERT_TRUE(ledger_
                  .PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 100000000),
                                        MakeTransfer("t2", "budget", "s1.operating", 35000001)})
                  .ok());
  EXPECT_EQ(Credits("budget"), 100000000);
  EXPECT_EQ(Debits("budget"), 35000001);
  EXPECT_EQ(Credits("s1.operating"), 35000001);
  EXPECT_EQ(Debits("treasury"), 100000000);
  const VerifyResult verified = *ledger_.VerifyJournal();
  EXPECT_TRUE(verified.ok) << verified.first_problem;
  EXPECT_EQ(verified.entries_checked, 2);
}

TEST_F(FundingLedgerTest, ARetriedTransferIsAlreadyPostedAndOtherContentUnderItsIdIsRefused) {
  ASSERT_TRUE(ledger_.PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 500)}).ok());
  absl::StatusOr<PostTransfersResult> again = ledger_.PostTransfers(
      "r2", {MakeTransfer("t1", "treasury", "budget", 500), MakeTransfer("t2", "treasury", "budget", 7)});
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->results[0].status, TransferStatus::kAlreadyPosted);
  EXPECT_EQ(again->results[1].status, TransferStatus::kCreated);
  EXPECT_EQ(Credits("budget"), 507);
  absl::StatusOr<PostTransfersResult> other = ledger_.PostTransfers(
      "r3", {MakeTransfer("t3", "treasury", "budget", 1), MakeTransfer("t1", "treasury", "budget", 501)});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Credits("budget"), 507);  // t3 was not written either
}

TEST_F(FundingLedgerTest, ARepeatedRequestIdAnswersAsTheFirstTime) {
  const PostTransfersResult first = *ledger_.PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 500)});
  const PostTransfersResult replay = *ledger_.PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 500)});
  EXPECT_TRUE(replay.replayed);
  EXPECT_EQ(replay.results[0].status, TransferStatus::kCreated);
  EXPECT_EQ(replay.results[0].journal_sequence, first.results[0].journal_sequence);
  EXPECT_EQ(Credits("budget"), 500);
}

TEST_F(FundingLedgerTest, AnInvalidBatchWritesNothingAndListsEveryViolation) {
  Transfer zero = MakeTransfer("t2", "treasury", "budget", 0);
  Transfer same = MakeTransfer("t3", "budget", "budget", 5);
  Transfer unknown = MakeTransfer("t4", "treasury", "nowhere", 5);
  absl::StatusOr<PostTransfersResult> result =
      ledger_.PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 5), zero, same});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(result.status()).size(), 2u);
  result = ledger_.PostTransfers("r2", {MakeTransfer("t1", "treasury", "budget", 5), unknown});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(result.status())[0].field, "transfers[1].credit_account_id");
  EXPECT_EQ(Credits("budget"), 0);
  EXPECT_EQ(ledger_.VerifyJournal()->entries_checked, 0);
}

TEST_F(FundingLedgerTest, AnAccountThatForbidsOverdraftNeverGoesBelowZero) {
  ASSERT_TRUE(ledger_.PostTransfers("r1", {MakeTransfer("in", "treasury", "budget", 1000)}).ok());
  EXPECT_EQ(ledger_.PostTransfers("r2", {MakeTransfer("out", "budget", "s1.operating", 1001)}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Pending debits count against the credits too.
  Transfer reserve = MakeTransfer("reserve", "budget", "s1.operating", 600);
  reserve.pending = true;
  ASSERT_TRUE(ledger_.PostTransfers("r3", {reserve}).ok());
  EXPECT_EQ(ledger_.PostTransfers("r4", {MakeTransfer("out2", "budget", "s1.operating", 401)}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ledger_.PostTransfers("r5", {MakeTransfer("out3", "budget", "s1.operating", 400)}).ok());
  const Account budget = *ledger_.GetAccount("budget");
  EXPECT_EQ(budget.credits_posted_fen - budget.debits_posted_fen - budget.debits_pending_fen, 0);
}

TEST_F(FundingLedgerTest, APendingTransferIsPostedOrVoidedOnce) {
  Transfer allocate = MakeTransfer("alloc", "treasury", "s1.operating", 900);
  allocate.pending = true;
  Transfer allocate2 = MakeTransfer("alloc2", "treasury", "s1.operating", 300);
  allocate2.pending = true;
  ASSERT_TRUE(ledger_.PostTransfers("r1", {allocate, allocate2}).ok());
  EXPECT_EQ(ledger_.GetAccount("s1.operating")->credits_pending_fen, 1200);
  Transfer post;
  post.transfer_id = "disburse";
  post.post_pending_id = "alloc";
  post.school_year = 2024;
  Transfer cancel;
  cancel.transfer_id = "cancel";
  cancel.void_pending_id = "alloc2";
  cancel.school_year = 2024;
  ASSERT_TRUE(ledger_.PostTransfers("r2", {post, cancel}).ok()) << ledger_.PostTransfers("x", {post}).status();
  const Account school = *ledger_.GetAccount("s1.operating");
  EXPECT_EQ(school.credits_pending_fen, 0);
  EXPECT_EQ(school.credits_posted_fen, 900);
  Transfer again = post;
  again.transfer_id = "disburse-again";
  EXPECT_EQ(ledger_.PostTransfers("r3", {again}).status().code(), absl::StatusCode::kFailedPrecondition);
  // Retrying the post itself is fine: it was already posted.
  EXPECT_EQ(ledger_.PostTransfers("r4", {post})->results[0].status, TransferStatus::kAlreadyPosted);
  EXPECT_TRUE(ledger_.VerifyJournal()->ok);
}

TEST_F(FundingLedgerTest, VerifyJournalFindsAnEditedEntry) {
  ASSERT_TRUE(ledger_
                  .PostTransfers(
                      "r1", {MakeTransfer("t1", "treasury", "budget", 5), MakeTransfer("t2", "treasury", "budget", 6),
                             MakeTransfer("t3", "treasury", "budget", 7)})
                  .ok());
  repository_.TamperForTest(1, 600);
  const VerifyResult result = *ledger_.VerifyJournal();
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.first_problem.find("entry 2"), std::string::npos) << result.first_problem;
}

TEST_F(FundingLedgerTest, AnAmountAboveTheBoundIsInvalidAndTheViolationNamesFieldAndBound) {
  for (const int64_t fen : {bounds::kMaxAmountFen + 1, kMaxFen}) {
    absl::StatusOr<PostTransfersResult> result = ledger_.PostTransfers(
        "r", {MakeTransfer("t1", "treasury", "s1.operating", 5), MakeTransfer("t2", "treasury", "s1.operating", fen)});
    ASSERT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    const std::vector<FieldViolation> violations = GetFieldViolations(result.status());
    ASSERT_EQ(violations.size(), 1u);
    EXPECT_EQ(violations[0].field, "transfers[1].amount_fen");
    EXPECT_NE(violations[0].description.find("at most 100000000000000 fen"), std::string::npos)
        << violations[0].description;
  }
  EXPECT_EQ(Credits("s1.operating"), 0);
  // The bound itself is a valid amount.
  ASSERT_TRUE(
      ledger_.PostTransfers("r2", {MakeTransfer("t3", "treasury", "s1.operating", bounds::kMaxAmountFen)}).ok());
  EXPECT_EQ(Credits("s1.operating"), bounds::kMaxAmountFen);
}

TEST_F(FundingLedgerTest, ACreditThatWouldWrapABalanceRefusesTheWholeBatchAsOutOfRange) {
  ASSERT_TRUE(ledger_.CreateAccounts("open-2", {MakeAccount("province", AccountPurpose::kOther)}).ok());
  // An account at the largest balance, as a ledger before the bound could
  // leave it.
  AppendUnchecked(repository_, {MakeTransfer("max", "treasury", "s1.operating", kMaxFen)});
  ASSERT_TRUE(ledger_.VerifyJournal()->ok);
  absl::StatusOr<PostTransfersResult> result = ledger_.PostTransfers(
      "r1", {MakeTransfer("fine", "province", "s1.training", 5), MakeTransfer("one", "province", "s1.operating", 1)});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kOutOfRange) << result.status();
  EXPECT_NE(result.status().message().find("s1.operating's credits_posted_fen"), std::string::npos) << result.status();
  const std::vector<FieldViolation> violations = GetFieldViolations(result.status());
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "transfers[1].amount_fen");
  // Nothing of the batch was written.
  EXPECT_EQ(Credits("s1.operating"), kMaxFen);
  EXPECT_EQ(Credits("s1.training"), 0);
  EXPECT_EQ(Debits("province"), 0);
  // The debit side is checked too: the treasury has debited the maximum.
  result = ledger_.PostTransfers("r2", {MakeTransfer("two", "treasury", "s1.training", 1)});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(result.status().message().find("treasury's debits_posted_fen"), std::string::npos) << result.status();
  // So is posted + pending on one side: a budget is posted plus pending.
  Transfer hold = MakeTransfer("hold", "province", "s1.operating", 1);
  hold.pending = true;
  result = ledger_.PostTransfers("r3", {hold});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_NE(result.status().message().find("credits_posted_fen + credits_pending_fen"), std::string::npos)
      << result.status();
  EXPECT_EQ(ledger_.GetAccount("s1.operating")->credits_pending_fen, 0);
  const VerifyResult verified = *ledger_.VerifyJournal();
  EXPECT_TRUE(verified.ok) << verified.first_problem;
  EXPECT_EQ(verified.entries_checked, 1);
}

TEST_F(FundingLedgerTest, PendingDebitsAtTheLimitCannotWrapTheOverdraftCheck) {
  ASSERT_TRUE(ledger_
                  .CreateAccounts("open-2", {MakeAccount("held", AccountPurpose::kOther),
                                             MakeAccount("out", AccountPurpose::kOther)})
                  .ok());
  // "budget" forbids overdraft: credited the maximum, and all of it held.
  Transfer hold = MakeTransfer("hold", "budget", "held", kMaxFen);
  hold.pending = true;
  AppendUnchecked(repository_, {MakeTransfer("max", "treasury", "budget", kMaxFen), hold});
  ASSERT_TRUE(ledger_.VerifyJournal()->ok);
  absl::StatusOr<PostTransfersResult> result = ledger_.PostTransfers("r1", {MakeTransfer("more", "budget", "out", 1)});
  ASSERT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition) << result.status();
  EXPECT_NE(result.status().message().find("would overdraw account budget"), std::string::npos) << result.status();
  EXPECT_EQ(GetFieldViolations(result.status())[0].field, "transfers[0].amount_fen");
  const Account budget = *ledger_.GetAccount("budget");
  EXPECT_EQ(budget.debits_posted_fen, 0);
  EXPECT_EQ(budget.debits_pending_fen, kMaxFen);
  EXPECT_EQ(Credits("out"), 0);
  // Voiding the hold frees the money again.
  Transfer release;
  release.transfer_id = "release";
  release.void_pending_id = "hold";
  release.school_year = 2024;
  ASSERT_TRUE(ledger_.PostTransfers("r2", {release, MakeTransfer("more", "budget", "out", 1)}).ok());
  EXPECT_EQ(Credits("out"), 1);
  EXPECT_TRUE(ledger_.VerifyJournal()->ok);
}

TEST_F(FundingLedgerTest, VerifyJournalFindsAJournalWhoseSumsWrapped) {
  ASSERT_TRUE(ledger_.CreateAccounts("open-2", {MakeAccount("province", AccountPurpose::kOther)}).ok());
  // MAX then 1 fen, balances wrapped the same way: every stored balance
  // agrees with a wrapped recomputation.
  AppendUnchecked(repository_, {MakeTransfer("max", "treasury", "s1.operating", kMaxFen),
                                MakeTransfer("one", "province", "s1.operating", 1)});
  ASSERT_EQ(Credits("s1.operating"), std::numeric_limits<int64_t>::min());
  const VerifyResult result = *ledger_.VerifyJournal();
  EXPECT_FALSE(result.ok);
  EXPECT_NE(result.first_problem.find("entry 2 (transfer one)"), std::string::npos) << result.first_problem;
  EXPECT_NE(result.first_problem.find("s1.operating's credits_posted_fen exceeds 9223372036854775807 fen"),
            std::string::npos)
      << result.first_problem;
}

TEST_F(FundingLedgerTest, VerifyJournalNamesTheStoredBalanceThatDiffers) {
  ASSERT_TRUE(ledger_.PostTransfers("r1", {MakeTransfer("t1", "treasury", "budget", 5)}).ok());
  auto txn = *repository_.BeginWrite();
  Account budget = **txn->FindAccount("budget");
  budget.debits_pending_fen = 7;
  ASSERT_TRUE(txn->PutAccount(budget).ok());
  ASSERT_TRUE(txn->Commit().ok());
  const VerifyResult result = *ledger_.VerifyJournal();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_problem,
            "account budget: stored balances differ from the journal (debits pending 7 vs 0 fen)");
}

TEST_F(FundingLedgerTest, AccountsAreOpenedOnceAndNeverRedefined) {
  absl::StatusOr<CreateAccountsResult> again =
      ledger_.CreateAccounts("open-2", {MakeAccount("treasury", AccountPurpose::kOther),
                                        MakeAccount("s2.operating", AccountPurpose::kSchoolOperating, "2144011402")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->results[0], AccountResult::kAlreadyExists);
  EXPECT_EQ(again->results[1], AccountResult::kCreated);
  EXPECT_EQ(ledger_.CreateAccounts("open-3", {MakeAccount("treasury", AccountPurpose::kPayroll)}).status().code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<CreateAccountsResult> bad =
      ledger_.CreateAccounts("open-4", {MakeAccount("s3.training", AccountPurpose::kSchoolTraining)});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(GetFieldViolations(bad.status())[0].field, "accounts[0].school_code");
}

TEST(FundingSummaryTest, ReproducesHuaduTrainingShareAndSpecialEducationFunding) {
  InMemoryLedgerRepository repository;
  FundingLedger ledger(&repository);
  ASSERT_TRUE(
      ledger
          .CreateAccounts("open", {MakeAccount("treasury", AccountPurpose::kOther),
                                   MakeAccount("all.operating", AccountPurpose::kSchoolOperating, "2144019999"),
                                   MakeAccount("all.training", AccountPurpose::kSchoolTraining, "2144019999"),
                                   MakeAccount("special.operating", AccountPurpose::kSchoolOperating, "2144011410"),
                                   MakeAccount("tp.operating", AccountPurpose::kSchoolOperating, "2144011404"),
                                   MakeAccount("budget", AccountPurpose::kDistrictEducationBudget),
                                   MakeAccount("payroll", AccountPurpose::kPayroll)})
          .ok());
  // Huadu's totals (Q4: 47,862,200 of 716,587,300 yuan over all schools;
  // G7: 5,732,980 yuan for 674 students), as transfers; the education budget
  // grows from 45.13 to 46.6亿.
  ASSERT_TRUE(
      ledger
          .PostTransfers("r", {MakeTransfer("op", "treasury", "all.operating", 71658730000 - 573298000 - 11500000),
                               MakeTransfer("tr", "treasury", "all.training", 4786220000),
                               MakeTransfer("se", "treasury", "special.operating", 573298000),
                               MakeTransfer("tp", "treasury", "tp.operating", 11500000),
                               MakeTransfer("b23", "treasury", "budget", 451300000000, 2023),
                               MakeTransfer("b24", "treasury", "budget", 466000000000, 2024),
                               MakeTransfer("pay", "treasury", "payroll", 2000000000)})
          .ok());
  FundingSummaryQuery query;
  query.district_code = "440114";
  query.school_year = 2024;
  query.school_students = {{"2144011410", 674}, {"2144011404", 77}};
  query.operating_base_per_student_fen = 115000;
  query.teacher_headcount = 1000;
  const FundingSummary summary = *ledger.GetFundingSummary(query);
  EXPECT_NEAR(summary.district_training_share_percent, 6.68, 0.005);
  for (const SchoolFundingFacts& s : summary.schools) {
    if (s.school_code == "2144019999") {
      EXPECT_TRUE(s.meets_training_share);
    }
    if (s.school_code == "2144011410") {
      EXPECT_EQ(s.operating_funds_per_student_fen, 850590);  // 8505.90 yuan
    }
    if (s.school_code == "2144011404") {
      EXPECT_TRUE(s.funded_as_100_students);  // 115,000 yuan >= 100 x 1150
    }
  }
  EXPECT_TRUE(summary.budget_not_decreasing);
  EXPECT_EQ(summary.average_teacher_pay_fen, 2000000);
}

TEST(FundingSummaryTest, ASumBeyondInt64IsRefusedByNameNeverReportedNegative) {
  InMemoryLedgerRepository repository;
  FundingLedger ledger(&repository);
  ASSERT_TRUE(ledger
                  .CreateAccounts("open", {MakeAccount("treasury", AccountPurpose::kOther),
                                           MakeAccount("province", AccountPurpose::kOther),
                                           MakeAccount("budget.a", AccountPurpose::kDistrictEducationBudget),
                                           MakeAccount("budget.b", AccountPurpose::kDistrictEducationBudget)})
                  .ok());
  AppendUnchecked(repository, {MakeTransfer("max", "treasury", "budget.a", kMaxFen)});
  FundingSummaryQuery query;
  query.district_code = "440114";
  query.school_year = 2024;
  query.district_students = 7;
  absl::StatusOr<FundingSummary> summary = ledger.GetFundingSummary(query);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->education_budget_fen, kMaxFen);
  EXPECT_EQ(summary->education_budget_per_student_fen, kMaxFen / 7);
  // One more fen on another budget account: each account is within range,
  // their sum is not.
  ASSERT_TRUE(ledger.PostTransfers("r1", {MakeTransfer("one", "province", "budget.b", 1)}).ok());
  summary = ledger.GetFundingSummary(query);
  ASSERT_EQ(summary.status().code(), absl::StatusCode::kOutOfRange) << summary.status();
  EXPECT_NE(
      summary.status().message().find("district 440114: the education budget in 2024 exceeds 9223372036854775807 fen"),
      std::string::npos)
      << summary.status();
  // Another year is unaffected.
  query.school_year = 2023;
  summary = ledger.GetFundingSummary(query);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->education_budget_fen, 0);
}

TEST(FundingSummaryTest, SchoolSumsAcrossAccountsAreCheckedToo) {
  InMemoryLedgerRepository repository;
  FundingLedger ledger(&repository);
  ASSERT_TRUE(
      ledger
          .CreateAccounts(
              "open", {MakeAccount("treasury", AccountPurpose::kOther), MakeAccount("province", AccountPurpose::kOther),
                       MakeAccount("s1.operating.a", AccountPurpose::kSchoolOperating, "2144011401"),
                       MakeAccount("s1.operating.b", AccountPurpose::kSchoolOperating, "2144011401")})
          .ok());
  AppendUnchecked(repository, {MakeTransfer("max", "treasury", "s1.operating.a", kMaxFen)});
  ASSERT_TRUE(ledger.PostTransfers("r1", {MakeTransfer("one", "province", "s1.operating.b", 1)}).ok());
  FundingSummaryQuery query;
  query.district_code = "440114";
  query.school_year = 2024;
  absl::StatusOr<FundingSummary> summary = ledger.GetFundingSummary(query);
  ASSERT_EQ(summary.status().code(), absl::StatusCode::kOutOfRange) << summary.status();
  EXPECT_NE(summary.status().message().find("the operating budget of school 2144011401 in 2024"), std::string::npos)
      << summary.status();
}

TEST(FundingSummaryTest, TheOperatingBaseIsBoundedAndEachCountNamedByItsField) {
  InMemoryLedgerRepository repository;
  FundingLedger ledger(&repository);
  FundingSummaryQuery query;
  query.district_code = "440114";
  query.school_year = 2024;
  query.operating_base_per_student_fen = bounds::kMaxAmountFen + 1;
  query.teacher_headcount = -1;
  absl::StatusOr<FundingSummary> summary = ledger.GetFundingSummary(query);
  ASSERT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  const std::vector<FieldViolation> violations = GetFieldViolations(summary.status());
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations[0].field, "operating_base_per_student_fen");
  EXPECT_NE(violations[0].description.find("100000000000000 fen"), std::string::npos) << violations[0].description;
  EXPECT_EQ(violations[1].field, "teacher_headcount");
  query.operating_base_per_student_fen = bounds::kMaxAmountFen;
  query.teacher_headcount = 0;
  EXPECT_TRUE(ledger.GetFundingSummary(query).ok());
}

}  // namespace
}  // namespace gzedu::funding
