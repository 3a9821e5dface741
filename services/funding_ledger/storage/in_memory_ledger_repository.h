#ifndef GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_IN_MEMORY_LEDGER_REPOSITORY_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_IN_MEMORY_LEDGER_REPOSITORY_H_

#include <map>
#include <mutex>

#include "services/funding_ledger/domain/ledger_repository.h"

namespace gzedu::funding {

// A LedgerRepository in memory, for tests. Thread-safe: a write transaction
// holds the write lock and works on a copy of the state that replaces it at
// Commit().
class InMemoryLedgerRepository : public LedgerRepository {
 public:
  struct State {
    std::map<std::string, Account> accounts;
    std::vector<Transfer> journal;  // journal[i].journal_sequence == i + 1
    std::map<std::string, size_t> transfer_index;
    std::map<std::string, std::string> resolutions;
    std::vector<Change> changes;
    std::map<std::string, RequestRecord> requests;
  };

  absl::StatusOr<std::unique_ptr<LedgerWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<Account>> GetAccount(absl::string_view account_id) override;
  absl::StatusOr<std::vector<Account>> AllAccounts() override;
  absl::StatusOr<std::vector<Account>> AccountsOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Transfer>> ListTransfers(const TransferQuery& query) override;
  absl::StatusOr<std::vector<Transfer>> TransfersOfAccounts(const std::vector<std::string>& account_ids,
                                                            int32_t school_year) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override { return absl::OkStatus(); }

  // Test hook: changes a stored transfer behind the ledger's back, as a
  // corrupted or tampered store would.
  void TamperForTest(size_t index, int64_t amount_fen);

 private:
  class Transaction;
  std::mutex write_mutex_;
  std::mutex state_mutex_;
  State state_;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_IN_MEMORY_LEDGER_REPOSITORY_H_
