#ifndef GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_REPOSITORY_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_REPOSITORY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/requests.h"
#include "services/funding_ledger/domain/ledger.h"

namespace gzedu::funding {

// The last journal entry: its position and hash (0 and "" when empty).
struct JournalHead {
  int64_t sequence = 0;
  std::string hash;
};

// One write transaction of the ledger store: all of it becomes visible at
// Commit(), or none of it. Transactions are serialised, so balances read in
// one are not changed by another before it commits. Not thread-safe. Every
// method returns Unavailable when the store cannot be reached, Internal
// otherwise.
class LedgerWriteTransaction : public RequestLog {
 public:
  // A hint, not a read: the request, transfers and accounts the caller is
  // about to look up (FindRequest, FindTransfer and FindResolution,
  // FindAccount), so a store that pays a round trip per statement can read
  // them all at once and answer those lookups from memory. `request_id` may
  // be empty. Ids not named may still be looked up. The default does nothing.
  virtual absl::Status Prefetch(absl::string_view request_id, const std::vector<std::string>& transfer_ids,
                                const std::vector<std::string>& account_ids) {
    (void)request_id;
    (void)transfer_ids;
    (void)account_ids;
    return absl::OkStatus();
  }
  virtual absl::StatusOr<std::optional<Account>> FindAccount(absl::string_view account_id) = 0;
  virtual absl::StatusOr<std::optional<Transfer>> FindTransfer(absl::string_view transfer_id) = 0;
  // The transfer that posted or voided a pending transfer, if any.
  virtual absl::StatusOr<std::optional<std::string>> FindResolution(absl::string_view pending_id) = 0;
  virtual absl::StatusOr<JournalHead> Head() = 0;
  virtual absl::StatusOr<int64_t> NextChangeVersion() = 0;
  // Appends `change` with NextChangeVersion(), returned.
  virtual absl::StatusOr<int64_t> AppendChange(const Change& change) = 0;
  // Creates or replaces an account row (balances included).
  virtual absl::Status PutAccount(const Account& account) = 0;
  // Appends a journal entry; sequence and hash already set. AlreadyExists
  // for a used transfer id.
  virtual absl::Status AppendTransfer(const Transfer& transfer) = 0;
  // Records that `transfer_id` posted or voided `pending_id`.
  virtual absl::Status PutResolution(absl::string_view pending_id, absl::string_view transfer_id) = 0;
  // Makes the writes durable and visible. A store may commit several
  // transactions together; Commit returns once this one's writes, and what
  // it read from the others, are committed (so callers commit even a
  // transaction that wrote nothing before answering from what it read).
  virtual absl::Status Commit() = 0;
};

// Filters of a page of the journal.
struct TransferQuery {
  std::string account_id;   // empty: every account
  int32_t school_year = 0;  // 0: every year
  int64_t after_sequence = 0;
  int32_t limit = 100;
};

// The ledger's store. Thread-safe; reads see committed writes. Every method
// returns Unavailable when the store cannot be reached, Internal otherwise.
class LedgerRepository {
 public:
  virtual ~LedgerRepository() = default;
  virtual absl::StatusOr<std::unique_ptr<LedgerWriteTransaction>> BeginWrite() = 0;
  virtual absl::StatusOr<std::optional<Account>> GetAccount(absl::string_view account_id) = 0;
  // Every account, in id order (for verification).
  virtual absl::StatusOr<std::vector<Account>> AllAccounts() = 0;
  virtual absl::StatusOr<std::vector<Account>> AccountsOfDistrict(absl::string_view district_code) = 0;
  // Journal entries in sequence order matching `query`.
  virtual absl::StatusOr<std::vector<Transfer>> ListTransfers(const TransferQuery& query) = 0;
  // Transfers crediting or debiting any of `account_ids` in `school_year`.
  virtual absl::StatusOr<std::vector<Transfer>> TransfersOfAccounts(const std::vector<std::string>& account_ids,
                                                                    int32_t school_year) = 0;
  virtual absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) = 0;
  virtual absl::StatusOr<int64_t> LatestChangeVersion() = 0;
  virtual absl::Status CheckHealth() = 0;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_DOMAIN_LEDGER_REPOSITORY_H_
