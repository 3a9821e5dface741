#ifndef GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_
#define GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_

#include <memory>
#include <string>
#include <vector>

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
//
// A transaction may also begin lazily (the constructor that takes the begin
// statements): its BEGIN then goes with its first statements (Send), and
// its COMMIT with its last (CommitTransactionAfter), so on PostgreSQL a
// transaction that reads once and writes once costs two round trips.
class SqlWriteTransaction {
 public:
  SqlWriteTransaction(const SqlWriteTransaction&) = delete;
  SqlWriteTransaction& operator=(const SqlWriteTransaction&) = delete;

 protected:
  explicit SqlWriteTransaction(SqlDatabase::Lease writer) : writer_(std::move(writer)) {}
  // Begins lazily, with `begin_statements` (SqlDatabase::
  // BeginWriteStatements or BeginBatchWriteStatements) sent ahead of the
  // first Send() or CommitTransactionAfter().
  SqlWriteTransaction(SqlDatabase::Lease writer, std::vector<NamedSql> begin_statements)
      : writer_(std::move(writer)), begin_statements_(std::move(begin_statements)) {}
  ~SqlWriteTransaction();

  // Runs `begin_sql` (SqlDatabase::BeginWriteSql). Unavailable when the
  // database is busy beyond its timeout or cannot be reached.
  absl::Status Begin(const std::string& begin_sql);
  // Commits; on failure rolls back. FailedPrecondition when already ended.
  absl::Status CommitTransaction();
  // Sends `statements` (prepared on writer(), bound, not run) with
  // SqlConnection::Send, preceded by the begin statements when the
  // transaction has not begun. Returns how beginning went (Unavailable when
  // the database is busy beyond its timeout or cannot be reached;
  // FailedPrecondition when already ended); only when OK may the caller take
  // the statements' outcomes, in order. A failed begin rolls back.
  absl::Status Send(const std::vector<SqlStatement*>& statements);
  // Commits after `statements` (as Send, then Run() on each in order), COMMIT
  // sent with them: one round trip on PostgreSQL. A statement that must keep
  // the commit from happening has to fail (e.g. a key violation, not an
  // ON CONFLICT DO NOTHING that returns no row). On any failure rolls back
  // and returns the first failure; FailedPrecondition when already ended.
  absl::Status CommitTransactionAfter(const std::vector<SqlStatement*>& statements);
  bool begun() const { return state_ != State::kNotBegun; }
  // The version the next change will take; AdvanceVersion() after using it.
  absl::StatusOr<int64_t> PeekVersion();
  void AdvanceVersion() { ++next_version_; }

  SqlConnection& writer() { return *writer_; }

 private:
  enum class State { kNotBegun, kOpen, kFinished };
  // Rolls back (when open) and ends the transaction; returns `status`.
  absl::Status Abandon(absl::Status status);

  SqlDatabase::Lease writer_;
  std::vector<NamedSql> begin_statements_;
  int64_t next_version_ = 0;
  State state_ = State::kNotBegun;

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
