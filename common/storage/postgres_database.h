#ifndef GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_
#define GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/storage/sql_database.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace gzedu {

// Maps a failed libpq result (or a dead connection) to a status: lost
// connections, shutdowns, serialization failures and deadlocks become
// Unavailable (retryable), a unique-key violation AlreadyExists, the rest
// Internal. `what` names the operation.
absl::Status PostgresStatus(PGconn* connection, const PGresult* result, absl::string_view what);

// Rewrites `?` and `?N` placeholders to PostgreSQL's `$N` (outside quoted
// literals), so one SQL text serves both dialects.
std::string PostgresPlaceholders(absl::string_view sql);

class PostgresConnection;

// A prepared statement on a PostgreSQL connection. Parameters go as text
// (bytes in binary); results come back as text. It runs at the first Step()
// or Run(), within the connection's call deadline, unless it was sent with
// others (PostgresConnection::Send): then Step() and Run() read the outcome
// that came back. See SqlStatement.
class PostgresStatement : public SqlStatement {
 public:
  PostgresStatement(PostgresConnection* connection, uint64_t session, const std::string* prepared_name,
                    absl::string_view name, StorageObserver* observer);
  ~PostgresStatement() override;

  PostgresStatement& Bind(int index, int64_t value) override;
  PostgresStatement& Bind(int index, double value) override;
  PostgresStatement& Bind(int index, absl::string_view text) override;
  PostgresStatement& BindNull(int index) override;
  PostgresStatement& BindBlob(int index, absl::string_view bytes) override;

  absl::StatusOr<bool> Step() override;
  absl::Status Run() override;

  int64_t ColumnInt(int index) const override;
  double ColumnDouble(int index) const override;
  std::string ColumnText(int index) const override;
  std::string ColumnBlob(int index) const override;
  bool ColumnIsNull(int index) const override;

 private:
  struct Parameter {
    std::string value;
    bool null = true;
    bool binary = false;
  };
  friend class PostgresConnection;
  Parameter& Slot(int index);
  absl::Status Execute();
  // Sets the outcome of a statement sent in a pipeline: its result (owned
  // from now on) or, when `result` is null, `error`.
  void Deliver(PGresult* result, absl::Status error);

  PostgresConnection* connection_;
  // The session the statement was prepared in; it fails with Unavailable
  // once the connection was dropped (its prepared statements died with it).
  uint64_t session_;
  const std::string* prepared_name_;
  absl::string_view name_;
  StorageObserver* observer_;
  std::chrono::steady_clock::time_point start_;
  std::vector<Parameter> parameters_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool ok_ = true;
  // Sent in a pipeline: Step() and Run() never execute it again.
  bool sent_ = false;
  absl::Status sent_error_;
};

// One libpq connection with its prepared statements. When the server goes
// away, the next use reconnects (and prepares again); while it cannot, every
// call answers Unavailable.
//
// Every call has a client-side deadline (`call_timeout`): queries are sent
// in non-blocking mode and their answers awaited with poll(), because a
// server that hangs (stopped, or its host gone) leaves the TCP connection
// open and a server-side statement_timeout never fires. A call that misses
// its deadline drops the connection (the server ends the session when it
// notices) and answers Unavailable. Connecting has its own timeout (3 s),
// and TCP keepalives with a user timeout notice a vanished peer on an idle
// connection. A deadline set with SetDeadline (by the lease of a write, or
// of a read that queued: the end of its budget) shortens both. Not thread-safe (one lease holder at
// a time).
//
// Send() runs several statements in one round trip with libpq's pipeline
// mode (one Sync at the end, so the server runs them in order and skips the
// rest after a failure); the connection leaves pipeline mode before it
// returns.
class PostgresConnection : public SqlConnection {
 public:
  static constexpr std::chrono::milliseconds kDefaultCallTimeout{5000};
  static constexpr std::chrono::milliseconds kConnectTimeout{3000};

  explicit PostgresConnection(std::string url, StorageObserver* observer,
                              std::chrono::milliseconds call_timeout = kDefaultCallTimeout);
  ~PostgresConnection() override;

  // Connects if not connected (or the connection broke). Unavailable when the
  // server cannot be reached.
  absl::Status EnsureConnected();

  absl::Status Exec(absl::string_view sql) override;
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view name, absl::string_view sql) override;
  // Every statement must be a PostgresStatement prepared on this connection
  // (a bug otherwise: the process stops).
  absl::Status Send(const std::vector<SqlStatement*>& statements) override;
  void SetDeadline(std::optional<std::chrono::steady_clock::time_point> deadline) override { deadline_ = deadline; }

  // The deadline of each later call; zero means none (e.g. for waiting on
  // the migration lock, which may take as long as another replica migrates).
  void set_call_timeout(std::chrono::milliseconds timeout) { call_timeout_ = timeout; }
  std::chrono::milliseconds call_timeout() const { return call_timeout_; }

  // Runs a prepared statement of session `session` (see PostgresStatement).
  // The result is the caller's (PQclear); on error it is null.
  absl::StatusOr<PGresult*> ExecutePrepared(uint64_t session, const std::string& prepared_name,
                                            const std::vector<const char*>& values, const std::vector<int>& lengths,
                                            const std::vector<int>& formats, absl::string_view what);

 private:
  // When a call must end: the call timeout from now, or the deadline set
  // with SetDeadline if that comes first. `text` says which, for messages.
  struct CallDeadline {
    std::chrono::steady_clock::time_point at;
    bool bounded;
    std::string text;
  };
  CallDeadline Deadline(std::chrono::milliseconds timeout) const;
  // Waits for the answer to what was sent, within the call deadline; returns
  // the last result (or the first failed one) or Unavailable, having dropped
  // the connection, when the deadline passed or the connection broke.
  absl::StatusOr<PGresult*> Await(absl::string_view what);
  // Sends what libpq still holds, by `deadline`; Unavailable, having
  // dropped the connection, when it cannot.
  absl::Status FlushBy(const CallDeadline& deadline, absl::string_view what);
  // The next result of what was sent (null at the end of a query's
  // results), waiting for it until `deadline`; Unavailable, having dropped
  // the connection, when the deadline passed or the connection broke.
  absl::StatusOr<PGresult*> NextResultBy(const CallDeadline& deadline, absl::string_view what);
  // Waits until the socket is ready for `events`; false after `deadline`.
  bool WaitFor(short events, const CallDeadline& deadline);
  absl::Status Lost(absl::string_view what, absl::string_view why);
  void Drop();

  std::string url_;
  StorageObserver* observer_;
  std::chrono::milliseconds call_timeout_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  PGconn* connection_ = nullptr;
  uint64_t session_ = 0;  // incremented by every successful connect
  // Statement name -> the server-side name it was prepared under.
  std::map<absl::string_view, std::string> statements_;
};

// A PostgreSQL database shared by every replica of a service: one writer
// connection and a few reader connections per process. Write transactions
// take a transaction-scoped advisory lock (pg_advisory_xact_lock) keyed by
// database and schema, so they run one at a time across all processes, as
// SQLite's do in one; every commit is durable (synchronous_commit is the
// server's, on by default). Thread-safe.
class PostgresDatabase : public SqlDatabase {
 public:
  // Connects to `url` (postgresql://...). Unavailable when the server cannot
  // be reached. `observer` may be null; it must outlive the database.
  static absl::StatusOr<std::unique_ptr<PostgresDatabase>> Open(const std::string& url, StorageObserver* observer);
  ~PostgresDatabase() override;

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  using SqlDatabase::Migrate;
  absl::Status Migrate(const std::vector<Migration>& migrations, const std::function<bool()>& give_up) override;
  // Waits for the writer within kWriteBudget, which then also bounds the
  // write's calls (PostgresConnection::SetDeadline).
  absl::StatusOr<Lease> Writer() override;
  // A free reader connection, else the first to be free within
  // kQueuedReadBudget, which then also bounds the read's calls; after that,
  // a lease whose every call is refused with Unavailable. So when
  // PostgreSQL hangs, reads queued behind the four in flight are each
  // refused at their own deadline, not one after the other.
  Lease Reader() override;
  std::string BeginWriteSql() const override;
  std::vector<NamedSql> BeginWriteStatements() const override;
  // SELECT 1 on a connection of its own (so it never waits behind a hung
  // query) with a deadline of `kHealthTimeout`: Unavailable when PostgreSQL
  // does not answer in time.
  absl::Status Ping() override;

  static constexpr std::chrono::milliseconds kHealthTimeout{1000};
  static constexpr std::chrono::milliseconds kQueuedReadBudget = kWriteBudget;

 private:
  class QueuedTooLongConnection;
  static constexpr int kReaders = 4;
  PostgresDatabase();

  std::timed_mutex writer_mutex_;
  std::unique_ptr<PostgresConnection> writer_;
  std::timed_mutex reader_mutexes_[kReaders];
  std::unique_ptr<PostgresConnection> readers_[kReaders];
  std::atomic<unsigned> next_reader_{0};
  std::unique_ptr<QueuedTooLongConnection> queued_too_long_;
  std::mutex health_mutex_;
  std::unique_ptr<PostgresConnection> health_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_
