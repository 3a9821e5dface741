#ifndef GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_FUNDING_LEDGER_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_FUNDING_LEDGER_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/access.h"
#include "common/domain/events.h"
#include "services/funding_ledger/domain/ledger_repository.h"

namespace gzedu::funding {

enum class AccountResult { kCreated, kAlreadyExists };
enum class TransferStatus { kCreated, kAlreadyPosted };

struct CreateAccountsResult {
  std::vector<AccountResult> results;
  bool replayed = false;
};

struct TransferResult {
  std::string transfer_id;
  TransferStatus status = TransferStatus::kCreated;
  int64_t journal_sequence = 0;
};

struct PostTransfersResult {
  std::vector<TransferResult> results;
  bool replayed = false;
  // The districts of the accounts posted to, for the audit log (empty on a
  // replay).
  std::set<std::string> districts;
};

struct TransferPage {
  std::vector<Transfer> transfers;
  std::string next_page_token;
};

struct FundingSummaryQuery {
  std::string district_code;
  int32_t school_year = 0;
  std::map<std::string, int32_t> school_students;
  int64_t operating_base_per_student_fen = 0;
  int32_t district_students = 0;
  int32_t district_students_last_year = 0;
  int32_t teacher_headcount = 0;
};

struct SchoolFundingFacts {
  std::string school_code;
  int64_t operating_budget_fen = 0;
  int64_t training_budget_fen = 0;
  double training_share_percent = 0;
  int64_t operating_funds_fen = 0;
  int32_t students = 0;
  int64_t operating_funds_per_student_fen = 0;
  bool funded_as_100_students = false;
  bool meets_training_share = false;
};

struct FundingSummary {
  std::vector<SchoolFundingFacts> schools;
  int64_t education_budget_fen = 0;
  int64_t education_budget_last_year_fen = 0;
  int64_t education_budget_per_student_fen = 0;
  int64_t education_budget_per_student_last_year_fen = 0;
  bool budget_not_decreasing = false;
  int64_t payroll_fen = 0;
  int64_t average_teacher_pay_fen = 0;
  double district_training_share_percent = 0;
};

struct VerifyResult {
  bool ok = true;
  int64_t entries_checked = 0;
  std::string first_problem;
};

struct ChangePage {
  std::vector<Change> changes;
  int64_t latest_version = 0;
};

// Q4: 教督〔2017〕6号, 教育质量 item 4: at least 5% of the operating budget for
// teacher training.
inline constexpr double kMinTrainingSharePercent = 5;
// G6: 政府保障程度 item 6: small schools are funded as if they had 100 students.
inline constexpr int32_t kSmallSchoolFundedStudents = 100;

// The ledger's use cases over a LedgerRepository (not owned). Stateless, so
// thread-safe when the repository is; write transactions are serialised by
// the repository, which makes balances exact under any interleaving.
//
// Money never wraps. One amount is at most gzedu::bounds::kMaxAmountFen
// (10^12 yuan); every balance, and posted + pending on each side of an
// account, stays within int64 (checked, not wrapped); every sum an answer
// reports is checked the same way.
//
// Errors: InvalidArgument with every violation (nothing written);
// AlreadyExists for a request id, account id or transfer id reused with
// other content; FailedPrecondition for a transfer that would overdraw an
// account that forbids it, or a pending transfer posted or voided twice;
// OutOfRange for a transfer that would take a balance beyond INT64_MAX fen
// (the whole batch is refused; the violation names the transfer's
// amount_fen and the balance), and for a summary whose sum would;
// DataLoss for a transfer that would take a stored balance below zero (the
// store disagrees with its journal: VerifyJournal names where); NotFound
// for an unknown account; Unavailable and Internal from the store.
class FundingLedger {
 public:
  explicit FundingLedger(LedgerRepository* repository) : repository_(repository) {}
  // Announces every committed write to `publisher` (not owned; may be
  // null). Set before serving.
  void set_event_publisher(EventPublisher* publisher) { publisher_ = publisher; }

  // Writes are checked against `scope` row by row (an account's district; a
  // transfer's debit and credit accounts', or those of the pending transfer
  // it posts or voids): PERMISSION_DENIED naming every row outside it, and
  // nothing written.
  absl::StatusOr<CreateAccountsResult> CreateAccounts(const std::string& request_id,
                                                      const std::vector<Account>& accounts,
                                                      const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<PostTransfersResult> PostTransfers(const std::string& request_id,
                                                    const std::vector<Transfer>& transfers,
                                                    const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<Account> GetAccount(const std::string& account_id);
  absl::StatusOr<TransferPage> ListTransfers(const std::string& account_id, int32_t school_year, int32_t page_size,
                                             const std::string& page_token);
  // OutOfRange when a figure's sum exceeds INT64_MAX fen (never a wrapped,
  // negative figure).
  absl::StatusOr<FundingSummary> GetFundingSummary(const FundingSummaryQuery& query);
  // Recomputes the hash chain and every balance with checked arithmetic:
  // an entry whose recomputed balance leaves [0, INT64_MAX] (a journal
  // whose sums wrapped when written) is a problem, as is a stored balance
  // that differs from the recomputed one.
  absl::StatusOr<VerifyResult> VerifyJournal();
  absl::StatusOr<ChangePage> ListChanges(int64_t since_version, int32_t page_size);

 private:
  LedgerRepository* repository_;
  EventPublisher* publisher_ = nullptr;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_FUNDING_LEDGER_H_
