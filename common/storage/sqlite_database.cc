#include "common/storage/sqlite_database.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gzedu {
namespace {

// Why `path` could not be opened, in words an operator can act on: SQLite
// only says "unable to open database file". A missing or unwritable
// directory is FailedPrecondition (waiting will not help); anything else
// stays Unavailable.
absl::Status CannotOpen(const std::string& path, const char* sqlite_message) {
  const std::string prefix = absl::StrCat("cannot open SQLite database ", path, ": ");
  std::error_code error;
  const std::filesystem::path file = std::filesystem::absolute(path, error);
  const std::filesystem::path directory = file.parent_path();
  const std::filesystem::file_status directory_status = std::filesystem::status(directory, error);
  if (!std::filesystem::exists(directory_status)) {
    return absl::FailedPreconditionError(absl::StrCat(prefix, "its directory ", directory.string(),
                                                      " does not exist; create it (mkdir -p ", directory.string(),
                                                      ") or give a path in an existing directory"));
  }
  if (!std::filesystem::is_directory(directory_status)) {
    return absl::FailedPreconditionError(
        absl::StrCat(prefix, directory.string(), " is not a directory; give a path in a directory"));
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0 && !std::filesystem::exists(file, error)) {
    return absl::FailedPreconditionError(absl::StrCat(prefix, "the directory ", directory.string(),
                                                      " is not writable by this user; check its permissions"));
  }
  return absl::UnavailableError(absl::StrCat(prefix, sqlite_message,
                                             "; check that the file and its directory are readable and writable "
                                             "by this user"));
}

bool IsNoRoomErrno(int error) { return error == ENOSPC || error == EDQUOT || error == EFBIG; }

// Whether a failed write, sync or truncation failed for want of room. SQLite
// says SQLITE_FULL only for ENOSPC on a short write; a disk quota (EDQUOT),
// a file size limit (EFBIG) or ENOSPC from another call arrive as I/O
// errors. The errno is the failing file's own (the database file's or its
// journal's, the write-ahead log), as the unix VFS keeps it: SQLite's
// sqlite3_system_errno() reads the global errno later, when it has moved on.
bool WantsRoom(sqlite3* db, int result_code) {
  if (db == nullptr) return false;
  if (result_code != SQLITE_IOERR_WRITE && result_code != SQLITE_IOERR_FSYNC && result_code != SQLITE_IOERR_TRUNCATE) {
    return false;
  }
  if (IsNoRoomErrno(sqlite3_system_errno(db))) return true;
  int main_errno = 0;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &main_errno) == SQLITE_OK &&
      IsNoRoomErrno(main_errno)) {
    return true;
  }
  sqlite3_file* journal = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) != SQLITE_OK || journal == nullptr ||
      journal->pMethods == nullptr) {
    return false;
  }
  int journal_errno = 0;
  return journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &journal_errno) == SQLITE_OK &&
         IsNoRoomErrno(journal_errno);
}

}  // namespace

absl::Status SqliteStatus(sqlite3* db, int result_code, absl::string_view what) {
  const std::string message =
      absl::StrCat(what, ": ", db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code));
  switch (result_code & 0xFF) {
    case SQLITE_IOERR:
      if (WantsRoom(db, result_code)) {
        NoteStorageFull();
        return absl::ResourceExhaustedError(absl::StrCat(message, " (no room left for the database's files)"));
      }
      return absl::UnavailableError(message);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return absl::UnavailableError(message);
    case SQLITE_FULL:
      // Not retryable the way a busy database is: the disk needs room.
      NoteStorageFull();
      return absl::ResourceExhaustedError(message);
    case SQLITE_CONSTRAINT:
      if (result_code == SQLITE_CONSTRAINT_PRIMARYKEY || result_code == SQLITE_CONSTRAINT_UNIQUE) {
        return absl::AlreadyExistsError(message);
      }
      return absl::InternalError(message);
    default:
      return absl::InternalError(message);
  }
}

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, absl::string_view name, StorageObserver* observer)
    : db_(db), stmt_(stmt), name_(name), observer_(observer), start_(std::chrono::steady_clock::now()) {}

SqliteStatement::~SqliteStatement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  if (observer_ != nullptr) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    observer_->ObserveOperation(name_, elapsed.count(), ok_);
  }
}

SqliteStatement& SqliteStatement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

SqliteStatement& SqliteStatement::Bind(int index, absl::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, absl::string_view bytes) {
  sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

absl::StatusOr<bool> SqliteStatement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  ok_ = false;
  return SqliteStatus(db_, sqlite3_extended_errcode(db_), name_);
}

absl::Status SqliteStatement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return absl::OkStatus();
  }
}

int64_t SqliteStatement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

double SqliteStatement::ColumnDouble(int index) const { return sqlite3_column_double(stmt_, index); }

std::string SqliteStatement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  return text == nullptr ? std::string() : std::string(text, sqlite3_column_bytes(stmt_, index));
}

std::string SqliteStatement::ColumnBlob(int index) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  return bytes == nullptr ? std::string() : std::string(bytes, sqlite3_column_bytes(stmt_, index));
}

bool SqliteStatement::ColumnIsNull(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

SqliteConnection::~SqliteConnection() {
  for (auto& [name, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteConnection::Exec(absl::string_view sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
  sqlite3_free(error);
  if (rc != SQLITE_OK) return SqliteStatus(db_, sqlite3_extended_errcode(db_), "exec");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SqlStatement>> SqliteConnection::Prepare(absl::string_view name, absl::string_view sql) {
  auto it = statements_.find(name);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db_, rc, absl::StrCat("prepare ", name));
    it = statements_.emplace(name, stmt).first;
  }
  return std::make_unique<SqliteStatement>(db_, it->second, name, observer_);
}

SqliteDatabase::ProcessLock::~ProcessLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

absl::Status SqliteDatabase::ProcessLock::Acquire(const std::string& database_path) {
  // Named after the file itself, symbolic links (of the file or of its
  // directories) resolved: two names of one database share its lock.
  std::error_code error_code;
  std::filesystem::path resolved = std::filesystem::weakly_canonical(database_path, error_code);
  if (error_code) resolved = database_path;
  const std::string lock_path = resolved.string() + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    // The directory's problems are told as for the database itself.
    return CannotOpen(database_path, absl::StrCat("cannot open its lock file ", lock_path).c_str());
  }
  // flock, not fcntl: SQLite's own locks are fcntl locks on the database,
  // and an flock on another file cannot disturb them; flock also refuses a
  // second open in the same process, and ends with the process (kill -9
  // included).
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    char holder[32] = {};
    const ssize_t length = ::pread(fd, holder, sizeof holder - 1, 0);
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return absl::UnavailableError(absl::StrCat("cannot lock ", lock_path, ": ", std::strerror(error)));
    }
    std::string pid(holder, length > 0 ? static_cast<size_t>(length) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return absl::FailedPreconditionError(
        absl::StrCat("SQLite database ", database_path, " is in use by another process (pid ",
                     pid.empty() ? "unknown" : pid, ", holding ", lock_path,
                     "): one process serves a SQLite database, as it keeps what it serves in memory; stop that process "
                     "first, or use PostgreSQL (--database=postgresql://...) for several replicas"));
  }
  const std::string pid = absl::StrCat(::getpid(), "\n");
  // Best effort: the pid only names the holder in another process's error.
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock is held all the same.
  }
  fd_ = fd;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                                     StorageObserver* observer) {
  std::unique_ptr<SqliteDatabase> database(new SqliteDatabase());
  if (path != ":memory:") RETURN_IF_ERROR(database->process_lock_.Acquire(path));
  for (std::unique_ptr<SqliteConnection>* slot : {&database->writer_, &database->reader_}) {
    sqlite3* db = nullptr;
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      absl::Status status = CannotOpen(path, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
      sqlite3_close(db);
      return status;
    }
    slot->reset(new SqliteConnection(db, observer));
    sqlite3_extended_result_codes(db, 1);
    // WAL lets the reader run beside the writer; synchronous=FULL syncs the
    // WAL at every commit, so an acknowledged write survives power loss too.
    RETURN_IF_ERROR(
        (*slot)->Exec(absl::StrCat("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; ",
                                   "PRAGMA busy_timeout=", kWriteBudget.count(), ";")));
  }
  return database;
}

absl::StatusOr<SqlDatabase::Lease> SqliteDatabase::Writer() {
  return LeaseWriterBy(writer_mutex_, writer_.get(), std::chrono::steady_clock::now() + kWriteBudget, kWriteBudget);
}

absl::Status SqliteDatabase::Migrate(const std::vector<Migration>& migrations, const std::function<bool()>&) {
  // One process at a time already: BEGIN IMMEDIATE waits for the file's write lock.
  Lease writer(writer_mutex_, writer_.get());
  return ApplyMigrations(*writer, SqlDialect::kSqlite, migrations);
}

absl::StatusOr<std::string> SqlitePathFromUrl(absl::string_view url) {
  if (absl::StartsWith(url, "sqlite://")) {
    absl::string_view path = url.substr(9);
    if (!path.empty() && path[0] == '/') return std::string(path);
  } else if (absl::StartsWith(url, "sqlite:")) {
    absl::string_view path = url.substr(7);
    if (!path.empty()) return std::string(path);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("database '", url, "' is not of the form sqlite:///absolute/path.db or sqlite:relative/path.db"));
}

}  // namespace gzedu
