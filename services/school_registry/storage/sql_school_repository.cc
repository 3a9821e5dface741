#include "services/school_registry/storage/sql_school_repository.h"

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/storage/sql_requests.h"
#include "common/storage/sql_transaction.h"
#include "services/school_registry/storage/json_codec.h"

namespace gzedu::registry {
namespace {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "schools, school-year records, change feed, processed requests", R"sql(
CREATE TABLE schools (
  school_code    TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  district_code  TEXT NOT NULL,
  school_type    INTEGER NOT NULL,
  ownership      INTEGER NOT NULL,
  locale         INTEGER NOT NULL,
  boarding       INTEGER NOT NULL,
  build_year     INTEGER NOT NULL,
  change_version INTEGER NOT NULL
) STRICT;
CREATE INDEX schools_by_district ON schools (district_code, school_code);

CREATE TABLE school_year_records (
  school_code    TEXT NOT NULL REFERENCES schools (school_code),
  school_year    INTEGER NOT NULL,
  body           TEXT NOT NULL,
  change_version INTEGER NOT NULL,
  PRIMARY KEY (school_code, school_year)
) STRICT;
CREATE INDEX school_year_records_by_year ON school_year_records (school_year, school_code);

CREATE TABLE changes (
  change_version INTEGER PRIMARY KEY,
  kind           INTEGER NOT NULL,
  entity_type    TEXT NOT NULL CHECK (entity_type IN ('school', 'school_year_record')),
  district_code  TEXT NOT NULL,
  request_id     TEXT NOT NULL,
  school_code    TEXT NOT NULL,
  school_year    INTEGER,
  body           TEXT
) STRICT;

CREATE TABLE requests (
  request_id  TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  summary     TEXT NOT NULL
) STRICT;
)sql"},
      {2, "requests remember the entity they were about",
       "ALTER TABLE requests ADD COLUMN entity_id TEXT NOT NULL DEFAULT ''"},
  };
  return kMigrations;
}

constexpr char kSchoolColumns[] =
    "school_code, name, district_code, school_type, ownership, locale, boarding, build_year, change_version";

School ReadSchool(const SqlStatement& row) {
  School s;
  s.school_code = row.ColumnText(0);
  s.name = row.ColumnText(1);
  s.district_code = row.ColumnText(2);
  s.school_type = static_cast<SchoolType>(row.ColumnInt(3));
  s.ownership = static_cast<Ownership>(row.ColumnInt(4));
  s.locale = static_cast<Locale>(row.ColumnInt(5));
  s.boarding = row.ColumnInt(6) != 0;
  s.build_year = static_cast<int32_t>(row.ColumnInt(7));
  s.change_version = row.ColumnInt(8);
  return s;
}

absl::StatusOr<SchoolYearRecord> ReadRecord(const SqlStatement& row, int body_column, int version_column) {
  ASSIGN_OR_RETURN(SchoolYearRecord record, DecodeRecord(row.ColumnText(body_column)));
  record.change_version = row.ColumnInt(version_column);
  return record;
}

absl::StatusOr<std::optional<School>> FindSchoolOn(SqlConnection& connection, absl::string_view school_code) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("get_school", absl::StrCat("SELECT ", kSchoolColumns,
                                                                            " FROM schools WHERE school_code = ?")));
  stmt->Bind(1, school_code);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<School>();
  return std::optional<School>(ReadSchool(*stmt));
}

// Upserts school-year records and appends their changes in one statement:
// the rows come once, as arrays (code, year, body, version, district,
// request id; ? 7 is the upsert kind), and feed both tables.
std::string RecordsWithChangesSql() {
  const std::string upsert =
      UpsertSql("school_year_records", "school_code, school_year, body, change_version", "school_code, school_year");
  return absl::StrCat(
      "WITH input (school_code, school_year, body, change_version, district_code, request_id) AS MATERIALIZED ("
      "SELECT * FROM UNNEST(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]), CAST(? AS bigint[]), "
      "CAST(? AS text[]), CAST(? AS text[]))), written AS (INSERT INTO school_year_records (school_code, "
      "school_year, body, change_version) SELECT school_code, school_year, body, change_version FROM input",
      upsert.substr(upsert.find(" ON CONFLICT")),
      ") INSERT INTO changes (change_version, kind, entity_type, district_code, request_id, school_code, "
      "school_year, body) SELECT change_version, ?, 'school_year_record', district_code, request_id, school_code, "
      "school_year, body FROM input");
}

}  // namespace

// A write transaction. Schools and school-year records are written a batch
// at a time, not a statement per row: the Prefetch calls read a batch's rows
// with one statement, lookups then answer from memory (writers are
// serialised), and puts with their changes are held until Commit (or until a
// statement that must see them: ListSchoolYears, a delete), which sends them
// as one statement per table (on PostgreSQL, arrays unnested; on SQLite, in
// process, row by row).
class SqlSchoolRepository::Transaction : public RegistryWriteTransaction, public SqlWriteTransaction {
 public:
  Transaction(SqlDatabase::Lease writer, SqlDialect dialect)
      : SqlWriteTransaction(std::move(writer)), dialect_(dialect) {}

  absl::Status Start(const std::string& begin_sql) { return Begin(begin_sql); }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    return FindSqlRequest(writer(), request_id);
  }

  absl::Status PrefetchSchools(const std::vector<std::string>& school_codes) override {
    SqlArray codes(dialect_);
    for (const std::string& code : school_codes) {
      if (schools_.count(code) == 0) codes.Add(code);
    }
    if (codes.size() == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("find_schools", absl::StrCat("SELECT ", kSchoolColumns, " FROM schools WHERE ",
                                                                   SqlAnyOf(dialect_, "school_code"))));
    stmt->Bind(1, codes.Finish());
    std::vector<School> found;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      found.push_back(ReadSchool(*stmt));
    }
    // Absent ones are known absent: no other writer runs until we commit.
    for (const std::string& code : school_codes) schools_.emplace(code, std::nullopt);
    for (School& school : found) schools_[school.school_code] = std::move(school);
    return absl::OkStatus();
  }

  absl::Status PrefetchSchoolYearRecords(const std::vector<SchoolYearKey>& keys) override {
    // SQLite answers each lookup in process; a round trip is PostgreSQL's.
    if (dialect_ != SqlDialect::kPostgres) return absl::OkStatus();
    SqlArray codes(dialect_), years(dialect_);
    for (const SchoolYearKey& key : keys) {
      if (records_.count({key.school_code, key.school_year}) != 0) continue;
      codes.Add(key.school_code);
      years.Add(int64_t{key.school_year});
    }
    if (codes.size() == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_records",
                                                 "SELECT body, change_version FROM school_year_records WHERE "
                                                 "(school_code, school_year) IN (SELECT * FROM UNNEST(CAST(? AS "
                                                 "text[]), CAST(? AS bigint[])))"));
    stmt->Bind(1, codes.Finish()).Bind(2, years.Finish());
    std::vector<SchoolYearRecord> found;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      ASSIGN_OR_RETURN(SchoolYearRecord record, ReadRecord(*stmt, 0, 1));
      found.push_back(std::move(record));
    }
    for (const SchoolYearKey& key : keys) records_.emplace(RecordKey{key.school_code, key.school_year}, std::nullopt);
    for (SchoolYearRecord& record : found) {
      records_[RecordKey{record.school_code, record.school_year}] = std::move(record);
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<School>> FindSchool(absl::string_view school_code) override {
    if (auto it = schools_.find(school_code); it != schools_.end()) return it->second;
    ASSIGN_OR_RETURN(std::optional<School> found, FindSchoolOn(writer(), school_code));
    schools_.emplace(std::string(school_code), found);
    return found;
  }

  absl::StatusOr<std::optional<SchoolYearRecord>> FindSchoolYearRecord(const SchoolYearKey& key) override {
    RecordKey record_key{key.school_code, key.school_year};
    if (auto it = records_.find(record_key); it != records_.end()) return it->second;
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_record",
                                                 "SELECT body, change_version FROM school_year_records "
                                                 "WHERE school_code = ? AND school_year = ?"));
    stmt->Bind(1, key.school_code).Bind(2, int64_t{key.school_year});
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    std::optional<SchoolYearRecord> found;
    if (row) {
      ASSIGN_OR_RETURN(SchoolYearRecord record, ReadRecord(*stmt, 0, 1));
      found = std::move(record);
    }
    records_.emplace(std::move(record_key), found);
    return found;
  }

  absl::StatusOr<std::vector<int32_t>> ListSchoolYears(absl::string_view school_code) override {
    RETURN_IF_ERROR(WriteHeld());
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("list_school_years",
                                                 "SELECT school_year FROM school_year_records "
                                                 "WHERE school_code = ? ORDER BY school_year"));
    stmt->Bind(1, school_code);
    std::vector<int32_t> years;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) break;
      years.push_back(static_cast<int32_t>(stmt->ColumnInt(0)));
    }
    return years;
  }

  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    ASSIGN_OR_RETURN(const int64_t version, PeekVersion());
    ChangeRow row;
    row.version = version;
    row.kind = static_cast<int>(change.kind);
    row.district_code = change.district_code;
    row.request_id = change.request_id;
    if (const auto* school = std::get_if<School>(&change.entity)) {
      row.entity_type = "school";
      row.school_code = school->school_code;
      row.body = std::make_shared<const std::string>(EncodeSchool(*school));
    } else if (const auto* record = std::get_if<SchoolYearRecord>(&change.entity)) {
      row.entity_type = "school_year_record";
      row.school_code = record->school_code;
      row.school_year = record->school_year;
      row.body = std::make_shared<const std::string>(EncodeRecord(*record));
      encoded_records_[RecordKey{record->school_code, record->school_year}] = EncodedRecord{*record, row.body};
    } else if (const auto* code = std::get_if<std::string>(&change.entity)) {
      row.entity_type = "school";
      row.school_code = *code;
    } else {
      const auto& key = std::get<SchoolYearKey>(change.entity);
      row.entity_type = "school_year_record";
      row.school_code = key.school_code;
      row.school_year = key.school_year;
    }
    new_changes_.push_back(std::move(row));
    AdvanceVersion();
    return version;
  }

  absl::Status PutSchool(const School& s) override {
    schools_[s.school_code] = s;
    new_schools_[s.school_code] = s;
    return absl::OkStatus();
  }

  absl::Status PutSchoolYearRecord(const SchoolYearRecord& r) override {
    RecordKey key{r.school_code, r.school_year};
    records_[key] = r;
    new_records_[std::move(key)] = r;
    return absl::OkStatus();
  }

  absl::Status DeleteSchool(absl::string_view school_code) override {
    RETURN_IF_ERROR(WriteHeld());
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("delete_school", "DELETE FROM schools WHERE school_code = ?"));
    stmt->Bind(1, school_code);
    RETURN_IF_ERROR(stmt->Run());
    schools_[std::string(school_code)] = std::nullopt;
    return absl::OkStatus();
  }

  absl::Status DeleteSchoolYearRecord(const SchoolYearKey& key) override {
    RETURN_IF_ERROR(WriteHeld());
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("delete_record",
                                                 "DELETE FROM school_year_records "
                                                 "WHERE school_code = ? AND school_year = ?"));
    stmt->Bind(1, key.school_code).Bind(2, int64_t{key.school_year});
    RETURN_IF_ERROR(stmt->Run());
    records_[RecordKey{key.school_code, key.school_year}] = std::nullopt;
    return absl::OkStatus();
  }

  absl::Status PutRequest(const RequestRecord& request) override { return PutSqlRequest(writer(), request); }

  absl::Status Commit() override {
    RETURN_IF_ERROR(WriteHeld());
    return CommitTransaction();
  }

 private:
  using RecordKey = std::pair<std::string, int32_t>;
  struct ChangeRow {
    int64_t version = 0;
    int kind = 0;
    std::string entity_type;
    std::string district_code;
    std::string request_id;
    std::string school_code;
    std::optional<int32_t> school_year;
    // Null for a delete. A record's body is shared with the record's own row
    // (encoded once: see encoded_records_).
    std::shared_ptr<const std::string> body;
  };
  // The body a record upsert's change holds, with the record it encodes: the
  // row written for the same record reuses it instead of encoding again.
  struct EncodedRecord {
    SchoolYearRecord record;
    std::shared_ptr<const std::string> body;
  };

  // Sends the held writes: schools before records (records reference them),
  // then the changes.
  absl::Status WriteHeld() {
    RETURN_IF_ERROR(dialect_ == SqlDialect::kPostgres ? WriteHeldOnPostgres() : WriteHeldRowByRow());
    new_schools_.clear();
    new_records_.clear();
    new_changes_.clear();
    encoded_records_.clear();
    return absl::OkStatus();
  }

  // The JSON body of `r`: the one its change was written with when the
  // content is the same, else encoded now.
  std::shared_ptr<const std::string> RecordBody(const RecordKey& key, const SchoolYearRecord& r) const {
    if (auto it = encoded_records_.find(key); it != encoded_records_.end() && it->second.record.SameContent(r)) {
      return it->second.body;
    }
    return std::make_shared<const std::string>(EncodeRecord(r));
  }

  // One statement per table, whatever the batch's size: each column goes as
  // an array and UNNEST turns the arrays back into rows.
  absl::Status WriteHeldOnPostgres() {
    if (!new_schools_.empty()) {
      std::vector<SqlArray> columns(9, SqlArray(dialect_));
      for (const auto& [code, s] : new_schools_) {
        columns[0].Add(s.school_code);
        columns[1].Add(s.name);
        columns[2].Add(s.district_code);
        columns[3].Add(int64_t{static_cast<int>(s.school_type)});
        columns[4].Add(int64_t{static_cast<int>(s.ownership)});
        columns[5].Add(int64_t{static_cast<int>(s.locale)});
        columns[6].Add(int64_t{s.boarding ? 1 : 0});
        columns[7].Add(int64_t{s.build_year});
        columns[8].Add(s.change_version);
      }
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_schools", UnnestUpsertSql("schools", kSchoolColumns,
                                                                                  "text, text, text, bigint, bigint, "
                                                                                  "bigint, bigint, bigint, bigint",
                                                                                  "school_code")));
      for (size_t i = 0; i < columns.size(); ++i) stmt->Bind(static_cast<int>(i) + 1, columns[i].Finish());
      RETURN_IF_ERROR(stmt->Run());
    }
    // A record upserted with its change (the same body, the same version,
    // as the domain writes every record) goes with that change in one
    // statement, so its body crosses the wire and is parsed once.
    std::set<const ChangeRow*> written_with_record;
    if (!new_records_.empty()) {
      std::map<RecordKey, const ChangeRow*> record_changes;
      for (const ChangeRow& c : new_changes_) {
        if (c.entity_type == "school_year_record" && c.school_year && c.body &&
            c.kind == static_cast<int>(ChangeKind::kUpsert)) {
          record_changes[RecordKey{c.school_code, *c.school_year}] = &c;
        }
      }
      SqlArray codes(dialect_), years(dialect_), bodies(dialect_), versions(dialect_);
      SqlArray change_codes(dialect_), change_years(dialect_), change_bodies(dialect_), change_versions(dialect_),
          change_districts(dialect_), change_requests(dialect_);
      for (const auto& [key, r] : new_records_) {
        const std::shared_ptr<const std::string> body = RecordBody(key, r);
        auto change = record_changes.find(key);
        if (change != record_changes.end() && change->second->body == body &&
            change->second->version == r.change_version) {
          change_codes.Add(r.school_code);
          change_years.Add(int64_t{r.school_year});
          change_bodies.Add(*body);
          change_versions.Add(r.change_version);
          change_districts.Add(change->second->district_code);
          change_requests.Add(change->second->request_id);
          written_with_record.insert(change->second);
          continue;
        }
        codes.Add(r.school_code);
        years.Add(int64_t{r.school_year});
        bodies.Add(*body);
        versions.Add(r.change_version);
      }
      if (codes.size() > 0) {
        ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_records", UnnestUpsertSql("school_year_records",
                                                                                    "school_code, school_year, body, "
                                                                                    "change_version",
                                                                                    "text, bigint, text, bigint",
                                                                                    "school_code, school_year")));
        stmt->Bind(1, codes.Finish()).Bind(2, years.Finish()).Bind(3, bodies.Finish()).Bind(4, versions.Finish());
        RETURN_IF_ERROR(stmt->Run());
      }
      if (change_codes.size() > 0) {
        ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_records_with_changes", RecordsWithChangesSql()));
        stmt->Bind(1, change_codes.Finish()).Bind(2, change_years.Finish()).Bind(3, change_bodies.Finish());
        stmt->Bind(4, change_versions.Finish()).Bind(5, change_districts.Finish()).Bind(6, change_requests.Finish());
        stmt->Bind(7, int64_t{static_cast<int>(ChangeKind::kUpsert)});
        RETURN_IF_ERROR(stmt->Run());
      }
    }
    if (!new_changes_.empty()) {
      std::vector<SqlArray> columns(8, SqlArray(dialect_));
      for (const ChangeRow& c : new_changes_) {
        if (written_with_record.count(&c) != 0) continue;
        columns[0].Add(c.version);
        columns[1].Add(int64_t{c.kind});
        columns[2].Add(c.entity_type);
        columns[3].Add(c.district_code);
        columns[4].Add(c.request_id);
        columns[5].Add(c.school_code);
        if (c.school_year) {
          columns[6].Add(int64_t{*c.school_year});
        } else {
          columns[6].AddNull();
        }
        if (c.body) {
          columns[7].Add(*c.body);
        } else {
          columns[7].AddNull();
        }
      }
      if (columns[0].size() == 0) return absl::OkStatus();
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_changes",
                                                   "INSERT INTO changes (change_version, kind, entity_type, "
                                                   "district_code, request_id, school_code, school_year, body) "
                                                   "SELECT * FROM UNNEST(CAST(? AS bigint[]), CAST(? AS bigint[]), "
                                                   "CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), "
                                                   "CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS text[]))"));
      for (size_t i = 0; i < columns.size(); ++i) stmt->Bind(static_cast<int>(i) + 1, columns[i].Finish());
      RETURN_IF_ERROR(stmt->Run());
    }
    return absl::OkStatus();
  }

  // SQLite runs in process: a statement per row costs no round trip.
  absl::Status WriteHeldRowByRow() {
    for (const auto& [code, s] : new_schools_) {
      ASSIGN_OR_RETURN(
          auto stmt,
          writer().Prepare("put_school", absl::StrCat("INSERT INTO schools (", kSchoolColumns,
                                                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                                                      "ON CONFLICT (school_code) DO UPDATE SET "
                                                      "name = excluded.name, district_code = "
                                                      "excluded.district_code, school_type = "
                                                      "excluded.school_type, ownership = excluded.ownership, "
                                                      "locale = excluded.locale, boarding = excluded.boarding, "
                                                      "build_year = excluded.build_year, change_version = "
                                                      "excluded.change_version")));
      stmt->Bind(1, s.school_code).Bind(2, s.name).Bind(3, s.district_code);
      stmt->Bind(4, int64_t{static_cast<int>(s.school_type)}).Bind(5, int64_t{static_cast<int>(s.ownership)});
      stmt->Bind(6, int64_t{static_cast<int>(s.locale)}).Bind(7, int64_t{s.boarding ? 1 : 0});
      stmt->Bind(8, int64_t{s.build_year}).Bind(9, s.change_version);
      RETURN_IF_ERROR(stmt->Run());
    }
    for (const auto& [key, r] : new_records_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_record", UpsertSql("school_year_records",
                                                                           "school_code, school_year, body, "
                                                                           "change_version",
                                                                           "school_code, school_year")));
      stmt->Bind(1, r.school_code).Bind(2, int64_t{r.school_year}).Bind(3, *RecordBody(key, r));
      stmt->Bind(4, r.change_version);
      RETURN_IF_ERROR(stmt->Run());
    }
    for (const ChangeRow& c : new_changes_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_change",
                                                   "INSERT INTO changes (change_version, kind, entity_type, "
                                                   "district_code, request_id, school_code, school_year, body) "
                                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
      stmt->Bind(1, c.version).Bind(2, int64_t{c.kind}).Bind(3, c.entity_type).Bind(4, c.district_code);
      stmt->Bind(5, c.request_id).Bind(6, c.school_code);
      if (c.school_year) {
        stmt->Bind(7, int64_t{*c.school_year});
      } else {
        stmt->BindNull(7);
      }
      if (c.body) {
        stmt->Bind(8, *c.body);
      } else {
        stmt->BindNull(8);
      }
      RETURN_IF_ERROR(stmt->Run());
    }
    return absl::OkStatus();
  }

  SqlDialect dialect_;
  // Rows this transaction read or wrote (an empty optional: known absent),
  // and the puts not yet sent (by key: the last wins).
  std::map<std::string, std::optional<School>, std::less<>> schools_;
  std::map<RecordKey, std::optional<SchoolYearRecord>> records_;
  std::map<std::string, School> new_schools_;
  std::map<RecordKey, SchoolYearRecord> new_records_;
  std::vector<ChangeRow> new_changes_;
  std::map<RecordKey, EncodedRecord> encoded_records_;
};

absl::StatusOr<std::unique_ptr<SqlSchoolRepository>> SqlSchoolRepository::Open(absl::string_view url,
                                                                               StorageObserver* observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> database, OpenSqlDatabase(url, observer));
  RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqlSchoolRepository>(new SqlSchoolRepository(std::move(database)));
}

std::unique_ptr<SqlSchoolRepository> SqlSchoolRepository::OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                                       DeferredSqlDatabase** database) {
  auto deferred = std::make_unique<DeferredSqlDatabase>(std::string(url), Migrations(), observer);
  *database = deferred.get();
  return std::unique_ptr<SqlSchoolRepository>(new SqlSchoolRepository(std::move(deferred)));
}

absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> SqlSchoolRepository::BeginWrite() {
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer, database_->Writer());
  auto transaction = std::make_unique<Transaction>(std::move(writer), database_->dialect());
  RETURN_IF_ERROR(transaction->Start(BeginBatchWriteSql(*database_)));
  return std::unique_ptr<RegistryWriteTransaction>(std::move(transaction));
}

absl::StatusOr<std::optional<School>> SqlSchoolRepository::GetSchool(absl::string_view school_code) {
  SqlDatabase::Lease reader = database_->Reader();
  return FindSchoolOn(*reader, school_code);
}

absl::StatusOr<std::vector<School>> SqlSchoolRepository::ListSchools(absl::string_view district_code,
                                                                     absl::string_view after_code, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  // Two statements rather than one with "(? = '' OR district_code = ?)":
  // with that, the planner cannot use schools_by_district and walks every
  // school before the district's (a page of the last district read the
  // whole table).
  std::unique_ptr<SqlStatement> stmt;
  if (district_code.empty()) {
    ASSIGN_OR_RETURN(stmt, reader->Prepare("list_schools", absl::StrCat("SELECT ", kSchoolColumns,
                                                                        " FROM schools WHERE school_code > ? "
                                                                        "ORDER BY school_code LIMIT ?")));
    stmt->Bind(1, after_code).Bind(2, int64_t{limit});
  } else {
    ASSIGN_OR_RETURN(stmt, reader->Prepare("list_district_schools",
                                           absl::StrCat("SELECT ", kSchoolColumns,
                                                        " FROM schools WHERE district_code = ? AND school_code > ? "
                                                        "ORDER BY district_code, school_code LIMIT ?")));
    stmt->Bind(1, district_code).Bind(2, after_code).Bind(3, int64_t{limit});
  }
  std::vector<School> schools;
  schools.reserve(static_cast<size_t>(std::max(limit, 0)));
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    schools.push_back(ReadSchool(*stmt));
  }
  return schools;
}

absl::StatusOr<std::vector<SchoolYearRecord>> SqlSchoolRepository::ListSchoolYearRecords(const RecordQuery& query) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_records",
                                              "SELECT r.body, r.change_version FROM school_year_records r "
                                              "JOIN schools s ON s.school_code = r.school_code "
                                              "WHERE (r.school_code, r.school_year) > (?, ?) "
                                              "AND (? = '' OR s.district_code = ?) "
                                              "AND (? = 0 OR r.school_year = ?) "
                                              "ORDER BY r.school_code, r.school_year LIMIT ?"));
  const SchoolYearKey after = query.after.value_or(SchoolYearKey{"", 0});
  stmt->Bind(1, after.school_code).Bind(2, int64_t{after.school_year});
  stmt->Bind(3, query.district_code).Bind(4, query.district_code);
  stmt->Bind(5, int64_t{query.school_year}).Bind(6, int64_t{query.school_year}).Bind(7, int64_t{query.limit});
  std::vector<SchoolYearRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(SchoolYearRecord record, ReadRecord(*stmt, 0, 1));
    records.push_back(std::move(record));
  }
  return records;
}

absl::StatusOr<std::vector<Change>> SqlSchoolRepository::ListChanges(int64_t since_version, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_changes",
                                              "SELECT change_version, kind, entity_type, district_code, "
                                              "request_id, school_code, school_year, body FROM changes "
                                              "WHERE change_version > ? ORDER BY change_version LIMIT ?"));
  stmt->Bind(1, since_version).Bind(2, int64_t{limit});
  std::vector<Change> changes;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) break;
    Change change;
    change.change_version = stmt->ColumnInt(0);
    change.kind = static_cast<ChangeKind>(stmt->ColumnInt(1));
    const std::string entity_type = stmt->ColumnText(2);
    change.district_code = stmt->ColumnText(3);
    change.request_id = stmt->ColumnText(4);
    const bool is_school = entity_type == "school";
    if (change.kind == ChangeKind::kDelete) {
      if (is_school) {
        change.entity = stmt->ColumnText(5);
      } else {
        change.entity = SchoolYearKey{stmt->ColumnText(5), static_cast<int32_t>(stmt->ColumnInt(6))};
      }
    } else if (is_school) {
      ASSIGN_OR_RETURN(School school, DecodeSchool(stmt->ColumnText(7)));
      school.change_version = change.change_version;
      change.entity = std::move(school);
    } else {
      ASSIGN_OR_RETURN(SchoolYearRecord record, DecodeRecord(stmt->ColumnText(7)));
      record.change_version = change.change_version;
      change.entity = std::move(record);
    }
    changes.push_back(std::move(change));
  }
  return changes;
}

absl::StatusOr<int64_t> SqlSchoolRepository::LatestChangeVersion() {
  SqlDatabase::Lease reader = database_->Reader();
  return SqlLatestChangeVersion(*reader);
}

absl::Status SqlSchoolRepository::CheckHealth() { return SqlHealth(*database_); }

}  // namespace gzedu::registry
