#ifndef GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_
#define GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
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

// A prepared statement on a PostgreSQL connection. Parameters go as text
// (bytes in binary); results come back as text. It runs at the first Step()
// or Run(). See SqlStatement.
class PostgresStatement : public SqlStatement {
 public:
  PostgresStatement(PGconn* connection, const std::string* prepared_name, absl::string_view name,
                    StorageObserver* observer);
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
  Parameter& Slot(int index);
  absl::Status Execute();

  PGconn* connection_;
  const std::string* prepared_name_;
  absl::string_view name_;
  StorageObserver* observer_;
  std::chrono::steady_clock::time_point start_;
  std::vector<Parameter> parameters_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool ok_ = true;
};

// One libpq connection with its prepared statements. When the server goes
// away, the next use reconnects (and prepares again); while it cannot, every
// call answers Unavailable.
class PostgresConnection : public SqlConnection {
 public:
  explicit PostgresConnection(std::string url, StorageObserver* observer);
  ~PostgresConnection() override;

  // Connects if not connected (or the connection broke). Unavailable when the
  // server cannot be reached.
  absl::Status EnsureConnected();

  absl::Status Exec(absl::string_view sql) override;
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view name, absl::string_view sql) override;

 private:
  std::string url_;
  StorageObserver* observer_;
  PGconn* connection_ = nullptr;
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

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }
  absl::Status Migrate(const std::vector<Migration>& migrations) override;
  Lease Writer() override { return Lease(writer_mutex_, writer_.get()); }
  Lease Reader() override;
  std::string BeginWriteSql() const override;

 private:
  static constexpr int kReaders = 4;
  PostgresDatabase() = default;

  std::mutex writer_mutex_;
  std::unique_ptr<PostgresConnection> writer_;
  std::mutex reader_mutexes_[kReaders];
  std::unique_ptr<PostgresConnection> readers_[kReaders];
  std::atomic<unsigned> next_reader_{0};
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_POSTGRES_DATABASE_H_
