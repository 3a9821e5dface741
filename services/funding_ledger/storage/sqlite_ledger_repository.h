#ifndef GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQLITE_LEDGER_REPOSITORY_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQLITE_LEDGER_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/sqlite_database.h"
#include "services/funding_ledger/domain/ledger_repository.h"

namespace gzedu::funding {

// A LedgerRepository in one SQLite file (WAL, synchronous=FULL): an
// acknowledged batch survives a crash. The journal is the transfers table
// in sequence order; write transactions are BEGIN IMMEDIATE, one at a time.
// Thread-safe.
class SqliteLedgerRepository : public LedgerRepository {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteLedgerRepository>> Open(const std::string& path,
                                                                      StorageObserver* observer);

  absl::StatusOr<std::unique_ptr<LedgerWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<Account>> GetAccount(absl::string_view account_id) override;
  absl::StatusOr<std::vector<Account>> AllAccounts() override;
  absl::StatusOr<std::vector<Account>> AccountsOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Transfer>> ListTransfers(const TransferQuery& query) override;
  absl::StatusOr<std::vector<Transfer>> TransfersOfAccounts(const std::vector<std::string>& account_ids,
                                                            int32_t school_year) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override;

 private:
  class Transaction;
  explicit SqliteLedgerRepository(std::unique_ptr<SqliteDatabase> database) : database_(std::move(database)) {}
  std::unique_ptr<SqliteDatabase> database_;
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQLITE_LEDGER_REPOSITORY_H_
