#ifndef GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_
#define GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
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
class SqlWriteTransaction;

// Group commit for the write transactions on one database, so one WAL flush
// serves several: when a transaction is ready to commit and another is
// already waiting for the writer connection, it leaves the database
// transaction open (its own work in a savepoint, released) and hands the
// connection on; the next continues inside the same database transaction,
// and the last one, finding nobody waiting (or the group full), commits
// them all. Every transaction of the group returns from its commit only
// after that COMMIT did, with its outcome: nothing is acknowledged before
// it is on disk. A transaction that fails or is dropped rolls back to its
// savepoint only. The serialising lock stays held until the group commits,
// so change versions still follow commit order without gaps. Thread-safe;
// one per database, outliving its transactions.
class SqlCommitGroup {
 public:
  // At most `max_transactions` transactions commit together.
  explicit SqlCommitGroup(int max_transactions) : max_transactions_(max_transactions) {}
  SqlCommitGroup(const SqlCommitGroup&) = delete;
  SqlCommitGroup& operator=(const SqlCommitGroup&) = delete;

  // The writer of `database`, once the transactions ahead have let it go;
  // while this waits, they know someone is waiting. Unavailable as
  // SqlDatabase::Writer.
  absl::StatusOr<SqlDatabase::Lease> AwaitWriter(SqlDatabase& database);

 private:
  friend class SqlWriteTransaction;
  // The outcome of one database transaction shared by several.
  struct Round {
    std::mutex mutex;
    std::condition_variable ended;
    bool done = false;
    absl::Status status;
  };
  static void End(Round& round, absl::Status status);
  static absl::Status Wait(Round& round);

  const int max_transactions_;
  std::atomic<int> waiting_{0};
  // A database transaction left open by the transactions before (null when
  // none), and how many they are. Guarded by the writer connection's lease.
  std::shared_ptr<Round> open_round_;
  int open_transactions_ = 0;
};

class SqlWriteTransaction {
 public:
  SqlWriteTransaction(const SqlWriteTransaction&) = delete;
  SqlWriteTransaction& operator=(const SqlWriteTransaction&) = delete;

 protected:
  explicit SqlWriteTransaction(SqlDatabase::Lease writer) : writer_(std::move(writer)) {}
  // Begins lazily, with `begin_statements` (SqlDatabase::
  // BeginWriteStatements) sent ahead of the first Send() or
  // CommitTransactionAfter().
  SqlWriteTransaction(SqlDatabase::Lease writer, std::vector<NamedSql> begin_statements)
      : writer_(std::move(writer)), begin_statements_(std::move(begin_statements)) {}
  // Begins lazily as above, and commits with the others of `group` (see
  // SqlCommitGroup): `writer` from group->AwaitWriter(). The transaction
  // continues the group's open database transaction when there is one. A
  // null `group` is the constructor above.
  SqlWriteTransaction(SqlDatabase::Lease writer, std::vector<NamedSql> begin_statements, SqlCommitGroup* group);
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
  // In a group: undoes this transaction's work (back to its savepoint), then
  // hands the open database transaction on or commits it for the others;
  // returns `status`.
  absl::Status AbandonInGroup(absl::Status status);
  // In a group, with this transaction's work done or undone: commits the
  // group's database transaction, ends its round and returns the outcome.
  absl::Status CommitRound();
  // In a group: leaves the database transaction open for the transaction
  // waiting for the writer, and lets the writer go.
  std::shared_ptr<SqlCommitGroup::Round> HandOn();
  // Ends the group's open round, if any, with `status` for every
  // transaction waiting on it.
  void EndRound(absl::Status status);

  SqlDatabase::Lease writer_;
  std::vector<NamedSql> begin_statements_;
  SqlCommitGroup* group_ = nullptr;
  int64_t next_version_ = 0;
  State state_ = State::kNotBegun;

  template <typename Transaction, typename Port>
  friend absl::StatusOr<std::unique_ptr<Port>> BeginSqlWrite(SqlDatabase& database);
};

// Starts a `Transaction` (a SqlWriteTransaction implementing `Port`).
template <typename Transaction, typename Port>
absl::StatusOr<std::unique_ptr<Port>> BeginSqlWrite(SqlDatabase& database) {
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer, database.Writer());
  auto transaction = std::make_unique<Transaction>(std::move(writer));
  RETURN_IF_ERROR(transaction->Begin(database.BeginWriteSql()));
  return std::unique_ptr<Port>(std::move(transaction));
}

// The largest change_version in the `changes` table, 0 when empty.
absl::StatusOr<int64_t> SqlLatestChangeVersion(SqlConnection& connection);

// OkStatus when the database answers a trivial query on the reader.
absl::Status SqlHealth(SqlDatabase& database);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQL_TRANSACTION_H_
