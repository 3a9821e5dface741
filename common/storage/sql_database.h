#ifndef GZEDU_COMMON_STORAGE_SQL_DATABASE_H_
#define GZEDU_COMMON_STORAGE_SQL_DATABASE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/storage_observer.h"

namespace gzedu {

// The SQL engines a repository adapter runs on. One adapter per service is
// written against the interfaces below; the few places where the engines
// differ (schema types, how a write transaction starts) ask the database.
enum class SqlDialect { kSqlite, kPostgres };

// A prepared statement borrowed from a connection for one use. Bind indexes
// start at 1, column indexes at 0. SQL uses `?` (or `?N`) placeholders in
// both dialects. On destruction its duration is reported to the storage
// observer under the statement's name. Not thread-safe; used under the
// connection's lease.
class SqlStatement {
 public:
  virtual ~SqlStatement() = default;

  virtual SqlStatement& Bind(int index, int64_t value) = 0;
  virtual SqlStatement& Bind(int index, double value) = 0;
  virtual SqlStatement& Bind(int index, absl::string_view text) = 0;
  virtual SqlStatement& BindNull(int index) = 0;
  // Binds bytes (a BLOB or BYTEA column), e.g. a serialized message.
  virtual SqlStatement& BindBlob(int index, absl::string_view bytes) = 0;

  // Advances to the next row: true when one is available, false when done.
  virtual absl::StatusOr<bool> Step() = 0;
  // Runs the statement to the end, for statements whose rows are not read.
  virtual absl::Status Run() = 0;

  virtual int64_t ColumnInt(int index) const = 0;
  virtual double ColumnDouble(int index) const = 0;
  virtual std::string ColumnText(int index) const = 0;
  virtual std::string ColumnBlob(int index) const = 0;
  virtual bool ColumnIsNull(int index) const = 0;
};

// One connection with a cache of prepared statements. Not thread-safe: a
// database hands it out under a lease.
class SqlConnection {
 public:
  virtual ~SqlConnection() = default;

  // Executes one or more statements that take no parameters and whose rows
  // are not read.
  virtual absl::Status Exec(absl::string_view sql) = 0;
  // A statement for `sql`, prepared once per connection and cached under
  // `name`; `name` must be a string literal (it is kept, and it labels the
  // latency metric).
  virtual absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view name, absl::string_view sql) = 0;
  // Sends `statements` (prepared on this connection, parameters bound, none
  // run yet) to run in this order, in one round trip where the engine has
  // round trips (PostgreSQL: libpq's pipeline mode); the caller then takes
  // each one's outcome with Step() or Run(), in the same order. A statement
  // after a failed one is not run: its outcome is Aborted. Unavailable (and
  // every statement's outcome too) when the connection broke. By default
  // (SQLite runs in process: no round trip to save) nothing happens here and
  // each statement runs at its first Step() or Run(), so callers must take
  // the outcomes in order.
  virtual absl::Status Send(const std::vector<SqlStatement*>& statements) {
    (void)statements;
    return absl::OkStatus();
  }
  // Bounds every later call, connecting included, by `deadline` (nullopt:
  // only by the connection's own per-call timeout), until set again: a call
  // that would end after it fails with Unavailable instead, and a call cut
  // short ends the session (the server rolls back what it had). The writer
  // lease sets it to the end of the write's budget (PostgreSQL's reader
  // leases likewise for a read that queued). By default nothing
  // happens (SQLite runs in process: its calls cannot be cut short).
  virtual void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) { (void)deadline; }
};

// A statement with the name it is prepared under (a string literal, see
// SqlConnection::Prepare).
struct NamedSql {
  const char* name;
  std::string sql;
};

// A schema change: applied once, in order, each in its own transaction.
// Written in SQLite's dialect (STRICT tables, INTEGER, REAL, BLOB); other
// dialects translate it (TranslateSchemaSql).
struct Migration {
  int version;
  std::string description;
  std::string sql;
};

// A service's database. Thread-safe: each connection is handed out under its
// own lock, one holder at a time.
class SqlDatabase {
 public:
  // A connection held for as long as the lease lives.
  class Lease {
   public:
    Lease(std::timed_mutex& mutex, SqlConnection* connection) : lock_(mutex), connection_(connection) {}
    Lease(std::unique_lock<std::timed_mutex> lock, SqlConnection* connection)
        : lock_(std::move(lock)), connection_(connection) {}
    SqlConnection* operator->() const { return connection_; }
    SqlConnection& operator*() const { return *connection_; }
    // Lets the connection go before the lease ends; it is not to be used
    // through this lease again.
    void Release() {
      lock_.unlock();
      connection_ = nullptr;
    }

   private:
    std::unique_lock<std::timed_mutex> lock_;
    SqlConnection* connection_;
  };

  virtual ~SqlDatabase() = default;

  virtual SqlDialect dialect() const = 0;
  // Applies the migrations not yet recorded in schema_migrations. Safe when
  // several processes migrate the same database at once: they take turns
  // (on PostgreSQL a session advisory lock, polled). While another process
  // has the turn, `give_up` (may be empty: wait as long as it takes) is asked
  // every kMigrationLockPoll; once it returns true, Migrate returns
  // Cancelled. Unavailable when the database does not answer; the migration's
  // own error otherwise.
  virtual absl::Status Migrate(const std::vector<Migration>& migrations, const std::function<bool()>& give_up) = 0;
  absl::Status Migrate(const std::vector<Migration>& migrations) { return Migrate(migrations, nullptr); }
  // The connection for write transactions, once the writes ahead have let
  // it go. Each write has a budget (kWriteBudget, counted from this call)
  // for both waiting here and its calls on the connection (SetDeadline), so
  // when the database hangs, every queued write fails at the end of its own
  // budget, not one after the other behind the writes ahead. Unavailable
  // when the writes ahead hold the connection for the whole budget.
  virtual absl::StatusOr<Lease> Writer() = 0;
  // A connection for reads; they see committed data only.
  virtual Lease Reader() = 0;
  // The SQL that opens a write transaction. Write transactions on one
  // database are serialised, across every process that uses it: SQLite's
  // BEGIN IMMEDIATE, PostgreSQL's transaction-scoped advisory lock. So change
  // versions (the largest + 1) are assigned in commit order and without gaps.
  virtual std::string BeginWriteSql() const = 0;
  // BeginWriteSql as statements to prepare and run one by one, for a
  // transaction that sends its beginning with its first statements
  // (SqlConnection::Send) rather than in a round trip of its own.
  virtual std::vector<NamedSql> BeginWriteStatements() const = 0;
  // Whether the database answers, for readiness: OK, Unavailable (soon:
  // implementations bound how long it may take), or ResourceExhausted after
  // a disk-full error (see RecentStorageFull). By default SELECT 1 on a
  // reader.
  virtual absl::Status Ping();
};

// How long a write may take, from asking for the writer connection to its
// last call on it (SqlDatabase::Writer): PostgreSQL's per-call timeout, and
// SQLite's busy timeout, so that a write refused for a hung or busy database
// is refused after about the same time wherever it waited.
inline constexpr std::chrono::milliseconds kWriteBudget{5000};

// The lease on `connection` once `mutex` is free, waiting until `deadline`;
// Unavailable when the writes ahead held it that long (`budget` is the time
// the write was given, for the message). Sets the connection's deadline to
// `deadline`. For SqlDatabase::Writer implementations.
absl::StatusOr<SqlDatabase::Lease> LeaseWriterBy(std::timed_mutex& mutex, SqlConnection* connection,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 std::chrono::milliseconds budget);

// How often a process waiting for another's migration looks again.
inline constexpr std::chrono::milliseconds kMigrationLockPoll{250};

// Disk full (SQLite's SQLITE_FULL, PostgreSQL's 53100): the adapters map it
// to ResourceExhausted and note it here (process-wide), and every database's
// Ping reports ResourceExhausted for kStorageFullReportedFor after the last
// one, so readiness shows it. Thread-safe.
inline constexpr std::chrono::seconds kStorageFullReportedFor{30};
void NoteStorageFull();
// ResourceExhausted while a disk-full error is recent, else OK.
absl::Status RecentStorageFull();

// Rewrites a migration written in SQLite's dialect for `dialect`: for
// PostgreSQL, INTEGER becomes BIGINT, REAL DOUBLE PRECISION, BLOB BYTEA, and
// STRICT goes.
std::string TranslateSchemaSql(SqlDialect dialect, absl::string_view sql);

// Creates schema_migrations if needed and applies, each in its own
// transaction, the migrations above the largest version recorded there.
// Callers serialise concurrent migrators.
absl::Status ApplyMigrations(SqlConnection& writer, SqlDialect dialect, const std::vector<Migration>& migrations);

// "INSERT INTO table (columns) VALUES (?, ...) ON CONFLICT (keys) DO UPDATE
// SET c = excluded.c, ..." for every column not in `keys`: an upsert that both
// dialects run (SQLite's INSERT OR REPLACE is SQLite only, and deletes the row
// first). `columns` and `keys` are comma-separated lists.
std::string UpsertSql(absl::string_view table, absl::string_view columns, absl::string_view keys);

// Many values bound as one parameter, so one statement reads or writes a
// whole batch in one round trip: a PostgreSQL array literal ('{1,"a b"}',
// for `CAST(? AS text[])` or UNNEST) or, on SQLite, a JSON array (for
// json_each). Texts are bound as given (no NUL bytes, as for Bind); an empty
// array is valid. Not thread-safe.
class SqlArray {
 public:
  explicit SqlArray(SqlDialect dialect) : dialect_(dialect) {}
  SqlArray& Add(int64_t value);
  SqlArray& Add(absl::string_view text);
  SqlArray& AddNull();
  size_t size() const { return size_; }
  // The array's text, to Bind as one text parameter.
  std::string Finish() const;

 private:
  SqlDialect dialect_;
  std::string elements_;
  size_t size_ = 0;
};

// A condition that `column` is one of the texts of a SqlArray bound as the
// one parameter `?`: `column = ANY(CAST(? AS text[]))` on PostgreSQL,
// `column IN (SELECT value FROM json_each(?))` on SQLite.
std::string SqlAnyOf(SqlDialect dialect, absl::string_view column);

// BeginWriteSql for a transaction that reads and writes by batch (SqlArray,
// SqlAnyOf, UnnestUpsertSql). On PostgreSQL it also plans every statement
// for the values and the table at hand (plan_cache_mode force_custom_plan,
// for this transaction only): a prepared statement's generic plan, made
// once, can stay a sequential scan chosen while the table was empty, and a
// lookup of a batch's ids then reads the whole table.
std::string BeginBatchWriteSql(const SqlDatabase& database);

// UpsertSql's statement for many rows at once on PostgreSQL: the rows come
// as one array parameter per column (SqlArray), `types` naming each column's
// element type ("text, bigint, ..."), and UNNEST turns them back into rows.
// The rows must not repeat a key (PostgreSQL refuses to update one row twice
// in one statement).
std::string UnnestUpsertSql(absl::string_view table, absl::string_view columns, absl::string_view types,
                            absl::string_view keys);

// Opens the database a --database value names: sqlite:///abs/path.db,
// sqlite:relative/path.db, or postgresql://user:password@host:port/db (also
// postgres://). InvalidArgument for anything else; Unavailable when it cannot
// be reached. `observer` may be null; it must outlive the database.
absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqlDatabase(absl::string_view url, StorageObserver* observer);

// Checks the form of a --database value without opening it.
absl::Status CheckDatabaseUrl(absl::string_view url);

// The database URL with any password replaced by "***", for logs.
std::string RedactDatabaseUrl(absl::string_view url);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQL_DATABASE_H_
