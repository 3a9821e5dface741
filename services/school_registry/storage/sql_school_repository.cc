#include "services/school_registry/storage/sql_school_repository.h"

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

}  // namespace

class SqlSchoolRepository::Transaction : public RegistryWriteTransaction, public SqlWriteTransaction {
 public:
  explicit Transaction(SqlDatabase::Lease writer) : SqlWriteTransaction(std::move(writer)) {}

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    return FindSqlRequest(writer(), request_id);
  }

  absl::StatusOr<std::optional<School>> FindSchool(absl::string_view school_code) override {
    return FindSchoolOn(writer(), school_code);
  }

  absl::StatusOr<std::optional<SchoolYearRecord>> FindSchoolYearRecord(const SchoolYearKey& key) override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_record",
                                                 "SELECT body, change_version FROM school_year_records "
                                                 "WHERE school_code = ? AND school_year = ?"));
    stmt->Bind(1, key.school_code).Bind(2, int64_t{key.school_year});
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return std::optional<SchoolYearRecord>();
    ASSIGN_OR_RETURN(SchoolYearRecord record, ReadRecord(*stmt, 0, 1));
    return std::optional<SchoolYearRecord>(std::move(record));
  }

  absl::StatusOr<std::vector<int32_t>> ListSchoolYears(absl::string_view school_code) override {
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
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_change",
                                                 "INSERT INTO changes (change_version, kind, entity_type, "
                                                 "district_code, request_id, school_code, school_year, body) "
                                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    stmt->Bind(1, version).Bind(2, int64_t{static_cast<int>(change.kind)});
    stmt->Bind(4, change.district_code).Bind(5, change.request_id);
    if (const auto* school = std::get_if<School>(&change.entity)) {
      stmt->Bind(3, absl::string_view("school")).Bind(6, school->school_code).BindNull(7);
      stmt->Bind(8, EncodeSchool(*school));
    } else if (const auto* record = std::get_if<SchoolYearRecord>(&change.entity)) {
      stmt->Bind(3, absl::string_view("school_year_record")).Bind(6, record->school_code);
      stmt->Bind(7, int64_t{record->school_year}).Bind(8, EncodeRecord(*record));
    } else if (const auto* code = std::get_if<std::string>(&change.entity)) {
      stmt->Bind(3, absl::string_view("school")).Bind(6, *code).BindNull(7).BindNull(8);
    } else {
      const auto& key = std::get<SchoolYearKey>(change.entity);
      stmt->Bind(3, absl::string_view("school_year_record")).Bind(6, key.school_code);
      stmt->Bind(7, int64_t{key.school_year}).BindNull(8);
    }
    RETURN_IF_ERROR(stmt->Run());
    AdvanceVersion();
    return version;
  }

  absl::Status PutSchool(const School& s) override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_school",
                                                 absl::StrCat("INSERT INTO schools (", kSchoolColumns,
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
    return stmt->Run();
  }

  absl::Status PutSchoolYearRecord(const SchoolYearRecord& r) override {
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("put_record",
                                      UpsertSql("school_year_records", "school_code, school_year, body, change_version",
                                                "school_code, school_year")));
    stmt->Bind(1, r.school_code).Bind(2, int64_t{r.school_year}).Bind(3, EncodeRecord(r));
    stmt->Bind(4, r.change_version);
    return stmt->Run();
  }

  absl::Status DeleteSchool(absl::string_view school_code) override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("delete_school", "DELETE FROM schools WHERE school_code = ?"));
    stmt->Bind(1, school_code);
    return stmt->Run();
  }

  absl::Status DeleteSchoolYearRecord(const SchoolYearKey& key) override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("delete_record",
                                                 "DELETE FROM school_year_records "
                                                 "WHERE school_code = ? AND school_year = ?"));
    stmt->Bind(1, key.school_code).Bind(2, int64_t{key.school_year});
    return stmt->Run();
  }

  absl::Status PutRequest(const RequestRecord& request) override { return PutSqlRequest(writer(), request); }

  absl::Status Commit() override { return CommitTransaction(); }
};

absl::StatusOr<std::unique_ptr<SqlSchoolRepository>> SqlSchoolRepository::Open(absl::string_view url,
                                                                               StorageObserver* observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> database, OpenSqlDatabase(url, observer));
  RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqlSchoolRepository>(new SqlSchoolRepository(std::move(database)));
}

absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> SqlSchoolRepository::BeginWrite() {
  return BeginSqlWrite<Transaction, RegistryWriteTransaction>(*database_);
}

absl::StatusOr<std::optional<School>> SqlSchoolRepository::GetSchool(absl::string_view school_code) {
  SqlDatabase::Lease reader = database_->Reader();
  return FindSchoolOn(*reader, school_code);
}

absl::StatusOr<std::vector<School>> SqlSchoolRepository::ListSchools(absl::string_view district_code,
                                                                     absl::string_view after_code, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_schools", absl::StrCat("SELECT ", kSchoolColumns,
                                                                           " FROM schools WHERE school_code > ? "
                                                                           "AND (? = '' OR district_code = ?) "
                                                                           "ORDER BY school_code LIMIT ?")));
  stmt->Bind(1, after_code).Bind(2, district_code).Bind(3, district_code).Bind(4, int64_t{limit});
  std::vector<School> schools;
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
