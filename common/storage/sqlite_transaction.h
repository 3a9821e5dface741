#ifndef GZEDU_COMMON_STORAGE_SQLITE_TRANSACTION_H_
#define GZEDU_COMMON_STORAGE_SQLITE_TRANSACTION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "common/status/macros.h"
#include "common/storage/sqlite_database.h"

namespace gzedu {

// What every service's SQLite write transaction shares: BEGIN IMMEDIATE on
// the writer connection (held for the transaction's life, so writes are
// serialised), ROLLBACK when dropped uncommitted, and change versions
// numbered after the largest in the service's `changes` table. A service's
// transaction derives from its port and from this. Not thread-safe.
class SqliteWriteTransaction {
 public:
  SqliteWriteTransaction(const SqliteWriteTransaction&) = delete;
  SqliteWriteTransaction& operator=(const SqliteWriteTransaction&) = delete;

 protected:
  explicit SqliteWriteTransaction(SqliteDatabase::Lease writer) : writer_(std::move(writer)) {}
  ~SqliteWriteTransaction();

  // Unavailable when the database is busy beyond its timeout.
  absl::Status Begin();
  // Commits; on failure rolls back. FailedPrecondition when already ended.
  absl::Status CommitTransaction();
  // The version the next change will take; AdvanceVersion() after using it.
  absl::StatusOr<int64_t> PeekVersion();
  void AdvanceVersion() { ++next_version_; }

  SqliteConnection& writer() { return *writer_; }

 private:
  SqliteDatabase::Lease writer_;
  int64_t next_version_ = 0;
  bool finished_ = false;

  template <typename Transaction, typename Port>
  friend absl::StatusOr<std::unique_ptr<Port>> BeginSqliteWrite(SqliteDatabase& database);
};

// Starts a `Transaction` (a SqliteWriteTransaction implementing `Port`).
template <typename Transaction, typename Port>
absl::StatusOr<std::unique_ptr<Port>> BeginSqliteWrite(SqliteDatabase& database) {
  auto transaction = std::make_unique<Transaction>(database.Writer());
  RETURN_IF_ERROR(transaction->Begin());
  return std::unique_ptr<Port>(std::move(transaction));
}

// The largest change_version in the `changes` table, 0 when empty.
absl::StatusOr<int64_t> SqliteLatestChangeVersion(SqliteConnection& connection);

// OkStatus when the database answers a trivial query on the reader.
absl::Status SqliteHealth(SqliteDatabase& database);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQLITE_TRANSACTION_H_
