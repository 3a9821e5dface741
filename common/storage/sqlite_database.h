#ifndef GZEDU_COMMON_STORAGE_SQLITE_DATABASE_H_
#define GZEDU_COMMON_STORAGE_SQLITE_DATABASE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/storage/sql_database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gzedu {

// Maps an SQLite result code to a status, once for every adapter: busy and
// locked become Unavailable (retryable), constraint violations of a key
// AlreadyExists, a full disk (SQLITE_FULL, or an I/O error whose errno is
// ENOSPC, EDQUOT or EFBIG) ResourceExhausted, the rest Internal. `what` names
// the operation.
absl::Status SqliteStatus(sqlite3* db, int result_code, absl::string_view what);

// A prepared statement borrowed from a connection's cache for one use. On
// destruction it is reset (bindings cleared) and its duration is reported to
// the observer under the statement's name. Bind indexes start at 1, column
// indexes at 0. Not thread-safe; used under the connection's lock.
class SqliteStatement : public SqlStatement {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, absl::string_view name, StorageObserver* observer);
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, int64_t value) override;
  SqliteStatement& Bind(int index, double value) override;
  SqliteStatement& Bind(int index, absl::string_view text) override;
  SqliteStatement& BindNull(int index) override;
  // Binds bytes (a BLOB column), e.g. a serialized message.
  SqliteStatement& BindBlob(int index, absl::string_view bytes) override;

  // Advances to the next row: true when one is available, false when done.
  absl::StatusOr<bool> Step() override;
  // Steps until done, for statements that return no rows.
  absl::Status Run() override;

  int64_t ColumnInt(int index) const override;
  double ColumnDouble(int index) const override;
  std::string ColumnText(int index) const override;
  std::string ColumnBlob(int index) const override;
  bool ColumnIsNull(int index) const override;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  absl::string_view name_;
  StorageObserver* observer_;
  std::chrono::steady_clock::time_point start_;
  bool ok_ = true;
};

// One SQLite connection with a cache of prepared statements. Not
// thread-safe: SqliteDatabase hands it out under a lock.
class SqliteConnection : public SqlConnection {
 public:
  ~SqliteConnection() override;

  // Executes one or more statements that return no rows.
  absl::Status Exec(absl::string_view sql) override;
  // A statement for `sql`, prepared once per connection and cached under
  // `name`; `name` must be a string literal (it is kept, and it labels
  // the latency metric).
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view name, absl::string_view sql) override;

 private:
  friend class SqliteDatabase;
  SqliteConnection(sqlite3* db, StorageObserver* observer) : db_(db), observer_(observer) {}

  sqlite3* db_;
  StorageObserver* observer_;
  std::map<absl::string_view, sqlite3_stmt*> statements_;
};

// A database file opened in WAL mode with synchronous=FULL, so a committed
// transaction survives a crash of the process or of the machine. Holds one
// connection for writes and one for reads (WAL lets reads go on while a write
// transaction is open). Thread-safe: each connection is handed out under its
// own lock.
//
// One open database per file: Open takes an exclusive lock (flock) on
// `PATH.lock`, which holds the holder's pid, for the database's life, so no
// other process (nor a second Open in this one) writes the file behind a
// server that keeps what it serves in memory. The lock ends with the
// process, however it ends.
class SqliteDatabase : public SqlDatabase {
 public:
  // Opens (creating if needed) the database at `path`. Returns
  // FailedPrecondition naming the directory and what to do when the
  // directory is missing, not a directory or not writable, or naming the
  // file and the pid of the process that holds it open; Unavailable when
  // the file cannot be opened otherwise. `observer` may be null; it must
  // outlive the database.
  static absl::StatusOr<std::unique_ptr<SqliteDatabase>> Open(const std::string& path, StorageObserver* observer);

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }
  using SqlDatabase::Migrate;
  absl::Status Migrate(const std::vector<Migration>& migrations, const std::function<bool()>& give_up) override;
  // Waits for the writer within kWriteBudget (then Unavailable), like
  // BEGIN IMMEDIATE's busy timeout for other processes.
  absl::StatusOr<Lease> Writer() override;
  Lease Reader() override { return Lease(reader_mutex_, reader_.get()); }
  std::string BeginWriteSql() const override { return "BEGIN IMMEDIATE"; }
  std::vector<NamedSql> BeginWriteStatements() const override { return {{"begin_write", "BEGIN IMMEDIATE"}}; }

 private:
  // The exclusive lock on PATH.lock, held while it lives.
  class ProcessLock {
   public:
    ProcessLock() = default;
    ~ProcessLock();
    ProcessLock(const ProcessLock&) = delete;
    ProcessLock& operator=(const ProcessLock&) = delete;
    // FailedPrecondition naming the file and the holder's pid when another
    // open database holds it.
    absl::Status Acquire(const std::string& database_path);

   private:
    int fd_ = -1;
  };

  SqliteDatabase() = default;

  // First: released after the connections are closed.
  ProcessLock process_lock_;
  std::timed_mutex writer_mutex_;
  std::unique_ptr<SqliteConnection> writer_;
  std::timed_mutex reader_mutex_;
  std::unique_ptr<SqliteConnection> reader_;
};

// Parses a --database value of the form sqlite:///absolute/path.db or
// sqlite:relative/path.db into the file path. InvalidArgument otherwise.
absl::StatusOr<std::string> SqlitePathFromUrl(absl::string_view url);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQLITE_DATABASE_H_
