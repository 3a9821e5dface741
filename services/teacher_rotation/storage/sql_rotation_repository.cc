#include "services/teacher_rotation/storage/sql_rotation_repository.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "common/status/macros.h"
#include "common/storage/sql_requests.h"
#include "common/storage/sql_transaction.h"

namespace gzedu::rotation {
namespace {

using nlohmann::json;

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "teachers, rotations, change feed, processed requests",
       absl::StrCat(R"sql(
CREATE TABLE teachers (
  teacher_id       TEXT PRIMARY KEY,
  district_code    TEXT NOT NULL,
  school_code      TEXT NOT NULL,
  stage            INTEGER NOT NULL,
  full_time        INTEGER NOT NULL,
  subject          INTEGER NOT NULL,
  highest_degree   INTEGER NOT NULL,
  backbone_level   INTEGER NOT NULL,
  certified        INTEGER NOT NULL,
  training_hours   INTEGER NOT NULL,
  since            TEXT NOT NULL,
  rotation_exempt  INTEGER NOT NULL,
  school_ownership INTEGER NOT NULL,
  change_version   INTEGER NOT NULL
) STRICT;
CREATE INDEX teachers_by_district ON teachers (district_code, teacher_id);
CREATE INDEX teachers_by_school ON teachers (school_code);

CREATE TABLE rotations (
  rotation_id      TEXT PRIMARY KEY,
  teacher_id       TEXT NOT NULL,
  district_code    TEXT NOT NULL,
  from_school_code TEXT NOT NULL,
  to_school_code   TEXT NOT NULL,
  kind             INTEGER NOT NULL,
  effective_date   TEXT NOT NULL,
  end_date         TEXT NOT NULL,
  school_year      INTEGER NOT NULL,
  state            INTEGER NOT NULL,
  history          TEXT NOT NULL,
  change_version   INTEGER NOT NULL
) STRICT;
CREATE INDEX rotations_by_district ON rotations (district_code, rotation_id);
CREATE INDEX rotations_by_teacher ON rotations (teacher_id);
CREATE INDEX rotations_to_school ON rotations (to_school_code);
CREATE INDEX rotations_from_school ON rotations (from_school_code);

CREATE TABLE changes (
  change_version INTEGER PRIMARY KEY,
  request_id     TEXT NOT NULL,
  district_code  TEXT NOT NULL,
  entity_type    TEXT NOT NULL CHECK (entity_type IN ('teacher', 'rotation')),
  body           TEXT NOT NULL
) STRICT;
)sql",
                    kRequestsTableSql)},
  };
  return kMigrations;
}

constexpr char kTeacherColumns[] =
    "teacher_id, district_code, school_code, stage, full_time, subject, highest_degree, backbone_level, certified, "
    "training_hours, since, rotation_exempt, school_ownership, change_version";
constexpr char kRotationColumns[] =
    "rotation_id, teacher_id, district_code, from_school_code, to_school_code, kind, effective_date, end_date, state, "
    "history, change_version";

Teacher ReadTeacher(const SqlStatement& row) {
  Teacher t;
  t.teacher_id = row.ColumnText(0);
  t.district_code = row.ColumnText(1);
  t.school_code = row.ColumnText(2);
  t.stage = static_cast<Stage>(row.ColumnInt(3));
  t.full_time = row.ColumnInt(4) != 0;
  t.subject = static_cast<Subject>(row.ColumnInt(5));
  t.highest_degree = static_cast<Degree>(row.ColumnInt(6));
  t.backbone_level = static_cast<BackboneLevel>(row.ColumnInt(7));
  t.certified = row.ColumnInt(8) != 0;
  t.training_hours_current_cycle = static_cast<int32_t>(row.ColumnInt(9));
  t.at_current_school_since = row.ColumnText(10);
  t.rotation_exempt = row.ColumnInt(11) != 0;
  t.school_ownership = static_cast<SchoolOwnership>(row.ColumnInt(12));
  t.change_version = row.ColumnInt(13);
  return t;
}

json HistoryJson(const std::vector<RotationStep>& history) {
  json steps = json::array();
  for (const RotationStep& s : history) {
    steps.push_back({{"state", static_cast<int>(s.state)},
                     {"actor", s.actor},
                     {"request_id", s.request_id},
                     {"change_version", s.change_version}});
  }
  return steps;
}

absl::StatusOr<std::vector<RotationStep>> ParseHistory(const std::string& text) {
  try {
    std::vector<RotationStep> history;
    for (const json& s : json::parse(text)) {
      history.push_back({static_cast<RotationState>(s.at("state").get<int>()), s.at("actor").get<std::string>(),
                         s.at("request_id").get<std::string>(), s.at("change_version").get<int64_t>()});
    }
    return history;
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt rotation history: ", e.what()));
  }
}

absl::StatusOr<Rotation> ReadRotation(const SqlStatement& row) {
  Rotation r;
  r.rotation_id = row.ColumnText(0);
  r.teacher_id = row.ColumnText(1);
  r.district_code = row.ColumnText(2);
  r.from_school_code = row.ColumnText(3);
  r.to_school_code = row.ColumnText(4);
  r.kind = static_cast<RotationKind>(row.ColumnInt(5));
  r.effective_date = row.ColumnText(6);
  r.end_date = row.ColumnText(7);
  r.state = static_cast<RotationState>(row.ColumnInt(8));
  ASSIGN_OR_RETURN(r.history, ParseHistory(row.ColumnText(9)));
  r.change_version = row.ColumnInt(10);
  return r;
}

// Change bodies: the entity as written, as JSON.
std::string TeacherBody(const Teacher& t) {
  return json{{"teacher_id", t.teacher_id},
              {"district_code", t.district_code},
              {"school_code", t.school_code},
              {"stage", static_cast<int>(t.stage)},
              {"full_time", t.full_time},
              {"subject", static_cast<int>(t.subject)},
              {"highest_degree", static_cast<int>(t.highest_degree)},
              {"backbone_level", static_cast<int>(t.backbone_level)},
              {"certified", t.certified},
              {"training_hours", t.training_hours_current_cycle},
              {"since", t.at_current_school_since},
              {"rotation_exempt", t.rotation_exempt},
              {"school_ownership", static_cast<int>(t.school_ownership)}}
      .dump();
}

std::string RotationBody(const Rotation& r) {
  return json{{"rotation_id", r.rotation_id},       {"teacher_id", r.teacher_id},
              {"district_code", r.district_code},   {"from_school_code", r.from_school_code},
              {"to_school_code", r.to_school_code}, {"kind", static_cast<int>(r.kind)},
              {"effective_date", r.effective_date}, {"end_date", r.end_date},
              {"state", static_cast<int>(r.state)}, {"history", HistoryJson(r.history)}}
      .dump();
}

absl::StatusOr<Change> ReadChange(const SqlStatement& row) {
  Change change;
  change.change_version = row.ColumnInt(0);
  change.request_id = row.ColumnText(1);
  change.district_code = row.ColumnText(2);
  try {
    const json body = json::parse(row.ColumnText(4));
    if (row.ColumnText(3) == "teacher") {
      Teacher t;
      t.teacher_id = body.at("teacher_id").get<std::string>();
      t.district_code = body.at("district_code").get<std::string>();
      t.school_code = body.at("school_code").get<std::string>();
      t.stage = static_cast<Stage>(body.at("stage").get<int>());
      t.full_time = body.at("full_time").get<bool>();
      t.subject = static_cast<Subject>(body.at("subject").get<int>());
      t.highest_degree = static_cast<Degree>(body.at("highest_degree").get<int>());
      t.backbone_level = static_cast<BackboneLevel>(body.at("backbone_level").get<int>());
      t.certified = body.at("certified").get<bool>();
      t.training_hours_current_cycle = body.at("training_hours").get<int32_t>();
      t.at_current_school_since = body.at("since").get<std::string>();
      t.rotation_exempt = body.at("rotation_exempt").get<bool>();
      t.school_ownership = static_cast<SchoolOwnership>(body.at("school_ownership").get<int>());
      t.change_version = change.change_version;
      change.entity = std::move(t);
    } else {
      Rotation r;
      r.rotation_id = body.at("rotation_id").get<std::string>();
      r.teacher_id = body.at("teacher_id").get<std::string>();
      r.district_code = body.at("district_code").get<std::string>();
      r.from_school_code = body.at("from_school_code").get<std::string>();
      r.to_school_code = body.at("to_school_code").get<std::string>();
      r.kind = static_cast<RotationKind>(body.at("kind").get<int>());
      r.effective_date = body.at("effective_date").get<std::string>();
      r.end_date = body.at("end_date").get<std::string>();
      r.state = static_cast<RotationState>(body.at("state").get<int>());
      ASSIGN_OR_RETURN(r.history, ParseHistory(body.at("history").dump()));
      r.change_version = change.change_version;
      change.entity = std::move(r);
    }
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt change ", change.change_version, ": ", e.what()));
  }
  return change;
}

template <typename T, typename Read>
absl::StatusOr<std::vector<T>> Collect(SqlStatement& stmt, Read read) {
  std::vector<T> result;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return result;
    if constexpr (std::is_same_v<decltype(read(stmt)), T>) {
      result.push_back(read(stmt));
    } else {
      ASSIGN_OR_RETURN(T item, read(stmt));
      result.push_back(std::move(item));
    }
  }
}

absl::StatusOr<std::vector<Rotation>> ApprovedOfTeacher(SqlConnection& connection, absl::string_view teacher_id) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("approved_rotations_of_teacher",
                                                 absl::StrCat("SELECT ", kRotationColumns,
                                                              " FROM rotations WHERE teacher_id = ? AND state = 2 "
                                                              "ORDER BY rotation_id")));
  stmt->Bind(1, teacher_id);
  return Collect<Rotation>(*stmt, ReadRotation);
}

}  // namespace

// A write transaction. Teachers are written a batch at a time, not a
// statement per teacher: PrefetchTeachers reads a batch's teachers with one
// statement, FindTeacher then answers from memory (writers are serialised),
// and teachers with their changes are held until Commit, which sends them as
// one statement per table (on PostgreSQL, arrays unnested; on SQLite, in
// process, row by row) before committing. Rotations are written at once.
class SqlRotationRepository::Transaction : public RotationWriteTransaction, public SqlWriteTransaction {
 public:
  Transaction(SqlDatabase::Lease writer, SqlDialect dialect)
      : SqlWriteTransaction(std::move(writer)), dialect_(dialect) {}

  absl::Status Start(const std::string& begin_sql) { return Begin(begin_sql); }

  absl::Status PrefetchTeachers(const std::vector<std::string>& teacher_ids) override {
    SqlArray ids(dialect_);
    for (const std::string& id : teacher_ids) {
      if (teachers_.count(id) == 0) ids.Add(id);
    }
    if (ids.size() == 0) return absl::OkStatus();
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("find_teachers", absl::StrCat("SELECT ", kTeacherColumns, " FROM teachers WHERE ",
                                                                    SqlAnyOf(dialect_, "teacher_id"))));
    stmt->Bind(1, ids.Finish());
    ASSIGN_OR_RETURN(std::vector<Teacher> found, Collect<Teacher>(*stmt, ReadTeacher));
    // Absent ones are known absent: no other writer runs until we commit.
    for (const std::string& id : teacher_ids) teachers_.emplace(id, std::nullopt);
    for (Teacher& t : found) teachers_[t.teacher_id] = std::move(t);
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    return FindSqlRequest(writer(), request_id);
  }
  absl::Status PutRequest(const RequestRecord& request) override { return PutSqlRequest(writer(), request); }

  absl::StatusOr<std::optional<Teacher>> FindTeacher(absl::string_view teacher_id) override {
    if (auto it = teachers_.find(teacher_id); it != teachers_.end()) return it->second;
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("find_teacher", absl::StrCat("SELECT ", kTeacherColumns,
                                                                              " FROM teachers WHERE teacher_id = ?")));
    stmt->Bind(1, teacher_id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    std::optional<Teacher> found;
    if (row) found = ReadTeacher(*stmt);
    teachers_.emplace(std::string(teacher_id), found);
    return found;
  }

  absl::StatusOr<std::optional<Rotation>> FindRotation(absl::string_view rotation_id) override {
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("find_rotation", absl::StrCat("SELECT ", kRotationColumns,
                                                                    " FROM rotations WHERE rotation_id = ?")));
    stmt->Bind(1, rotation_id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return std::optional<Rotation>();
    ASSIGN_OR_RETURN(Rotation rotation, ReadRotation(*stmt));
    return std::optional<Rotation>(std::move(rotation));
  }

  absl::StatusOr<std::vector<Rotation>> RotationsOfTeacher(absl::string_view teacher_id) override {
    ASSIGN_OR_RETURN(auto stmt,
                     writer().Prepare("rotations_of_teacher", absl::StrCat("SELECT ", kRotationColumns,
                                                                           " FROM rotations WHERE teacher_id = ? "
                                                                           "ORDER BY rotation_id")));
    stmt->Bind(1, teacher_id);
    return Collect<Rotation>(*stmt, ReadRotation);
  }

  absl::StatusOr<int64_t> CountRotations() override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("count_rotations", "SELECT COUNT(*) FROM rotations"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row ? stmt->ColumnInt(0) : 0;
  }

  absl::StatusOr<int64_t> NextChangeVersion() override { return PeekVersion(); }

  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    ASSIGN_OR_RETURN(int64_t version, NextChangeVersion());
    if (const auto* teacher = std::get_if<Teacher>(&change.entity)) {
      new_teacher_changes_.push_back({version, change.request_id, change.district_code, TeacherBody(*teacher)});
      AdvanceVersion();
      return version;
    }
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_change",
                                                 "INSERT INTO changes (change_version, request_id, district_code, "
                                                 "entity_type, body) VALUES (?, ?, ?, ?, ?)"));
    stmt->Bind(1, version).Bind(2, change.request_id).Bind(3, change.district_code);
    if (const auto* teacher = std::get_if<Teacher>(&change.entity)) {
      stmt->Bind(4, absl::string_view("teacher")).Bind(5, TeacherBody(*teacher));
    } else {
      stmt->Bind(4, absl::string_view("rotation")).Bind(5, RotationBody(std::get<Rotation>(change.entity)));
    }
    RETURN_IF_ERROR(stmt->Run());
    AdvanceVersion();
    return version;
  }

  absl::Status PutTeacher(const Teacher& t) override {
    teachers_[t.teacher_id] = t;
    new_teachers_[t.teacher_id] = t;
    return absl::OkStatus();
  }

  absl::Status PutRotation(const Rotation& r) override {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_rotation",
                                                 UpsertSql("rotations",
                                                           "rotation_id, teacher_id, district_code, from_school_code, "
                                                           "to_school_code, kind, effective_date, end_date, "
                                                           "school_year, state, history, change_version",
                                                           "rotation_id")));
    stmt->Bind(1, r.rotation_id).Bind(2, r.teacher_id).Bind(3, r.district_code).Bind(4, r.from_school_code);
    stmt->Bind(5, r.to_school_code).Bind(6, int64_t{static_cast<int>(r.kind)}).Bind(7, r.effective_date);
    stmt->Bind(8, r.end_date).Bind(9, int64_t{Date::Parse(r.effective_date).value_or(Date{}).SchoolYear()});
    stmt->Bind(10, int64_t{static_cast<int>(r.state)}).Bind(11, HistoryJson(r.history).dump());
    stmt->Bind(12, r.change_version);
    return stmt->Run();
  }

  absl::Status Commit() override {
    RETURN_IF_ERROR(dialect_ == SqlDialect::kPostgres ? WriteTeachersOnPostgres() : WriteTeachersRowByRow());
    return CommitTransaction();
  }

 private:
  struct ChangeRow {
    int64_t version;
    std::string request_id;
    std::string district_code;
    std::string body;
  };

  // One statement per table, whatever the batch's size: each column goes as
  // an array and UNNEST turns the arrays back into rows.
  absl::Status WriteTeachersOnPostgres() {
    if (!new_teachers_.empty()) {
      std::vector<SqlArray> columns(14, SqlArray(dialect_));
      for (const auto& [id, t] : new_teachers_) {
        columns[0].Add(t.teacher_id);
        columns[1].Add(t.district_code);
        columns[2].Add(t.school_code);
        columns[3].Add(int64_t{static_cast<int>(t.stage)});
        columns[4].Add(int64_t{t.full_time});
        columns[5].Add(int64_t{static_cast<int>(t.subject)});
        columns[6].Add(int64_t{static_cast<int>(t.highest_degree)});
        columns[7].Add(int64_t{static_cast<int>(t.backbone_level)});
        columns[8].Add(int64_t{t.certified});
        columns[9].Add(int64_t{t.training_hours_current_cycle});
        columns[10].Add(t.at_current_school_since);
        columns[11].Add(int64_t{t.rotation_exempt});
        columns[12].Add(int64_t{static_cast<int>(t.school_ownership)});
        columns[13].Add(t.change_version);
      }
      ASSIGN_OR_RETURN(
          auto stmt,
          writer().Prepare("put_teachers", UnnestUpsertSql("teachers", kTeacherColumns,
                                                           "text, text, text, bigint, bigint, bigint, bigint, "
                                                           "bigint, bigint, bigint, text, bigint, bigint, bigint",
                                                           "teacher_id")));
      for (size_t i = 0; i < columns.size(); ++i) stmt->Bind(static_cast<int>(i) + 1, columns[i].Finish());
      RETURN_IF_ERROR(stmt->Run());
    }
    if (!new_teacher_changes_.empty()) {
      SqlArray version(dialect_), request(dialect_), district(dialect_), type(dialect_), body(dialect_);
      for (const ChangeRow& c : new_teacher_changes_) {
        version.Add(c.version);
        request.Add(c.request_id);
        district.Add(c.district_code);
        type.Add("teacher");
        body.Add(c.body);
      }
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_teacher_changes",
                                                   "INSERT INTO changes (change_version, request_id, district_code, "
                                                   "entity_type, body) SELECT * FROM UNNEST(CAST(? AS bigint[]), "
                                                   "CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), "
                                                   "CAST(? AS text[]))"));
      stmt->Bind(1, version.Finish()).Bind(2, request.Finish()).Bind(3, district.Finish());
      stmt->Bind(4, type.Finish()).Bind(5, body.Finish());
      RETURN_IF_ERROR(stmt->Run());
    }
    return absl::OkStatus();
  }

  // SQLite runs in process: a statement per row costs no round trip.
  absl::Status WriteTeachersRowByRow() {
    for (const auto& [id, t] : new_teachers_) RETURN_IF_ERROR(WriteTeacher(t));
    for (const ChangeRow& c : new_teacher_changes_) {
      ASSIGN_OR_RETURN(auto stmt, writer().Prepare("append_change",
                                                   "INSERT INTO changes (change_version, request_id, district_code, "
                                                   "entity_type, body) VALUES (?, ?, ?, ?, ?)"));
      stmt->Bind(1, c.version).Bind(2, c.request_id).Bind(3, c.district_code);
      stmt->Bind(4, absl::string_view("teacher")).Bind(5, c.body);
      RETURN_IF_ERROR(stmt->Run());
    }
    return absl::OkStatus();
  }

  absl::Status WriteTeacher(const Teacher& t) {
    ASSIGN_OR_RETURN(auto stmt, writer().Prepare("put_teacher", UpsertSql("teachers", kTeacherColumns, "teacher_id")));
    stmt->Bind(1, t.teacher_id).Bind(2, t.district_code).Bind(3, t.school_code);
    stmt->Bind(4, int64_t{static_cast<int>(t.stage)}).Bind(5, int64_t{t.full_time});
    stmt->Bind(6, int64_t{static_cast<int>(t.subject)}).Bind(7, int64_t{static_cast<int>(t.highest_degree)});
    stmt->Bind(8, int64_t{static_cast<int>(t.backbone_level)}).Bind(9, int64_t{t.certified});
    stmt->Bind(10, int64_t{t.training_hours_current_cycle}).Bind(11, t.at_current_school_since);
    stmt->Bind(12, int64_t{t.rotation_exempt}).Bind(13, int64_t{static_cast<int>(t.school_ownership)});
    stmt->Bind(14, t.change_version);
    return stmt->Run();
  }

  SqlDialect dialect_;
  // Teachers this transaction read or wrote (an empty optional: known
  // absent), and the teacher writes not yet sent (by id: the last wins).
  std::map<std::string, std::optional<Teacher>, std::less<>> teachers_;
  std::map<std::string, Teacher> new_teachers_;
  std::vector<ChangeRow> new_teacher_changes_;
};

absl::StatusOr<std::unique_ptr<SqlRotationRepository>> SqlRotationRepository::Open(absl::string_view url,
                                                                                   StorageObserver* observer) {
  ASSIGN_OR_RETURN(std::unique_ptr<SqlDatabase> database, OpenSqlDatabase(url, observer));
  RETURN_IF_ERROR(database->Migrate(Migrations()));
  return std::unique_ptr<SqlRotationRepository>(new SqlRotationRepository(std::move(database)));
}

std::unique_ptr<SqlRotationRepository> SqlRotationRepository::OpenDeferred(absl::string_view url,
                                                                           StorageObserver* observer,
                                                                           DeferredSqlDatabase** database) {
  auto deferred = std::make_unique<DeferredSqlDatabase>(std::string(url), Migrations(), observer);
  *database = deferred.get();
  return std::unique_ptr<SqlRotationRepository>(new SqlRotationRepository(std::move(deferred)));
}

absl::StatusOr<std::unique_ptr<RotationWriteTransaction>> SqlRotationRepository::BeginWrite() {
  ASSIGN_OR_RETURN(SqlDatabase::Lease writer, database_->Writer());
  auto transaction = std::make_unique<Transaction>(std::move(writer), database_->dialect());
  RETURN_IF_ERROR(transaction->Start(BeginBatchWriteSql(*database_)));
  return std::unique_ptr<RotationWriteTransaction>(std::move(transaction));
}

absl::StatusOr<std::vector<Teacher>> SqlRotationRepository::ListTeachers(absl::string_view district_code,
                                                                         absl::string_view school_code,
                                                                         absl::string_view after_id, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("list_teachers", absl::StrCat("SELECT ", kTeacherColumns,
                                                                 " FROM teachers WHERE district_code = ? AND "
                                                                 "(? = '' OR school_code = ?) AND teacher_id > ? "
                                                                 "ORDER BY teacher_id LIMIT ?")));
  stmt->Bind(1, district_code).Bind(2, school_code).Bind(3, school_code).Bind(4, after_id).Bind(5, int64_t{limit});
  return Collect<Teacher>(*stmt, ReadTeacher);
}

absl::StatusOr<std::vector<Teacher>> SqlRotationRepository::TeachersOfDistrict(absl::string_view district_code) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("teachers_of_district",
                                   absl::StrCat("SELECT ", kTeacherColumns, " FROM teachers WHERE district_code = ?")));
  stmt->Bind(1, district_code);
  return Collect<Teacher>(*stmt, ReadTeacher);
}

absl::StatusOr<std::vector<Teacher>> SqlRotationRepository::TeachersAroundSchool(absl::string_view school_code) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("teachers_around_school",
                                              absl::StrCat("SELECT ", kTeacherColumns,
                                                           " FROM teachers WHERE school_code = ?1 OR teacher_id IN "
                                                           "(SELECT teacher_id FROM rotations WHERE state = 2 AND "
                                                           "(to_school_code = ?1 OR from_school_code = ?1)) "
                                                           "ORDER BY teacher_id")));
  stmt->Bind(1, school_code);
  return Collect<Teacher>(*stmt, ReadTeacher);
}

absl::StatusOr<std::vector<Rotation>> SqlRotationRepository::ListRotations(absl::string_view district_code,
                                                                           int32_t school_year,
                                                                           absl::string_view after_id, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("list_rotations", absl::StrCat("SELECT ", kRotationColumns,
                                                                  " FROM rotations WHERE district_code = ? AND "
                                                                  "(? = 0 OR school_year = ?) AND rotation_id > ? "
                                                                  "ORDER BY rotation_id LIMIT ?")));
  stmt->Bind(1, district_code).Bind(2, int64_t{school_year}).Bind(3, int64_t{school_year});
  stmt->Bind(4, after_id).Bind(5, int64_t{limit});
  return Collect<Rotation>(*stmt, ReadRotation);
}

absl::StatusOr<std::vector<Rotation>> SqlRotationRepository::ApprovedRotationsOfDistrict(
    absl::string_view district_code) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("approved_rotations_of_district",
                                              absl::StrCat("SELECT ", kRotationColumns,
                                                           " FROM rotations WHERE district_code = ? AND state = 2")));
  stmt->Bind(1, district_code);
  return Collect<Rotation>(*stmt, ReadRotation);
}

absl::StatusOr<std::vector<Rotation>> SqlRotationRepository::ApprovedRotationsOfTeachers(
    const std::vector<std::string>& ids) {
  SqlDatabase::Lease reader = database_->Reader();
  std::vector<Rotation> result;
  for (const std::string& id : ids) {
    ASSIGN_OR_RETURN(std::vector<Rotation> rotations, ApprovedOfTeacher(*reader, id));
    for (Rotation& rotation : rotations) result.push_back(std::move(rotation));
  }
  return result;
}

absl::StatusOr<std::vector<Change>> SqlRotationRepository::ListChanges(int64_t since_version, int32_t limit) {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("list_changes",
                                              "SELECT change_version, request_id, district_code, entity_type, body "
                                              "FROM changes WHERE change_version > ? ORDER BY change_version "
                                              "LIMIT ?"));
  stmt->Bind(1, since_version).Bind(2, int64_t{limit});
  return Collect<Change>(*stmt, ReadChange);
}

absl::StatusOr<int64_t> SqlRotationRepository::LatestChangeVersion() {
  SqlDatabase::Lease reader = database_->Reader();
  ASSIGN_OR_RETURN(auto stmt,
                   reader->Prepare("latest_change_version", "SELECT COALESCE(MAX(change_version), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqlRotationRepository::CheckHealth() { return SqlHealth(*database_); }

}  // namespace gzedu::rotation
