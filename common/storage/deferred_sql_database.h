#ifndef GZEDU_COMMON_STORAGE_DEFERRED_SQL_DATABASE_H_
#define GZEDU_COMMON_STORAGE_DEFERRED_SQL_DATABASE_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/storage/sql_database.h"

namespace gzedu {

// A service's database as a server uses it from the moment it listens, while
// the database is still being opened and migrated: PostgreSQL may not answer
// yet, and another replica (or the migration job) may hold the migration
// lock for as long as its migration takes. Until OpenAndMigrate() has
// succeeded, every connection it lends fails each call with Unavailable and
// Ping() says what is awaited, so the server's readiness is NOT_SERVING and
// its calls answer UNAVAILABLE while liveness stays SERVING (the pod is not
// killed for waiting); afterwards it is the opened database. Thread-safe.
class DeferredSqlDatabase : public SqlDatabase {
 public:
  // `url` as OpenSqlDatabase takes it (checked already: CheckDatabaseUrl);
  // `migrations` the service's schema. `observer` may be null; it must
  // outlive the database. Opens nothing yet.
  DeferredSqlDatabase(std::string url, std::vector<Migration> migrations, StorageObserver* observer);
  ~DeferredSqlDatabase() override;

  // Opens the database and applies the migrations, waiting for the
  // migration lock while another process holds it. On PostgreSQL, a database
  // that cannot be reached (Unavailable) is tried again, with a backoff up to
  // kMaxRetryInterval, for as long as it takes. Returns OK once the database
  // serves; Cancelled after Cancel(); otherwise the first error that waiting
  // will not mend (a SQLite file that cannot be opened, a failed
  // migration). `waiting` (may be empty) is called whenever it starts to
  // wait for something (the lock, a database that does not answer). Call
  // once, from one thread.
  absl::Status OpenAndMigrate(const std::function<void()>& waiting);
  // Makes a running or later OpenAndMigrate return Cancelled soon (within
  // kMigrationLockPoll, or a database call's deadline). For shutdown.
  void Cancel();

  SqlDialect dialect() const override { return dialect_; }
  using SqlDatabase::Migrate;
  // The opened database's Migrate; Unavailable before.
  absl::Status Migrate(const std::vector<Migration>& migrations, const std::function<bool()>& give_up) override;
  absl::StatusOr<Lease> Writer() override;
  Lease Reader() override;
  // The opened database's; before, a statement that fails on any
  // connection (a write never starts without its lock).
  std::string BeginWriteSql() const override;
  std::vector<NamedSql> BeginWriteStatements() const override;
  // The opened database's Ping; before, Unavailable naming what is awaited.
  absl::Status Ping() override;

  static constexpr std::chrono::milliseconds kMaxRetryInterval{5000};

 private:
  class NotReadyConnection;

  // The opened database, or null while it is not.
  SqlDatabase* Opened() const { return opened_.load(std::memory_order_acquire); }
  absl::Status NotReady() const;
  void SetAwaiting(std::string what);
  bool IsCancelled() const;

  const std::string url_;
  const std::vector<Migration> migrations_;
  StorageObserver* const observer_;
  const SqlDialect dialect_;
  const std::unique_ptr<SqlConnection> not_ready_;
  // Set once by OpenAndMigrate, before `opened_` points at it.
  std::unique_ptr<SqlDatabase> database_;
  std::atomic<SqlDatabase*> opened_{nullptr};
  mutable std::mutex mutex_;
  std::condition_variable cancel_cv_;
  bool cancelled_ = false;
  std::string awaiting_ = "the database to be opened";
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_DEFERRED_SQL_DATABASE_H_
