#include "common/storage/postgres_database.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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
constexpr char kBeginWrite[] =
    "BEGIN; SELECT pg_advisory_xact_lock(hashtext(current_database() || '/' || current_schema() || "
    "'/gzedu-write'))";
constexpr char kMigrationLock[] =
    "SELECT pg_advisory_lock(hashtext(current_database() || '/' || current_schema() || '/gzedu-migrate'))";
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

PostgresStatement::PostgresStatement(PGconn* connection, const std::string* prepared_name, absl::string_view name,
                                     StorageObserver* observer)
    : connection_(connection),
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

absl::Status PostgresStatement::Execute() {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (const Parameter& p : parameters_) {
    values.push_back(p.null ? nullptr : p.value.c_str());
    lengths.push_back(static_cast<int>(p.value.size()));
    formats.push_back(p.binary ? 1 : 0);
  }
  result_ = PQexecPrepared(connection_, prepared_name_->c_str(), static_cast<int>(values.size()), values.data(),
                           lengths.data(), formats.data(), 0);
  const ExecStatusType status = result_ != nullptr ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
  if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return absl::OkStatus();
  ok_ = false;
  absl::Status error = PostgresStatus(connection_, result_, name_);
  PQclear(result_);
  result_ = nullptr;
  return error;
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

PostgresConnection::PostgresConnection(std::string url, StorageObserver* observer)
    : url_(std::move(url)), observer_(observer) {}

PostgresConnection::~PostgresConnection() {
  if (connection_ != nullptr) PQfinish(connection_);
}

absl::Status PostgresConnection::EnsureConnected() {
  if (connection_ != nullptr && PQstatus(connection_) == CONNECTION_OK) return absl::OkStatus();
  if (connection_ != nullptr) PQfinish(connection_);
  statements_.clear();  // prepared statements die with their session
  // The URL's own settings come last, so they win over these defaults.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"3", "gzedu", url_.c_str(), nullptr};
  connection_ = PQconnectdbParams(keys, values, 1);
  if (PQstatus(connection_) == CONNECTION_OK) return absl::OkStatus();
  const std::string error = ErrorText(connection_, nullptr);
  PQfinish(connection_);
  connection_ = nullptr;
  return absl::UnavailableError(absl::StrCat("PostgreSQL unreachable: ", error));
}

absl::Status PostgresConnection::Exec(absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  PGresult* result = PQexec(connection_, std::string(sql).c_str());
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  absl::Status outcome = absl::OkStatus();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    outcome = PostgresStatus(connection_, result, "exec");
  }
  PQclear(result);
  return outcome;
}

absl::StatusOr<std::unique_ptr<SqlStatement>> PostgresConnection::Prepare(absl::string_view name,
                                                                          absl::string_view sql) {
  RETURN_IF_ERROR(EnsureConnected());
  auto it = statements_.find(name);
  if (it == statements_.end()) {
    const std::string prepared_name(name);
    PGresult* result = PQprepare(connection_, prepared_name.c_str(), PostgresPlaceholders(sql).c_str(), 0, nullptr);
    const bool ok = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
    absl::Status status = ok ? absl::OkStatus() : PostgresStatus(connection_, result, absl::StrCat("prepare ", name));
    PQclear(result);
    RETURN_IF_ERROR(status);
    it = statements_.emplace(name, prepared_name).first;
  }
  return std::make_unique<PostgresStatement>(connection_, &it->second, name, observer_);
}

absl::StatusOr<std::unique_ptr<PostgresDatabase>> PostgresDatabase::Open(const std::string& url,
                                                                         StorageObserver* observer) {
  std::unique_ptr<PostgresDatabase> database(new PostgresDatabase());
  database->writer_ = std::make_unique<PostgresConnection>(url, observer);
  RETURN_IF_ERROR(database->writer_->EnsureConnected());
  // Readers connect on first use (and again after a lost connection).
  for (auto& reader : database->readers_) reader = std::make_unique<PostgresConnection>(url, observer);
  return database;
}

SqlDatabase::Lease PostgresDatabase::Reader() {
  const unsigned first = next_reader_.fetch_add(1, std::memory_order_relaxed) % kReaders;
  for (unsigned i = 0; i < kReaders; ++i) {
    const unsigned slot = (first + i) % kReaders;
    std::unique_lock<std::mutex> lock(reader_mutexes_[slot], std::try_to_lock);
    if (lock.owns_lock()) return Lease(std::move(lock), readers_[slot].get());
  }
  return Lease(reader_mutexes_[first], readers_[first].get());
}

std::string PostgresDatabase::BeginWriteSql() const { return kBeginWrite; }

absl::Status PostgresDatabase::Migrate(const std::vector<Migration>& migrations) {
  Lease writer = Writer();
  // A session lock: replicas (and the migration job) starting together
  // migrate one after the other, the later ones finding nothing to do.
  RETURN_IF_ERROR(writer->Exec(kMigrationLock));
  absl::Status status = ApplyMigrations(*writer, SqlDialect::kPostgres, migrations);
  (void)writer->Exec(kMigrationUnlock);
  return status;
}

}  // namespace gzedu
