#ifndef GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_H_

#include <cstdint>
#include <string>
#include <variant>

namespace gzedu::funding {

// Values match gzedu.funding.v1.AccountPurpose.
enum class AccountPurpose {
  kUnspecified = 0,
  kSchoolOperating = 1,  // 公用经费
  kSchoolTraining = 2,   // 教师培训经费
  kDistrictEducationBudget = 3,
  kSubsidy = 4,
  kPayroll = 5,
  kOther = 6,
};

// An account and its balances, in fen.
struct Account {
  std::string account_id;
  std::string district_code;
  std::string school_code;  // school accounts only
  AccountPurpose purpose = AccountPurpose::kUnspecified;
  bool debits_must_not_exceed_credits = false;
  int64_t debits_posted_fen = 0;
  int64_t credits_posted_fen = 0;
  int64_t debits_pending_fen = 0;
  int64_t credits_pending_fen = 0;
  int64_t change_version = 0;

  // Equal in what a client sets (balances and version aside).
  bool SameDefinition(const Account& other) const;
};

// A journal entry. Immutable once posted.
struct Transfer {
  std::string transfer_id;
  std::string debit_account_id;
  std::string credit_account_id;
  int64_t amount_fen = 0;
  int32_t school_year = 0;
  std::string purpose;
  std::string memo;
  bool pending = false;
  std::string post_pending_id;
  std::string void_pending_id;
  int64_t journal_sequence = 0;  // set by the ledger
  std::string journal_hash;      // set by the ledger
  int64_t change_version = 0;    // set by the ledger

  // Equal in what a client sets.
  bool SameContent(const Transfer& other) const;
  bool resolves_pending() const { return !post_pending_id.empty() || !void_pending_id.empty(); }
};

// The hash of a journal entry: SHA-256 over the previous entry's hash and
// every field of the transfer (hex). The first entry's previous hash is "".
std::string JournalHash(const std::string& previous_hash, const Transfer& transfer);

struct Change {
  int64_t change_version = 0;
  std::string request_id;
  std::string district_code;
  std::variant<Account, Transfer> entity;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_H_
