#include "services/indicator_evaluation/storage/sql_evaluation_repository.h"

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "common/storage/sql_requests.h"
#include "common/storage/sql_transaction.h"
#include "services/indicator_evaluation/grpc/conversions.h"

namespace gzedu::indicators {
namespace {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "district returns, their change feed, snapshots, the update log, follower cursors, processed requests",
       absl::StrCat(R"sql(
CREATE TABLE district_returns (
  district_code  TEXT NOT NULL,
  school_year    INTEGER NOT NULL,
  message        BLOB NOT NULL,
  change_version INTEGER NOT NULL,
  PRIMARY KEY (district_code, school_year)
) STRICT;

CREATE TABLE changes (
  change_version INTEGER PRIMARY KEY,
  request_id     TEXT NOT NULL,
  district_code  TEXT NOT NULL,
  school_year    INTEGER NOT NULL
) STRICT;

CREATE TABLE snapshots (
  district_code        TEXT NOT NULL,
  school_year          INTEGER NOT NULL,
  conventions_key      TEXT NOT NULL,
  version              INTEGER NOT NULL UNIQUE,
  evaluated_at_unix_ms INTEGER NOT NULL,
  message              BLOB NOT NULL,
  report_zh            TEXT NOT NULL,
  report_en            TEXT NOT NULL,
  PRIMARY KEY (district_code, school_year, conventions_key)
) STRICT;

CREATE TABLE updates (
  version              INTEGER PRIMARY KEY,
  district_code        TEXT NOT NULL,
  school_year          INTEGER NOT NULL,
  evaluated_at_unix_ms INTEGER NOT NULL,
  message              BLOB NOT NULL
) STRICT;

CREATE TABLE versions (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

CREATE TABLE cursors (
  source  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT;
)sql",
                    kRequestsTableSql)},
  };
  return kMigrations;
}

absl::StatusOr<DistrictReturn> DecodeReturn(const std::string& bytes) {
  v1::DistrictReturn message;
  if (!message.ParseFromString(bytes)) return absl::InternalError("a stored district return cannot be decoded");
  return FromProto(message);
}

absl::StatusOr<std::optional<DistrictReturn>> FindReturnOn(SqlConnection& connection, const std::string& district_code,
                                                           int32_t school_year) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("find_return",
                                                 "SELECT message FROM district_returns "
                                                 "WHERE district_code = ? AND school_year = ?"));
  stmt->Bind(1, district_code).Bind(2, int64_t{school_year});
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<DistrictReturn>();
  ASSIGN_OR_RETURN(DistrictReturn r, DecodeReturn(stmt->ColumnBlob(0)));
  return std::optional<DistrictReturn>(std::move(r));
}

constexpr char kSnapshotColumns[] = "version, evaluated_at_unix_ms, message, report_zh, report_en";

absl::StatusOr<Snapshot> ReadSnapshot(const SqlStatement& row) {
  v1::DistrictEvaluation message;
  if (!message.ParseFromString(row.ColumnBlob(2))) return absl::InternalError("a stored snapshot cannot be decoded");
  Snapshot s = FromProto(message);
  s.version = row.ColumnInt(0);
  s.evaluated_at_unix_ms = row.ColumnInt(1);
  s.report_zh = row.ColumnText(3);
  s.report_en = row.ColumnText(4);
  return s;
}

}  // namespace

class SqlEvaluationRepository::Transaction : public ReturnsWriteTransaction, public SqlWriteTransaction {
 public:
  explicit Transaction(SqlDatabase::Lease writer) : SqlWriteTransaction(std::move(writer)) {}

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    return FindSqlRequest(writer(), request_id);
  }
  absl::Status PutRequest(const RequestRecord& request) override { return PutSqlRequest(writer(), request); }
  absl::StatusOr<std::optional<DistrictReturn>> FindReturn(const std::string& district_code,
                                                           int32_t school_year) override {
    return FindReturnOn(writer(), district_code, school_year);
  }
  absl::Status PutReturn(DistrictReturn& r) override {
    ASSIGN_OR_RETURN(int64_t version, PeekVersion());
    r.change_version = version;
    ASSIGN_OR_RETURN(auto change, writer().Prepare("append_return_change",
                                                   "INSERT INTO changes (change_version, request_id, district_code, "
                                                   "school_year) VALUES (?, '', ?, ?)"));
    change->Bind(1, version).Bind(2, r.district_code).Bind(3, int64_t{r.school_year});
    RETURN_IF_ERROR(change->Run());
    v1::DistrictReturn message;
    ToProto(r, &message);
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("put_return",
                                      "INSERT INTO district_returns (district_code, school_year, message, "
                                      "change_version) VALUES (?, ?, ?, ?) "
                                      "ON CONFLICT (district_code, school_year) DO UPDATE SET "
                                      "message = excluded.message, change_version = excluded.change_version"));
    stmt->Bind(1, r.district_code).Bind(2, int64_t{r.school_year}).BindBlob(3, message.SerializeAsString());
    stmt->Bind(4, version);
    RETURN_IF_ERROR(stmt->Run());
    AdvanceVersion();
    return absl::OkStatus();
  }
  absl::Status Commit() override { return CommitTransaction(); }
};

absl::StatusOr<std::unique_ptr<SqlEvaluationRepository>> SqlEvaluationRepository::Open(absl::string_view url,
                                                                                       StorageObserver* observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> database, OpenSqlDatabase(url, observer));
  RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqlEvaluationRepository>(new SqlEvaluationRepository(std::move(database)));
}

std::unique_ptr<SqlEvaluationRepository> SqlEvaluationRepository::OpenDeferred(absl::string_view url,
                                                                               StorageObserver* observer,
                                                                               DeferredSqlDatabase** database) {
  auto deferred = std::make_unique<DeferredSqlDatabase>(std::string(url), Migrations(), observer);
  *database = deferred.get();
  return std::unique_ptr<SqlEvaluationRepository>(new SqlEvaluationRepository(std::move(deferred)));
}

absl::StatusOr<std::unique_ptr<ReturnsWriteTransaction>> SqlEvaluationRepository::BeginWrite() {
  return BeginSqlWrite<Transaction, ReturnsWriteTransaction>(*database_);
}

absl::StatusOr<std::optional<DistrictReturn>> SqlEvaluationRepository::FindReturn(const std::string& district_code,
                                                                                  int32_t school_year) {
  SqlDatabase::Lease reader = database_->Reader();
  return FindReturnOn(*reader, district_code, school_year);
}

absl::StatusOr<int64_t> SqlEvaluationRepository::LatestReturnsVersion() {
  SqlDatabase::Lease reader = database_->Reader();
  return SqlLatestChangeVersion(*reader);
}

absl::StatusOr<std::vector<ReturnChange>> SqlEvaluationRepository::ReturnChangesSince(int64_t since_version,
                                                                                      int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("return_changes_since",
                                              "SELECT district_code, school_year, change_version FROM changes "
                                              "WHERE change_version > ? ORDER BY change_version LIMIT ?"));
  stmt->Bind(1, since_version).Bind(2, int64_t{limit});
  std::vector<ReturnChange> changes;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return changes;
    changes.push_back({stmt->ColumnText(0), static_cast<int32_t>(stmt->ColumnInt(1)), stmt->ColumnInt(2)});
  }
}

absl::Status SqlEvaluationRepository::PutSnapshot(Snapshot& snapshot, IndicatorUpdate* update) {
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer, database_->Writer());
  RETURN_IF_ERROR(writer->Exec(database_->BeginWriteSql()));
  auto body = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto next,
                     writer->Prepare("next_snapshot_version",
                                     "INSERT INTO versions (name, value) VALUES ('snapshot', 1) "
                                     "ON CONFLICT (name) DO UPDATE SET value = versions.value + 1 RETURNING value"));
    ASSIGN_OR_RETURN(bool row, next->Step());
    if (!row) return absl::InternalError("no snapshot version");
    snapshot.version = next->ColumnInt(0);
    RETURN_IF_ERROR(next->Run());
    v1::DistrictEvaluation message;
    ToProto(snapshot, v1::REPORT_LANGUAGE_UNSPECIFIED, &message);
    ASSIGN_OR_RETURN(
        auto stmt, writer->Prepare("put_snapshot",
                                   "INSERT INTO snapshots (district_code, school_year, conventions_key, version, "
                                   "evaluated_at_unix_ms, message, report_zh, report_en) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                                   "ON CONFLICT (district_code, school_year, conventions_key) DO UPDATE SET "
                                   "version = excluded.version, evaluated_at_unix_ms = excluded.evaluated_at_unix_ms, "
                                   "message = excluded.message, report_zh = excluded.report_zh, "
                                   "report_en = excluded.report_en"));
    stmt->Bind(1, snapshot.district_code).Bind(2, int64_t{snapshot.school_year}).Bind(3, snapshot.conventions_key);
    stmt->Bind(4, snapshot.version).Bind(5, snapshot.evaluated_at_unix_ms).BindBlob(6, message.SerializeAsString());
    stmt->Bind(7, snapshot.report_zh).Bind(8, snapshot.report_en);
    RETURN_IF_ERROR(stmt->Run());
    if (update != nullptr) {
      update->version = snapshot.version;
      v1::IndicatorUpdate update_message;
      ToProto(*update, &update_message);
      ASSIGN_OR_RETURN(auto put, writer->Prepare("put_update",
                                                 "INSERT INTO updates (version, district_code, school_year, "
                                                 "evaluated_at_unix_ms, message) VALUES (?, ?, ?, ?, ?)"));
      put->Bind(1, update->version).Bind(2, update->district_code).Bind(3, int64_t{update->school_year});
      put->Bind(4, update->evaluated_at_unix_ms).BindBlob(5, update_message.SerializeAsString());
      RETURN_IF_ERROR(put->Run());
    }
    return writer->Exec("COMMIT");
  };
  absl::Status status = body();
  if (!status.ok()) (void)writer->Exec("ROLLBACK");
  return status;
}

absl::StatusOr<std::optional<Snapshot>> SqlEvaluationRepository::FindSnapshot(const std::string& district_code,
                                                                              int32_t school_year,
                                                                              const std::string& conventions_key) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("find_snapshot", absl::StrCat("SELECT ", kSnapshotColumns,
                                                                 " FROM snapshots WHERE district_code = ? AND "
                                                                 "school_year = ? AND conventions_key = ?")));
  stmt->Bind(1, district_code).Bind(2, int64_t{school_year}).Bind(3, conventions_key);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return std::optional<Snapshot>();
  ASSIGN_OR_RETURN(Snapshot s, ReadSnapshot(*stmt));
  return std::optional<Snapshot>(std::move(s));
}

absl::StatusOr<std::vector<Snapshot>> SqlEvaluationRepository::SnapshotsUnder(const std::string& conventions_key) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("snapshots_under", absl::StrCat("SELECT ", kSnapshotColumns,
                                                                   " FROM snapshots WHERE conventions_key = ? "
                                                                   "ORDER BY district_code, school_year")));
  stmt->Bind(1, conventions_key);
  std::vector<Snapshot> snapshots;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return snapshots;
    ASSIGN_OR_RETURN(Snapshot s, ReadSnapshot(*stmt));
    snapshots.push_back(std::move(s));
  }
}

absl::StatusOr<std::vector<IndicatorUpdate>> SqlEvaluationRepository::UpdatesSince(int64_t since_version,
                                                                                   int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("updates_since",
                                              "SELECT evaluated_at_unix_ms, message FROM updates WHERE version > ? "
                                              "ORDER BY version LIMIT ?"));
  stmt->Bind(1, since_version).Bind(2, int64_t{limit});
  std::vector<IndicatorUpdate> updates;
  for (;;) {
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return updates;
    v1::IndicatorUpdate message;
    if (!message.ParseFromString(stmt->ColumnBlob(1))) return absl::InternalError("a stored update cannot be decoded");
    IndicatorUpdate update = FromProto(message);
    update.evaluated_at_unix_ms = stmt->ColumnInt(0);
    updates.push_back(std::move(update));
  }
}

absl::StatusOr<int64_t> SqlEvaluationRepository::LatestVersion() {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("latest_snapshot_version", "SELECT value FROM versions WHERE name = 'snapshot'"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::StatusOr<int64_t> SqlEvaluationRepository::GetCursor(const std::string& source) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("get_cursor", "SELECT version FROM cursors WHERE source = ?"));
  stmt->Bind(1, source);
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqlEvaluationRepository::PutCursor(const std::string& source, int64_t version) {
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer, database_->Writer());
  ASSIGN_OR_RETURN(auto stmt, writer->Prepare("put_cursor",
                                              "INSERT INTO cursors (source, version) VALUES (?, ?) "
                                              "ON CONFLICT (source) DO UPDATE SET version = excluded.version"));
  stmt->Bind(1, source).Bind(2, version);
  return stmt->Run();
}

absl::Status SqlEvaluationRepository::CheckHealth() { return SqlHealth(*database_); }

}  // namespace gzedu::indicators
