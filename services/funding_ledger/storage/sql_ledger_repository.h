#ifndef GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQL_LEDGER_REPOSITORY_H_
#define GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQL_LEDGER_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/deferred_sql_database.h"
#include "common/storage/sql_database.h"
#include "common/storage/sql_transaction.h"
#include "services/funding_ledger/domain/ledger_repository.h"

namespace gzedu::funding {

// A LedgerRepository on SQL: one SQLite file (WAL, synchronous=FULL) or a
// PostgreSQL database shared by every replica. An acknowledged batch survives
// a crash. The journal is the transfers table in sequence order; write
// transactions run one at a time across all replicas (SqlDatabase::
// BeginWriteSql), so balances and the hash chain stay exact. On PostgreSQL,
// write transactions that queue for the writer commit together
// (SqlCommitGroup: one WAL flush for several batches, each acknowledged only
// after that COMMIT). Thread-safe.
class SqlLedgerRepository : public LedgerRepository {
 public:
  static absl::StatusOr<std::unique_ptr<SqlLedgerRepository>> Open(absl::string_view url, StorageObserver* observer);
  // For a server that listens before its database is open: a repository
  // on a DeferredSqlDatabase for `url` with this adapter's migrations,
  // returned at once; every call answers Unavailable until
  // `*database`->OpenAndMigrate() has succeeded. `*database` is set to that
  // database, which the repository owns. `observer` may be null.
  static std::unique_ptr<SqlLedgerRepository> OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                           DeferredSqlDatabase** database);

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
  explicit SqlLedgerRepository(std::unique_ptr<SqlDatabase> database);
  std::unique_ptr<SqlDatabase> database_;
  std::unique_ptr<SqlCommitGroup> commit_group_;  // null on SQLite
};

}  // namespace gzedu::funding

#endif  // GZEDU_SERVICES_FUNDING_LEDGER_STORAGE_SQL_LEDGER_REPOSITORY_H_
