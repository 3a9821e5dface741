#include "common/storage/sql_database.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status/macros.h"
#include "common/storage/postgres_database.h"
#include "common/storage/sqlite_database.h"

namespace gzedu {
namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Replaces whole words `from` with `to`.
std::string ReplaceWord(absl::string_view text, absl::string_view from, absl::string_view to) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t at = text.find(from, i);
    if (at == absl::string_view::npos) break;
    const bool starts = at == 0 || !IsWordChar(text[at - 1]);
    const bool ends = at + from.size() == text.size() || !IsWordChar(text[at + from.size()]);
    absl::StrAppend(&out, text.substr(i, at - i), starts && ends ? to : from);
    i = at + from.size();
  }
  absl::StrAppend(&out, text.substr(i));
  return out;
}

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://");
}

}  // namespace

std::string TranslateSchemaSql(SqlDialect dialect, absl::string_view sql) {
  if (dialect == SqlDialect::kSqlite) return std::string(sql);
  std::string out = ReplaceWord(sql, "STRICT", "");
  out = ReplaceWord(out, "INTEGER", "BIGINT");
  out = ReplaceWord(out, "REAL", "DOUBLE PRECISION");
  return ReplaceWord(out, "BLOB", "BYTEA");
}

std::string UpsertSql(absl::string_view table, absl::string_view columns, absl::string_view keys) {
  std::vector<std::string> names;
  for (absl::string_view c : absl::StrSplit(columns, ',')) names.emplace_back(absl::StripAsciiWhitespace(c));
  std::vector<std::string> key_names;
  for (absl::string_view k : absl::StrSplit(keys, ',')) key_names.emplace_back(absl::StripAsciiWhitespace(k));
  std::vector<std::string> placeholders(names.size(), "?");
  std::vector<std::string> updates;
  for (const std::string& name : names) {
    if (std::find(key_names.begin(), key_names.end(), name) == key_names.end()) {
      updates.push_back(absl::StrCat(name, " = excluded.", name));
    }
  }
  return absl::StrCat("INSERT INTO ", table, " (", absl::StrJoin(names, ", "), ") VALUES (",
                      absl::StrJoin(placeholders, ", "), ") ON CONFLICT (", absl::StrJoin(key_names, ", "),
                      ") DO UPDATE SET ", absl::StrJoin(updates, ", "));
}

std::string BeginBatchWriteSql(const SqlDatabase& database) {
  if (database.dialect() != SqlDialect::kPostgres) return database.BeginWriteSql();
  return absl::StrCat(database.BeginWriteSql(), "; SET LOCAL plan_cache_mode = force_custom_plan");
}

std::string UnnestUpsertSql(absl::string_view table, absl::string_view columns, absl::string_view types,
                            absl::string_view keys) {
  std::vector<std::string> casts;
  for (absl::string_view type : absl::StrSplit(types, ',')) {
    casts.push_back(absl::StrCat("CAST(? AS ", absl::StripAsciiWhitespace(type), "[])"));
  }
  std::string sql = UpsertSql(table, columns, keys);
  const size_t values = sql.find(" VALUES (");
  const size_t on_conflict = sql.find(") ON CONFLICT", values);
  return absl::StrCat(sql.substr(0, values), " SELECT * FROM UNNEST(", absl::StrJoin(casts, ", "), ")",
                      sql.substr(on_conflict + 1));
}

absl::Status ApplyMigrations(SqlConnection& writer, SqlDialect dialect, const std::vector<Migration>& migrations) {
  RETURN_IF_ERROR(writer.Exec(TranslateSchemaSql(
      dialect,
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL) "
      "STRICT")));
  int64_t applied = 0;
  {
    ASSIGN_OR_RETURN(auto stmt, writer.Prepare("migrations_max",
                                               "SELECT COALESCE(MAX(version), 0) FROM "
                                               "schema_migrations"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (row) applied = stmt->ColumnInt(0);
  }
  for (const Migration& migration : migrations) {
    if (migration.version <= applied) continue;
    RETURN_IF_ERROR(writer.Exec("BEGIN"));
    absl::Status status = writer.Exec(TranslateSchemaSql(dialect, migration.sql));
    if (status.ok()) {
      auto stmt =
          writer.Prepare("migrations_insert", "INSERT INTO schema_migrations (version, description) VALUES (?, ?)");
      status = stmt.status();
      if (status.ok()) status = (*stmt)->Bind(1, int64_t{migration.version}).Bind(2, migration.description).Run();
    }
    if (status.ok()) status = writer.Exec("COMMIT");
    if (!status.ok()) {
      (void)writer.Exec("ROLLBACK");
      return absl::Status(status.code(), absl::StrCat("migration ", migration.version, " (", migration.description,
                                                      ") failed: ", status.message()));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDatabaseUrl(absl::string_view url) {
  if (IsPostgresUrl(url)) return absl::OkStatus();
  return SqlitePathFromUrl(url).status();
}

std::string RedactDatabaseUrl(absl::string_view url) {
  if (!IsPostgresUrl(url)) return std::string(url);
  const size_t scheme_end = url.find("://") + 3;
  const size_t at = url.find('@', scheme_end);
  if (at == absl::string_view::npos) return std::string(url);
  const size_t colon = url.find(':', scheme_end);
  if (colon == absl::string_view::npos || colon > at) return std::string(url);
  return absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
}

SqlArray& SqlArray::Add(int64_t value) {
  if (size_++ > 0) elements_.push_back(',');
  absl::StrAppend(&elements_, value);
  return *this;
}

SqlArray& SqlArray::Add(absl::string_view text) {
  if (size_++ > 0) elements_.push_back(',');
  elements_.push_back('"');
  // Runs of plain characters are copied whole; PostgreSQL's array literal
  // escapes only quote and backslash inside quotes; JSON (SQLite's arrays)
  // also needs control characters escaped.
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool control = dialect_ == SqlDialect::kSqlite && static_cast<unsigned char>(c) < 0x20;
    if (c != '"' && c != '\\' && !control) continue;
    elements_.append(text.data() + plain, i - plain);
    plain = i + 1;
    if (control) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      elements_.append(escaped);
    } else {
      elements_.push_back('\\');
      elements_.push_back(c);
    }
  }
  elements_.append(text.data() + plain, text.size() - plain);
  elements_.push_back('"');
  return *this;
}

SqlArray& SqlArray::AddNull() {
  if (size_++ > 0) elements_.push_back(',');
  elements_.append(dialect_ == SqlDialect::kPostgres ? "NULL" : "null");
  return *this;
}

std::string SqlArray::Finish() const {
  return dialect_ == SqlDialect::kPostgres ? absl::StrCat("{", elements_, "}") : absl::StrCat("[", elements_, "]");
}

std::string SqlAnyOf(SqlDialect dialect, absl::string_view column) {
  if (dialect == SqlDialect::kPostgres) return absl::StrCat(column, " = ANY(CAST(? AS text[]))");
  return absl::StrCat(column, " IN (SELECT value FROM json_each(?))");
}

absl::StatusOr<std::unique_ptr<SqlDatabase>> OpenSqlDatabase(absl::string_view url, StorageObserver* observer) {
  if (IsPostgresUrl(url)) {
    ASSIGN_OR_RETURN(std::unique_ptr<PostgresDatabase> database, PostgresDatabase::Open(std::string(url), observer));
    return std::unique_ptr<SqlDatabase>(std::move(database));
  }
  absl::StatusOr<std::string> path = SqlitePathFromUrl(url);
  if (!path.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "database '", url, "' is not sqlite:///absolute/path.db, sqlite:relative/path.db or postgresql://..."));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<SqliteDatabase> database, SqliteDatabase::Open(*path, observer));
  return std::unique_ptr<SqlDatabase>(std::move(database));
}

namespace {

std::atomic<int64_t> last_storage_full_ms{0};

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void NoteStorageFull() { last_storage_full_ms = std::max<int64_t>(1, SteadyNowMs()); }

absl::Status RecentStorageFull() {
  const int64_t last = last_storage_full_ms.load();
  if (last == 0 || SteadyNowMs() - last >= std::chrono::milliseconds(kStorageFullReportedFor).count()) {
    return absl::OkStatus();
  }
  return absl::ResourceExhaustedError("the database's disk is full (a write failed for want of room)");
}

absl::StatusOr<SqlDatabase::Lease> LeaseWriterBy(std::timed_mutex& mutex, SqlConnection* connection,
                                                 std::chrono::steady_clock::time_point deadline,
                                                 std::chrono::milliseconds budget) {
  std::unique_lock<std::timed_mutex> lock(mutex, deadline);
  if (!lock.owns_lock()) {
    return absl::UnavailableError(absl::StrCat("the writes ahead held the database's writer connection for the whole ",
                                               budget.count(),
                                               " ms this write may take (database slow or not answering)"));
  }
  connection->SetDeadline(deadline);
  return SqlDatabase::Lease(std::move(lock), connection);
}

absl::Status SqlDatabase::Ping() {
  RETURN_IF_ERROR(RecentStorageFull());
  Lease reader = Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("health", "SELECT 1"));
  return stmt->Step().status();
}

}  // namespace gzedu
