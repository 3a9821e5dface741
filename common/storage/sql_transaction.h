#ifndef GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_
#define GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/status/macros.h"
#include "common/storage/sql_database.h"

namespace gzedu {

// What every service's SQL write transaction shares: the database's
// serialising BEGIN on the writer connection (held for the transaction's
// life; SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock, which also
// serialises other processes on the same database), ROLLBACK when dropped
// uncommitted, and change versions numbered after the largest in the
// service's `changes` table, so they follow commit order without gaps. A
// service's transaction derives from its port and from this. Not thread-safe.
class SqlWriteTransaction {
 public:
  SqlWriteTransaction(const SqlWriteTransaction&) = delete;
  SqlWriteTransaction& operator=(const SqlWriteTransaction&) = delete;

 protected:
  explicit SqlWriteTransaction(SqlDatabase::Lease writer) : writer_(std::move(writer)) {}
  ~SqlWriteTransaction();

  // Runs `begin_sql` (SqlDatabase::BeginWriteSql). Unavailable when the
  // database is busy beyond its timeout or cannot be reached.
  absl::Status Begin(const std::string& begin_sql);
  // Commits; on failure rolls back. FailedPrecondition when already ended.
  absl::Status CommitTransaction();
  // The version the next change will take; AdvanceVersion() after using it.
  absl::StatusOr<int64_t> PeekVersion();
  void AdvanceVersion() { ++next_version_; }

  SqlConnection& writer() { return *writer_; }

 private:
  SqlDatabase::Lease writer_;
  int64_t next_version_ = 0;
  bool finished_ = false;

  template <typename Transaction, typename Port>
  friend absl::StatusOr<std::unique_ptr<Port>> BeginSqlWrite(SqlDatabase& database);
};

// Starts a `Transaction` (a SqlWriteTransaction implementing `Port`).
template <typename Transaction, typename Port>
absl::StatusOr<std::unique_ptr<Port>> BeginSqlWrite(SqlDatabase& database) {
  auto transaction = std::make_unique<Transaction>(database.Writer());
  RETURN_IF_ERROR(transaction->Begin(database.BeginWriteSql()));
  return std::unique_ptr<Port>(std::move(transaction));
}

// The largest change_version in the `changes` table, 0 when empty.
absl::StatusOr<int64_t> SqlLatestChangeVersion(SqlConnection& connection);

// OkStatus when the database answers a trivial query on the reader.
absl::Status SqlHealth(SqlDatabase& database);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_
