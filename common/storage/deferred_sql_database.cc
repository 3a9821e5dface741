#include "common/storage/deferred_sql_database.h"

#include <algorithm>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/status/server_state.h"

namespace gzedu {

// What a connection is before the database is open: every call fails with
// the reason.
class DeferredSqlDatabase::NotReadyConnection : public SqlConnection {
 public:
  explicit NotReadyConnection(const DeferredSqlDatabase* database) : database_(database) {}
  absl::Status Exec(absl::string_view) override { return database_->NotReady(); }
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view, absl::string_view) override {
    return database_->NotReady();
  }

 private:
  const DeferredSqlDatabase* database_;
};

DeferredSqlDatabase::DeferredSqlDatabase(std::string url, std::vector<Migration> migrations, StorageObserver* observer)
    : url_(std::move(url)),
      migrations_(std::move(migrations)),
      observer_(observer),
      dialect_(absl::StartsWith(url_, "postgres") ? SqlDialect::kPostgres : SqlDialect::kSqlite),
      not_ready_(std::make_unique<NotReadyConnection>(this)) {}

DeferredSqlDatabase::~DeferredSqlDatabase() = default;

absl::Status DeferredSqlDatabase::OpenAndMigrate(const std::function<void()>& waiting) {
  std::chrono::milliseconds retry_interval{250};
  for (;;) {
    if (IsCancelled()) return absl::CancelledError("stopped before the database was open");
    SetAwaiting("the database to be opened");
    absl::StatusOr<std::unique_ptr<SqlDatabase>> database = OpenSqlDatabase(url_, observer_);
    absl::Status status = database.status();
    if (status.ok()) {
      SetAwaiting("the schema migrations");
      bool told = false;
      status = (*database)->Migrate(migrations_, [this, &waiting, &told] {
        if (!told) {
          SetAwaiting("the migration lock, held by another process while it migrates");
          if (waiting) waiting();
          told = true;
        }
        return IsCancelled();
      });
      if (status.ok()) {
        database_ = std::move(*database);
        opened_.store(database_.get(), std::memory_order_release);
        return absl::OkStatus();
      }
    }
    if (IsCancelled()) return absl::CancelledError("stopped before the database was open");
    // Only a PostgreSQL that does not answer yet is worth waiting for; a
    // SQLite file that cannot be opened, or a migration that failed, stays so.
    if (dialect_ != SqlDialect::kPostgres || !absl::IsUnavailable(status)) return status;
    Log(LogLevel::kWarning, "database not reachable yet; trying again",
        {{"database", RedactDatabaseUrl(url_)},
         {"error", std::string(status.message())},
         {"retry_in_ms", retry_interval.count()}});
    SetAwaiting(absl::StrCat("the database to answer (", status.message(), ")"));
    if (waiting) waiting();
    std::unique_lock<std::mutex> lock(mutex_);
    if (cancel_cv_.wait_for(lock, retry_interval, [this] { return cancelled_; })) {
      return absl::CancelledError("stopped before the database was open");
    }
    retry_interval = std::min(retry_interval * 2, kMaxRetryInterval);
  }
}

void DeferredSqlDatabase::Cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  cancel_cv_.notify_all();
}

bool DeferredSqlDatabase::IsCancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

void DeferredSqlDatabase::SetAwaiting(std::string what) {
  std::lock_guard<std::mutex> lock(mutex_);
  awaiting_ = std::move(what);
}

absl::Status DeferredSqlDatabase::NotReady() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return MarkServerState(absl::UnavailableError(absl::StrCat("the service is starting: waiting for ", awaiting_)));
}

absl::Status DeferredSqlDatabase::Migrate(const std::vector<Migration>& migrations,
                                          const std::function<bool()>& give_up) {
  SqlDatabase* opened = Opened();
  if (opened == nullptr) return NotReady();
  return opened->Migrate(migrations, give_up);
}

absl::StatusOr<SqlDatabase::Lease> DeferredSqlDatabase::Writer() {
  SqlDatabase* opened = Opened();
  if (opened != nullptr) return opened->Writer();
  return Lease(std::unique_lock<std::timed_mutex>(), not_ready_.get());
}

SqlDatabase::Lease DeferredSqlDatabase::Reader() {
  SqlDatabase* opened = Opened();
  if (opened != nullptr) return opened->Reader();
  return Lease(std::unique_lock<std::timed_mutex>(), not_ready_.get());
}

std::string DeferredSqlDatabase::BeginWriteSql() const {
  SqlDatabase* opened = Opened();
  if (opened != nullptr) return opened->BeginWriteSql();
  // Callers take the writer's lease first, so before the database is open
  // this goes to a connection that refuses it anyway; should one ask in the
  // other order, the statement still fails rather than write unlocked.
  return "SELECT 'the database is not open yet' FROM gzedu_database_not_open_yet";
}

std::vector<NamedSql> DeferredSqlDatabase::BeginWriteStatements() const {
  SqlDatabase* opened = Opened();
  if (opened != nullptr) return opened->BeginWriteStatements();
  // As BeginWriteSql: a statement that fails rather than write unlocked.
  return {{"database_not_open", "SELECT 'the database is not open yet' FROM gzedu_database_not_open_yet"}};
}

absl::Status DeferredSqlDatabase::Ping() {
  SqlDatabase* opened = Opened();
  if (opened == nullptr) return NotReady();
  return opened->Ping();
}

}  // namespace gzedu
