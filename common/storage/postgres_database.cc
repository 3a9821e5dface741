#include "common/storage/postgres_database.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace gzedu {
namespace {

std::string ErrorText(PGconn* connection, const PGresult* result) {
  const char* text = result != nullptr ? PQresultErrorMessage(result) : nullptr;
  if (text == nullptr || *text == '\0') text = connection != nullptr ? PQerrorMessage(connection) : "no connection";
  return std::string(absl::StripTrailingAsciiWhitespace(text));
}

// The SQL a write transaction starts with: the lock is keyed by database and
// schema, so two services sharing a database in different schemas do not
// wait for each other.
constexpr char kWriteLock[] =
    "SELECT pg_advisory_xact_lock(hashtext(current_database() || '/' || current_schema() || '/gzedu-write'))";
constexpr char kMigrationTryLock[] =
    "SELECT CASE WHEN pg_try_advisory_lock(hashtext(current_database() || '/' || current_schema() || "
    "'/gzedu-migrate')) THEN 1 ELSE 0 END";
constexpr char kMigrationUnlock[] =
    "SELECT pg_advisory_unlock(hashtext(current_database() || '/' || current_schema() || '/gzedu-migrate'))";

}  // namespace

absl::Status PostgresStatus(PGconn* connection, const PGresult* result, absl::string_view what) {
  const std::string message = absl::StrCat(what, ": ", ErrorText(connection, result));
  if (connection == nullptr || PQstatus(connection) != CONNECTION_OK || result == nullptr) {
    return absl::UnavailableError(message);
  }
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const absl::string_view sqlstate = state != nullptr ? state : "";
  if (sqlstate == "23505") return absl::AlreadyExistsError(message);
  // 53100 disk_full, 53200 out_of_memory: the server needs room, not a retry.
  if (sqlstate == "53100" || sqlstate == "53200") {
    if (sqlstate == "53100") NoteStorageFull();
    return absl::ResourceExhaustedError(message);
  }
  // 08: connection exceptions; 57P0x: shutdown, crash, cannot connect now;
  // 40001 serialization failure; 40P01 deadlock; 53300 too many connections.
  if (absl::StartsWith(sqlstate, "08") || absl::StartsWith(sqlstate, "57P") || sqlstate == "40001" ||
      sqlstate == "40P01" || sqlstate == "53300" || sqlstate.empty()) {
    return absl::UnavailableError(message);
  }
  return absl::InternalError(absl::StrCat(message, " (SQLSTATE ", sqlstate, ")"));
}

std::string PostgresPlaceholders(absl::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (c != '?' || quoted) {
      out.push_back(c);
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) ++j;
    if (j > i + 1) {
      absl::StrAppend(&out, "$", sql.substr(i + 1, j - i - 1));
      i = j - 1;
    } else {
      absl::StrAppend(&out, "$", ++next);
    }
  }
  return out;
}

PostgresStatement::PostgresStatement(PostgresConnection* connection, uint64_t session, const std::string* prepared_name,
                                     absl::string_view name, StorageObserver* observer)
    : connection_(connection),
      session_(session),
      prepared_name_(prepared_name),
      name_(name),
      observer_(observer),
      start_(std::chrono::steady_clock::now()) {}

PostgresStatement::~PostgresStatement() {
  if (result_ != nullptr) PQclear(result_);
  if (observer_ != nullptr) {
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
    observer_->ObserveOperation(name_, elapsed.count(), ok_);
  }
}

PostgresStatement::Parameter& PostgresStatement::Slot(int index) {
  if (static_cast<int>(parameters_.size()) < index) parameters_.resize(index);
  return parameters_[index - 1];
}

PostgresStatement& PostgresStatement::Bind(int index, int64_t value) {
  Slot(index) = {std::to_string(value), false, false};
  return *this;
}

PostgresStatement& PostgresStatement::Bind(int index, double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  Slot(index) = {text, false, false};
  return *this;
}

PostgresStatement& PostgresStatement::Bind(int index, absl::string_view text) {
  Slot(index) = {std::string(text), false, false};
  return *this;
}

PostgresStatement& PostgresStatement::BindNull(int index) {
  Slot(index) = {std::string(), true, false};
  return *this;
}

PostgresStatement& PostgresStatement::BindBlob(int index, absl::string_view bytes) {
  Slot(index) = {std::string(bytes), false, true};
  return *this;
}

void PostgresStatement::Deliver(PGresult* result, absl::Status error) {
  sent_ = true;
  result_ = result;
  if (result == nullptr) {
    ok_ = false;
    sent_error_ = std::move(error);
  }
}

absl::Status PostgresStatement::Execute() {
  if (sent_) return sent_error_;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Parameter& p : parameters_) {
    values.push_back(p.null ? nullptr : p.value.c_str());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  absl::StatusOr<PGresult*> result =
      connection_->ExecutePrepared(session_, *prepared_name_, values, lengths, formats, name_);
  if (!result.ok()) {
    ok_ = false;
    return result.status();
  }
  result_ = *result;
  return absl::OkStatus();
}

absl::StatusOr<bool> PostgresStatement::Step() {
  if (result_ == nullptr) RETURN_IF_ERROR(Execute());
  ++row_;
  return row_ < PQntuples(result_);
}

absl::Status PostgresStatement::Run() {
  if (result_ == nullptr) return Execute();
  return absl::OkStatus();
}

int64_t PostgresStatement::ColumnInt(int index) const {
  return std::strtoll(PQgetvalue(result_, row_, index), nullptr, 10);
}

double PostgresStatement::ColumnDouble(int index) const {
  return std::strtod(PQgetvalue(result_, row_, index), nullptr);
}

std::string PostgresStatement::ColumnText(int index) const {
  return std::string(PQgetvalue(result_, row_, index), PQgetlength(result_, row_, index));
}

std::string PostgresStatement::ColumnBlob(int index) const {
  size_t length = 0;
  unsigned char* bytes =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, index)), &length);
  if (bytes == nullptr) return std::string();
  std::string out(reinterpret_cast<const char*>(bytes), length);
  PQfreemem(bytes);
  return out;
}

bool PostgresStatement::ColumnIsNull(int index) const { return PQgetisnull(result_, row_, index) != 0; }

PostgresConnection::PostgresConnection(std::string url, StorageObserver* observer,
                                       std::chrono::milliseconds call_timeout)
    : url_(std::move(url)), observer_(observer), call_timeout_(call_timeout) {}

PostgresConnection::~PostgresConnection() { Drop(); }

void PostgresConnection::Drop() {
  if (connection_ != nullptr) PQfinish(connection_);
  connection_ = nullptr;
  statements_.clear();  // prepared statements die with their session
}

absl::Status PostgresConnection::EnsureConnected() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) return absl::OkStatus();
  Drop();
  // The URL's own settings come last, so they win over these defaults.
  // Keepalives (probes after 10 s idle, every 5 s, 3 lost = dead) and
  // tcp_user_timeout (unacknowledged data for 10 s = dead) notice a server
  // whose host vanished; the call deadline covers one that hangs.
  const char* keys[] = {"application_name", "keepalives",       "keepalives_idle", "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout", "dbname",          nullptr};
  const char* values[] = {"gzedu", "1", "10", "5", "3", "10000", url_.c_str(), nullptr};
  // Connects without blocking, within kConnectTimeout or the deadline set,
  // whichever comes first (libpq's own connect_timeout counts whole seconds,
  // at least 2, and applies only to a blocking connect).
  const CallDeadline deadline = Deadline(kConnectTimeout);
  connection_ = PQconnectStartParams(keys, values, 1);
  PostgresPollingStatusType polling = PGRES_POLLING_WRITING;
  while (connection_ != nullptr && PQstatus(connection_) != CONNECTION_BAD && polling != PGRES_POLLING_OK &&
         polling != PGRES_POLLING_FAILED) {
    if (!WaitFor(polling == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline)) {
      Drop();
      return absl::UnavailableError(absl::StrCat("PostgreSQL unreachable: no connection within ", deadline.text));
    }
    polling = PQconnectPoll(connection_);
  }
  if (connection_ == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    const std::string error = connection_ == nullptr ? "out of memory" : ErrorText(connection_, nullptr);
    Drop();
    return absl::UnavailableError(absl::StrCat("PostgreSQL unreachable: ", error));
  }
  if (PQsetnonblocking(connection_, 1) != 0) {
    const std::string error = ErrorText(connection_, nullptr);
    Drop();
    return absl::UnavailableError(absl::StrCat("PostgreSQL: cannot use a non-blocking connection: ", error));
  }
  // The server's notices ("relation ... already exists, skipping") as our
  // JSON log lines at debug, not raw text on stderr as libpq prints them.
  PQsetNoticeProcessor(
      connection_,
      [](void*, const char* message) {
        Log(LogLevel::kDebug, "postgresql notice",
            {{"notice", std::string(absl::StripTrailingAsciiWhitespace(message))}});
      },
      nullptr);
  ++session_;
  return absl::OkStatus();
}

PostgresConnection::CallDeadline PostgresConnection::Deadline(std::chrono::milliseconds timeout) const {
  const auto now = std::chrono::steady_clock::now();
  CallDeadline deadline{now + timeout, timeout.count() > 0, absl::StrCat(timeout.count(), " ms")};
  if (deadline_.has_value() && (!deadline.bounded || *deadline_ < deadline.at)) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline_ - now);
    deadline = {*deadline_, true,
                absl::StrCat(std::max<int64_t>(0, left.count()), " ms (what was left of the call's budget)")};
  }
  return deadline;
}

bool PostgresConnection::WaitFor(short events, const CallDeadline& deadline) {
  pollfd fd{PQsocket(connection_), events, 0};
  while (true) {
    int timeout_ms = -1;
    if (deadline.bounded) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      timeout_ms = static_cast<int>(left.count());
    }
    const int ready = ::poll(&fd, 1, timeout_ms);
    if (ready > 0) return true;
    if (ready == 0) return false;
    if (errno != EINTR) return true;  // let libpq find the error
  }
}

absl::Status PostgresConnection::Lost(absl::string_view what, absl::string_view why) {
  const std::string message = absl::StrCat(what, ": ", why);
  Drop();
  return absl::UnavailableError(message);
}

absl::Status PostgresConnection::FlushBy(const CallDeadline& deadline, absl::string_view what) {
  while (true) {
    const int flushed = PQflush(connection_);
    if (flushed == 0) return absl::OkStatus();
    if (flushed < 0) return Lost(what, ErrorText(connection_, nullptr));
    // Reading while writing: the server may answer before it has read
    // everything, and must not block on a full socket.
    if (!WaitFor(POLLIN | POLLOUT, deadline)) {
      return Lost(what, absl::StrCat("PostgreSQL did not take the query within ", deadline.text));
    }
    if (PQconsumeInput(connection_) == 0) return Lost(what, ErrorText(connection_, nullptr));
  }
}

absl::StatusOr<PGresult*> PostgresConnection::NextResultBy(const CallDeadline& deadline, absl::string_view what) {
  while (PQisBusy(connection_) != 0) {
    if (!WaitFor(POLLIN, deadline)) {
      return Lost(what, absl::StrCat("PostgreSQL did not answer within ", deadline.text));
    }
    if (PQconsumeInput(connection_) == 0) return Lost(what, ErrorText(connection_, nullptr));
  }
  return PQgetResult(connection_);
}

absl::StatusOr<PGresult*> PostgresConnection::Await(absl::string_view what) {
  const CallDeadline deadline = Deadline(call_timeout_);
  RETURN_IF_ERROR(FlushBy(deadline, what));
  // Collects every result; keeps the first failed one, else the last.
  PGresult* kept = nullptr;
  while (true) {
    absl::StatusOr<PGresult*> next = NextResultBy(deadline, what);
    if (!next.ok()) {
      if (kept != nullptr) PQclear(kept);
      return next.status();
    }
    PGresult* result = *next;
    if (result == nullptr) break;
    const bool kept_failed = kept != nullptr && PQresultStatus(kept) != PGRES_COMMAND_OK &&
                             PQresultStatus(kept) != PGRES_TUPLES_OK && PQresultStatus(kept) != PGRES_EMPTY_QUERY;
    if (kept_failed) {
      PQclear(result);
    } else {
      if (kept != nullptr) PQclear(kept);
      kept = result;
    }
  }
  if (kept == nullptr) return Lost(what, ErrorText(connection_, nullptr));
  return kept;
}

absl::Status PostgresConnection::Send(const std::vector<SqlStatement*>& statements) {
  std::vector<PostgresStatement*> sent;
  sent.reserve(statements.size());
  for (SqlStatement* statement : statements) {
    auto* own = dynamic_cast<PostgresStatement*>(statement);
    if (own == nullptr || own->connection_ != this || own->sent_ || own->result_ != nullptr) {
      std::fprintf(stderr, "PostgresConnection::Send: a statement not prepared here, or already run\n");
      std::abort();
    }
    sent.push_back(own);
  }
  if (sent.empty()) return absl::OkStatus();
  const auto fail_all = [&sent](const absl::Status& status) {
    for (PostgresStatement* statement : sent) {
      if (!statement->sent_) statement->Deliver(nullptr, status);
    }
    return status;
  };
  const std::string what = absl::StrCat("pipeline of ", sent.size(), " from ", sent.front()->name_);
  if (connection_ == nullptr) return fail_all(absl::UnavailableError(absl::StrCat(what, ": no connection")));
  for (PostgresStatement* statement : sent) {
    if (statement->session_ != session_) {
      return fail_all(absl::UnavailableError(absl::StrCat(what, ": the PostgreSQL connection was lost")));
    }
  }
  if (PQenterPipelineMode(connection_) == 0) return fail_all(Lost(what, ErrorText(connection_, nullptr)));
  for (PostgresStatement* statement : sent) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (const PostgresStatement::Parameter& p : statement->parameters_) {
      values.push_back(p.null ? nullptr : p.value.c_str());
      lengths.push_back(static_cast<int>(p.value.size()));
      formats.push_back(p.binary ? 1 : 0);
    }
    if (PQsendQueryPrepared(connection_, statement->prepared_name_->c_str(), static_cast<int>(values.size()),
                            values.data(), lengths.data(), formats.data(), 0) == 0) {
      return fail_all(Lost(what, ErrorText(connection_, nullptr)));
    }
  }
  if (PQpipelineSync(connection_) == 0) return fail_all(Lost(what, ErrorText(connection_, nullptr)));
  const CallDeadline deadline = Deadline(call_timeout_);
  if (absl::Status flushed = FlushBy(deadline, what); !flushed.ok()) return fail_all(flushed);
  // Each query's result, then a null that ends it; the Sync's result last.
  for (PostgresStatement* statement : sent) {
    absl::StatusOr<PGresult*> result = NextResultBy(deadline, what);
    if (!result.ok()) return fail_all(result.status());
    if (*result == nullptr) return fail_all(Lost(what, "PostgreSQL ended the pipeline early"));
    const ExecStatusType status = PQresultStatus(*result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      statement->Deliver(*result, absl::OkStatus());
    } else if (status == PGRES_PIPELINE_ABORTED) {
      PQclear(*result);
      statement->Deliver(nullptr, absl::AbortedError(absl::StrCat(statement->name_,
                                                                  ": not run, an earlier statement in its "
                                                                  "pipeline failed")));
    } else {
      statement->Deliver(nullptr, PostgresStatus(connection_, *result, statement->name_));
      PQclear(*result);
    }
    absl::StatusOr<PGresult*> end = NextResultBy(deadline, what);
    if (!end.ok()) return fail_all(end.status());
    if (*end != nullptr) {
      PQclear(*end);
      return fail_all(Lost(what, "PostgreSQL answered a statement with more than one result"));
    }
  }
  absl::StatusOr<PGresult*> sync = NextResultBy(deadline, what);
  if (!sync.ok()) return fail_all(sync.status());
  const bool synced = *sync != nullptr && PQresultStatus(*sync) == PGRES_PIPELINE_SYNC;
  if (*sync != nullptr) PQclear(*sync);
  if (!synced || PQexitPipelineMode(connection_) == 0) {
    return fail_all(Lost(what, "PostgreSQL did not end the pipeline"));
  }
  return absl::OkStatus();
}

absl::Status PostgresConnection::Exec(absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  if (PQsendQuery(connection_, std::string(sql).c_str()) == 0) {
    const std::string error = ErrorText(connection_, nullptr);
    Drop();
    return absl::UnavailableError(absl::StrCat("exec: ", error));
  }
  ASSIGN_OR_RETURN(PGresult * result, Await("exec"));
  const ExecStatusType status = PQresultStatus(result);
  absl::Status outcome = absl::OkStatus();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    outcome = PostgresStatus(connection_, result, "exec");
  }
  PQclear(result);
  return outcome;
}

absl::StatusOr<PGresult*> PostgresConnection::ExecutePrepared(uint64_t session, const std::string& prepared_name,
                                                              const std::vector<const char*>& values,
                                                              const std::vector<int>& lengths,
                                                              const std::vector<int>& formats, absl::string_view what) {
  if (connection_ == nullptr || session != session_) {
    return absl::UnavailableError(absl::StrCat(what, ": the PostgreSQL connection was lost"));
  }
  if (PQsendQueryPrepared(connection_, prepared_name.c_str(), static_cast<int>(values.size()), values.data(),
                          lengths.data(), formats.data(), 0) == 0) {
    const std::string error = ErrorText(connection_, nullptr);
    Drop();
    return absl::UnavailableError(absl::StrCat(what, ": ", error));
  }
  ASSIGN_OR_RETURN(PGresult * result, Await(what));
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return result;
  absl::Status error = PostgresStatus(connection_, result, what);
  PQclear(result);
  return error;
}

absl::StatusOr<std::unique_ptr<SqlStatement>> PostgresConnection::Prepare(absl::string_view name,
                                                                          absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  auto it = statements_.find(name);
  if (it == statements_.end()) {
    const std::string prepared_name(name);
    if (PQsendPrepare(connection_, prepared_name.c_str(), PostgresPlaceholders(sql).c_str(), 0, nullptr) == 0) {
      const std::string error = ErrorText(connection_, nullptr);
      Drop();
      return absl::UnavailableError(absl::StrCat("prepare ", name, ": ", error));
    }
    ASSIGN_OR_RETURN(PGresult * result, Await(absl::StrCat("prepare ", name)));
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    absl::Status status = ok ? absl::OkStatus() : PostgresStatus(connection_, result, absl::StrCat("prepare ", name));
    PQclear(result);
    RETURN_IF_ERROR(status);
    it = statements_.emplace(name, prepared_name).first;
  }
  return std::make_unique<PostgresStatement>(this, session_, &it->second, name, observer_);
}

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url,
                                                                         StorageObserver* observer) {
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase());
  database->queued_too_long_ = std::make_unique<QueuedTooLongConnection>();
  database->writer_ = std::make_unique<PostgresConnection>(url, observer);
  RETURN_IF_ERROR(database->writer_->EnsureConnected());
  // Readers connect on first use (and again after a lost connection).
  for (auto& reader : database->readers_) reader = std::make_unique<PostgresConnection>(url, observer);
  database->health_ = std::make_unique<PostgresConnection>(url, nullptr, kHealthTimeout);
  return database;
}

// The lease of a read that waited its whole budget for a reader connection:
// every call is refused with the reason.
class PostgresDatabase::QueuedTooLongConnection : public SqlConnection {
 public:
  absl::Status Exec(absl::string_view) override { return Refusal(); }
  absl::StatusOr<std::unique_ptr<SqlStatement>> Prepare(absl::string_view, absl::string_view) override {
    return Refusal();
  }

 private:
  static absl::Status Refusal() {
    return absl::UnavailableError(absl::StrCat("the reads ahead held every PostgreSQL reader connection for the whole ",
                                               kQueuedReadBudget.count(),
                                               " ms this read may wait (PostgreSQL slow or not answering)"));
  }
};

PostgresDatabase::PostgresDatabase() = default;
PostgresDatabase::~PostgresDatabase() = default;

SqlDatabase::Lease PostgresDatabase::Reader() {
  const auto start = std::chrono::steady_clock::now();
  const unsigned first = next_reader_.fetch_add(1, std::memory_order_relaxed) % kReaders;
  for (unsigned i = 0; i < kReaders; ++i) {
    const unsigned slot = (first + i) % kReaders;
    std::unique_lock<std::timed_mutex> lock(reader_mutexes_[slot], std::try_to_lock);
    if (lock.owns_lock()) {
      readers_[slot]->SetDeadline(std::nullopt);
      return Lease(std::move(lock), readers_[slot].get());
    }
  }
  const auto deadline = start + kQueuedReadBudget;
  std::unique_lock<std::timed_mutex> lock(reader_mutexes_[first], deadline);
  if (!lock.owns_lock()) return Lease(std::unique_lock<std::timed_mutex>(), queued_too_long_.get());
  readers_[first]->SetDeadline(deadline);
  return Lease(std::move(lock), readers_[first].get());
}

absl::StatusOr<SqlDatabase::Lease> PostgresDatabase::Writer() {
  return LeaseWriterBy(writer_mutex_, writer_.get(), std::chrono::steady_clock::now() + kWriteBudget, kWriteBudget);
}

std::string PostgresDatabase::BeginWriteSql() const { return absl::StrCat("BEGIN; ", kWriteLock); }

std::vector<NamedSql> PostgresDatabase::BeginWriteStatements() const {
  return {{"begin_write", "BEGIN"}, {"write_lock", kWriteLock}};
}

absl::Status PostgresDatabase::Ping() {
  // Only one check at a time; a second caller is told what the first finds
  // out soon enough, rather than queue.
  RETURN_IF_ERROR(RecentStorageFull());
  std::unique_lock<std::mutex> lock(health_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return absl::UnavailableError("PostgreSQL: a health check is still waiting for an answer");
  ASSIGN_OR_RETURN(auto stmt, health_->Prepare("health", "SELECT 1"));
  return stmt->Step().status();
}

absl::Status PostgresDatabase::Migrate(const std::vector<Migration>& migrations, const std::function<bool()>& give_up) {
  // Not within a write's budget: waiting for another process's migration
  // and migrating may take long (each call still has its own timeout).
  Lease writer(writer_mutex_, writer_.get());
  writer->SetDeadline(std::nullopt);
  // A session lock: replicas (and the migration job) starting together
  // migrate one after the other, the later ones finding nothing to do. It is
  // polled, each try within the call deadline, rather than waited for in one
  // call: a server waiting while it listens can give up on SIGTERM, and a
  // PostgreSQL that stops answering meanwhile is noticed.
  bool logged = false;
  for (;;) {
    ASSIGN_OR_RETURN(auto attempt, writer->Prepare("migration_try_lock", kMigrationTryLock));
    ASSIGN_OR_RETURN(const bool row, attempt->Step());
    if (row && attempt->ColumnInt(0) == 1) break;
    if (!logged) {
      Log(LogLevel::kInfo, "waiting for the migration lock: another process is migrating this database");
      logged = true;
    }
    if (give_up && give_up()) return absl::CancelledError("gave up waiting for the migration lock");
    std::this_thread::sleep_for(kMigrationLockPoll);
  }
  // Schema changes on large tables may take long: no call deadline while
  // migrating (keepalives still notice a vanished server).
  const std::chrono::milliseconds call_timeout = writer_->call_timeout();
  writer_->set_call_timeout(std::chrono::milliseconds(0));
  absl::Status status = ApplyMigrations(*writer, SqlDialect::kPostgres, migrations);
  writer_->set_call_timeout(call_timeout);
  (void)writer->Exec(kMigrationUnlock);
  return status;
}

}  // namespace gzedu
