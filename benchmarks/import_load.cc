// Load tool for batch upserts on SQL (issue 17: on PostgreSQL, a batch
// upsert of schools or teachers at least half as fast as a plain multi-row
// insert of the same rows into the same server).
//
// For SQLite (files in a temporary directory, synchronous=FULL) and, when
// POSTGRES names a database on a PostgreSQL server, for PostgreSQL too (the
// tool creates two fresh databases beside it for the run and drops them):
// starts the teacher rotation service in this process on a loopback port,
// imports TEACHERS teachers through UpsertTeachers in batches, imports them
// again with every teacher changed (every row an update), and then writes
// the same rows with plain multi-row INSERTs, a batch per transaction, into
// a table like `teachers` (same columns, same indexes) on the same
// database; then the same with TEACHERS / 10 schools through the school
// registry's UpsertSchools, and two school-year records per school through
// UpsertSchoolYearRecords (against plain INSERTs of the very rows the
// service stored, JSON bodies included). Every write is committed durably
// before the next batch.
//
//   cmake --build build --target import_load && build/benchmarks/import_load [--verbose] [TEACHERS [POSTGRES|- [ONLY]]]
//
// ONLY is "teachers" or "schools" (schools and their school-year records).
// The services' log lines (an audit record per batch) go to servers.log in
// the temporary directory, kept when the run fails; --verbose shows them.
// The PostgreSQL databases the run creates are dropped at its end.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "benchmarks/server_log.h"
#include "common/domain/districts.h"
#include "common/grpc/server_runner.h"
#include "common/logging/log.h"
#include "common/storage/sql_database.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/school_registry_grpc_service.h"
#include "services/school_registry/storage/sql_school_repository.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"
#include "services/teacher_rotation/grpc/teacher_rotation_grpc_service.h"
#include "services/teacher_rotation/storage/sql_rotation_repository.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = gzedu::rotation::v1;
namespace v1r = gzedu::registry::v1;
constexpr int kBatch = 1000;

double Seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

v1::Teacher MakeTeacher(const std::string& district, int n) {
  v1::Teacher t;
  t.set_teacher_id("T" + district + "-" + std::to_string(n));
  t.set_district_code(district);
  char school[16];
  std::snprintf(school, sizeof school, "21%s%04d", district.substr(2).c_str(), n % 97);
  t.set_school_code(school);
  t.set_stage(n % 3 == 0 ? gzedu::common::v1::STAGE_JUNIOR : gzedu::common::v1::STAGE_PRIMARY);
  t.set_full_time(n % 20 != 0);
  t.set_subject(n % 9 == 0 ? v1::SUBJECT_PE : v1::SUBJECT_OTHER);
  t.set_highest_degree(n % 5 == 0 ? v1::DEGREE_MASTER : v1::DEGREE_BACHELOR);
  t.set_backbone_level(n % 6 == 0 ? v1::BACKBONE_LEVEL_COUNTY : v1::BACKBONE_LEVEL_NONE);
  t.set_certified(true);
  t.set_training_hours_current_cycle(300 + n % 200);
  t.set_at_current_school_since(n % 4 == 0 ? "2020-09-01" : "2012-08-25");
  t.set_school_ownership(n % 10 == 0 ? v1::SCHOOL_OWNERSHIP_PRIVATE : v1::SCHOOL_OWNERSHIP_PUBLIC);
  return t;
}

std::string Quoted(const std::string& text) { return absl::StrCat("'", absl::StrReplaceAll(text, {{"'", "''"}}), "'"); }

// The rows of `teachers` as one multi-row INSERT into plain_teachers.
std::string PlainInsertSql(const std::vector<v1::Teacher>& teachers, size_t begin, size_t end) {
  std::vector<std::string> rows;
  for (size_t i = begin; i < end; ++i) {
    const v1::Teacher& t = teachers[i];
    rows.push_back(absl::StrCat("(", Quoted(t.teacher_id()), ", ", Quoted(t.district_code()), ", ",
                                Quoted(t.school_code()), ", ", t.stage(), ", ", t.full_time() ? 1 : 0, ", ",
                                t.subject(), ", ", t.highest_degree(), ", ", t.backbone_level(), ", ",
                                t.certified() ? 1 : 0, ", ", t.training_hours_current_cycle(), ", ",
                                Quoted(t.at_current_school_since()), ", 0, ", t.school_ownership(), ", ", i + 1, ")"));
  }
  return absl::StrCat(
      "INSERT INTO plain_teachers (teacher_id, district_code, school_code, stage, full_time, subject, "
      "highest_degree, backbone_level, certified, training_hours, since, rotation_exempt, school_ownership, "
      "change_version) VALUES ",
      absl::StrJoin(rows, ", "));
}

struct Figures {
  double created_per_second = 0;
  double updated_per_second = 0;
  double plain_per_second = 0;
};

// Sends `rows` through one batch upsert RPC, kBatch rows per call, each call
// with its own request id; `rows_of` names the request's repeated field and
// `call` the RPC (e.g. the stub's UpsertTeachers). False on the first
// failure, said on stderr.
template <typename Request, typename Response, typename Row, typename RowsOf, typename Call>
bool UpsertInBatches(const std::vector<Row>& rows, const std::string& pass, const char* method, RowsOf rows_of,
                     Call call) {
  for (size_t begin = 0; begin < rows.size(); begin += kBatch) {
    Request request;
    request.set_request_id(pass + "-" + std::to_string(begin));
    auto* batch = rows_of(request);
    for (size_t i = begin; i < std::min(rows.size(), begin + kBatch); ++i) *batch->Add() = rows[i];
    Response response;
    grpc::ClientContext context;
    const grpc::Status status = call(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(gzedu::benchmarks::Terminal(), "%s failed: %s\n", method, status.error_message().c_str());
      return false;
    }
  }
  return true;
}

bool Upsert(v1::TeacherRotationService::Stub& stub, const std::vector<v1::Teacher>& roster, const std::string& pass) {
  return UpsertInBatches<v1::UpsertTeachersRequest, v1::UpsertTeachersResponse>(
      roster, pass, "UpsertTeachers", [](auto& request) { return request.mutable_teachers(); },
      [&](auto* context, const auto& request, auto* response) {
        return stub.UpsertTeachers(context, request, response);
      });
}

bool UpsertSchools(v1r::SchoolRegistryService::Stub& stub, const std::vector<v1r::School>& schools,
                   const std::string& pass) {
  return UpsertInBatches<v1r::UpsertSchoolsRequest, v1r::UpsertSchoolsResponse>(
      schools, pass, "UpsertSchools", [](auto& request) { return request.mutable_schools(); },
      [&](auto* context, const auto& request, auto* response) {
        return stub.UpsertSchools(context, request, response);
      });
}

bool UpsertSchoolYears(v1r::SchoolRegistryService::Stub& stub, const std::vector<v1r::SchoolYearRecord>& records,
                       const std::string& pass) {
  return UpsertInBatches<v1r::UpsertSchoolYearRecordsRequest, v1r::UpsertSchoolYearRecordsResponse>(
      records, pass, "UpsertSchoolYearRecords", [](auto& request) { return request.mutable_records(); },
      [&](auto* context, const auto& request, auto* response) {
        return stub.UpsertSchoolYearRecords(context, request, response);
      });
}

constexpr char kPlainTeachersSqlite[] =
    "CREATE TABLE plain_teachers (teacher_id TEXT PRIMARY KEY, district_code TEXT NOT NULL, school_code TEXT NOT "
    "NULL, stage INTEGER NOT NULL, full_time INTEGER NOT NULL, subject INTEGER NOT NULL, highest_degree INTEGER NOT "
    "NULL, backbone_level INTEGER NOT NULL, certified INTEGER NOT NULL, training_hours INTEGER NOT NULL, since TEXT "
    "NOT NULL, rotation_exempt INTEGER NOT NULL, school_ownership INTEGER NOT NULL, change_version INTEGER NOT NULL) "
    "STRICT; CREATE INDEX plain_teachers_by_district ON plain_teachers (district_code, teacher_id); CREATE INDEX "
    "plain_teachers_by_school ON plain_teachers (school_code)";
constexpr char kPlainSchoolYearsSqlite[] =
    "CREATE TABLE plain_school_year_records (school_code TEXT NOT NULL REFERENCES schools (school_code), "
    "school_year INTEGER NOT NULL, body TEXT NOT NULL, change_version INTEGER NOT NULL, PRIMARY KEY (school_code, "
    "school_year)) STRICT; CREATE INDEX plain_school_year_records_by_year ON plain_school_year_records "
    "(school_year, school_code)";
constexpr char kPlainSchoolsSqlite[] =
    "CREATE TABLE plain_schools (school_code TEXT PRIMARY KEY, name TEXT NOT NULL, district_code TEXT NOT NULL, "
    "school_type INTEGER NOT NULL, ownership INTEGER NOT NULL, locale INTEGER NOT NULL, boarding INTEGER NOT NULL, "
    "build_year INTEGER NOT NULL, change_version INTEGER NOT NULL) STRICT; CREATE INDEX plain_schools_by_district ON "
    "plain_schools (district_code, school_code)";

// Writes `rows` rows with the multi-row INSERTs `batch` makes, a batch of
// kBatch per transaction, into plain_<table> (on PostgreSQL made LIKE the
// service's table, indexes included; on SQLite by `sqlite_create`) on
// `database`, and sets `per_second`. False on failure.
template <typename Batch>
bool TimePlain(const std::string& database, const char* sqlite_create, size_t rows, Batch batch, double& per_second) {
  auto plain = gzedu::OpenSqlDatabase(database, nullptr);
  if (!plain.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "plain insert: %s\n", plain.status().ToString().c_str());
    return false;
  }
  absl::StatusOr<gzedu::SqlDatabase::Lease> leased = (*plain)->Writer();
  if (!leased.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "plain insert: %s\n", leased.status().ToString().c_str());
    return false;
  }
  gzedu::SqlDatabase::Lease& writer = *leased;
  // A timing of its own, not a service's write: no write budget.
  writer->SetDeadline(std::nullopt);
  const bool postgres = (*plain)->dialect() == gzedu::SqlDialect::kPostgres;
  const std::string create(sqlite_create);
  const std::string table = create.find("plain_teachers") != std::string::npos              ? "teachers"
                            : create.find("plain_school_year_records") != std::string::npos ? "school_year_records"
                                                                                            : "schools";
  absl::Status status = writer->Exec(
      postgres ? absl::StrCat("CREATE TABLE plain_", table, " (LIKE ", table, " INCLUDING ALL)") : sqlite_create);
  const auto start = Clock::now();
  for (size_t begin = 0; begin < rows && status.ok(); begin += kBatch) {
    status = writer->Exec(absl::StrCat("BEGIN; ", batch(begin, std::min(rows, begin + kBatch)), "; COMMIT"));
  }
  if (!status.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "plain insert: %s\n", status.ToString().c_str());
    return false;
  }
  per_second = rows / Seconds(start);
  return true;
}

v1r::School MakeSchool(int n) {
  v1r::School school;
  const gzedu::District& district = gzedu::kDistricts[n % 11];
  char code[16];
  std::snprintf(code, sizeof code, "31%08d", n);
  school.set_school_code(code);
  school.set_name("学校" + std::to_string(n));
  school.set_district_code(std::string(district.code));
  school.set_school_type(v1r::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(v1r::OWNERSHIP_PUBLIC);
  school.set_locale(v1r::LOCALE_URBAN);
  school.set_build_year(1990 + n % 30);
  return school;
}

std::string PlainSchoolsSql(const std::vector<v1r::School>& schools, size_t begin, size_t end) {
  std::vector<std::string> rows;
  for (size_t i = begin; i < end; ++i) {
    const v1r::School& s = schools[i];
    rows.push_back(absl::StrCat("(", Quoted(s.school_code()), ", ", Quoted(s.name()), ", ", Quoted(s.district_code()),
                                ", ", s.school_type(), ", ", s.ownership(), ", ", s.locale(), ", ",
                                s.boarding() ? 1 : 0, ", ", s.build_year(), ", ", i + 1, ")"));
  }
  return absl::StrCat(
      "INSERT INTO plain_schools (school_code, name, district_code, school_type, ownership, locale, boarding, "
      "build_year, change_version) VALUES ",
      absl::StrJoin(rows, ", "));
}

// A primary school's record for `year`: one section with its classes, the
// facilities a school reports (what the bundled city's records hold).
v1r::SchoolYearRecord MakeSchoolYear(const v1r::School& school, int n, int year) {
  v1r::SchoolYearRecord record;
  record.set_school_code(school.school_code());
  record.set_school_year(year);
  v1r::SchoolSection* section = record.add_sections();
  section->set_stage(gzedu::common::v1::STAGE_PRIMARY);
  const int classes = 12 + n % 24;
  section->set_classes(classes);
  int students = 0;
  for (int c = 0; c < classes; ++c) {
    const int size = 38 + (n + c) % 8;
    section->add_class_sizes(size);
    students += size;
  }
  section->set_students(students);
  v1r::SchoolFacilities* facilities = record.mutable_facilities();
  facilities->set_teaching_area_m2(4.5 * students);
  facilities->set_sports_area_m2(7.5 * students);
  facilities->set_equipment_value_fen(int64_t{250000} * students);
  facilities->set_multimedia_rooms(classes + 2);
  facilities->add_music_room_areas_m2(96);
  facilities->add_art_room_areas_m2(90);
  return record;
}

// A row of school_year_records as the service wrote it.
struct StoredRecord {
  std::string school_code;
  int64_t school_year = 0;
  std::string body;
  int64_t change_version = 0;
};

// The rows the service wrote into school_year_records, JSON bodies and all.
std::vector<StoredRecord> ReadStoredRecords(const std::string& database) {
  std::vector<StoredRecord> rows;
  auto db = gzedu::OpenSqlDatabase(database, nullptr);
  if (!db.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "reading school_year_records: %s\n", db.status().ToString().c_str());
    return rows;
  }
  absl::StatusOr<gzedu::SqlDatabase::Lease> reader = (*db)->Writer();
  if (!reader.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "reading school_year_records: %s\n",
                 reader.status().ToString().c_str());
    return rows;
  }
  auto statement = (*reader)->Prepare(
      "stored_school_years",
      "SELECT school_code, school_year, body, change_version FROM school_year_records ORDER BY school_code, "
      "school_year");
  absl::Status status = statement.status();
  while (status.ok()) {
    absl::StatusOr<bool> row = (*statement)->Step();
    if (!row.ok()) status = row.status();
    if (!status.ok() || !*row) break;
    const gzedu::SqlStatement& r = **statement;
    rows.push_back({r.ColumnText(0), r.ColumnInt(1), r.ColumnText(2), r.ColumnInt(3)});
  }
  if (!status.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "reading school_year_records: %s\n", status.ToString().c_str());
    return {};
  }
  return rows;
}

// The same rows as one multi-row INSERT into plain_school_year_records.
std::string PlainSchoolYearsSql(const std::vector<StoredRecord>& records, size_t begin, size_t end) {
  std::vector<std::string> rows;
  for (size_t i = begin; i < end; ++i) {
    const StoredRecord& r = records[i];
    rows.push_back(absl::StrCat("(", Quoted(r.school_code), ", ", r.school_year, ", ", Quoted(r.body), ", ",
                                r.change_version, ")"));
  }
  return absl::StrCat("INSERT INTO plain_school_year_records (school_code, school_year, body, change_version) VALUES ",
                      absl::StrJoin(rows, ", "));
}

// Upserts `schools`, then `records`, through a registry on `database`, new
// and then all changed; the service is gone (its database closed) on return.
bool UpsertThroughRegistry(const std::string& database, std::vector<v1r::School> schools,
                           std::vector<v1r::SchoolYearRecord> records, Figures& figures, Figures& school_years) {
  auto repository = gzedu::registry::SqlSchoolRepository::Open(database, nullptr);
  if (!repository.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "%s\n", repository.status().ToString().c_str());
    return false;
  }
  gzedu::registry::SchoolRegistry registry(repository->get());
  gzedu::registry::SchoolRegistryGrpcService service(&registry);
  gzedu::Metrics metrics;
  gzedu::GrpcServerRunner runner;
  gzedu::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "127.0.0.1:0";
  options.service_names = {"gzedu.registry.v1.SchoolRegistryService"};
  if (!runner.Start(options, {&service}, metrics).ok()) return false;
  auto stub = v1r::SchoolRegistryService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(runner.grpc_port()), grpc::InsecureChannelCredentials()));
  auto start = Clock::now();
  if (!UpsertSchools(*stub, schools, "create")) return false;
  figures.created_per_second = schools.size() / Seconds(start);
  for (v1r::School& s : schools) s.set_build_year(s.build_year() + 1);
  start = Clock::now();
  if (!UpsertSchools(*stub, schools, "update")) return false;
  figures.updated_per_second = schools.size() / Seconds(start);
  start = Clock::now();
  if (!UpsertSchoolYears(*stub, records, "create-years")) return false;
  school_years.created_per_second = records.size() / Seconds(start);
  for (v1r::SchoolYearRecord& r : records) {
    r.mutable_facilities()->set_multimedia_rooms(r.facilities().multimedia_rooms() + 1);
  }
  start = Clock::now();
  if (!UpsertSchoolYears(*stub, records, "update-years")) return false;
  school_years.updated_per_second = records.size() / Seconds(start);
  runner.Shutdown(std::chrono::milliseconds(100));
  return true;
}

bool RunSchools(const std::string& database, const std::vector<v1r::School>& schools, Figures& figures,
                Figures& school_years) {
  // Two school years per school.
  std::vector<v1r::SchoolYearRecord> records;
  for (size_t i = 0; i < schools.size(); ++i) {
    for (int year : {2023, 2024}) records.push_back(MakeSchoolYear(schools[i], static_cast<int>(i), year));
  }
  if (!UpsertThroughRegistry(database, schools, records, figures, school_years)) return false;
  if (!TimePlain(
          database, kPlainSchoolsSqlite, schools.size(),
          [&](size_t begin, size_t end) { return PlainSchoolsSql(schools, begin, end); }, figures.plain_per_second)) {
    return false;
  }
  const std::vector<StoredRecord> stored = ReadStoredRecords(database);
  if (stored.size() != records.size()) return false;
  return TimePlain(
      database, kPlainSchoolYearsSqlite, stored.size(),
      [&](size_t begin, size_t end) { return PlainSchoolYearsSql(stored, begin, end); }, school_years.plain_per_second);
}

// Upserts `roster` through a rotation service on `database`, new and then
// all changed; the service is gone (its database closed) on return.
bool UpsertThroughRotation(const std::string& database, std::vector<v1::Teacher> roster, Figures& figures) {
  auto repository = gzedu::rotation::SqlRotationRepository::Open(database, nullptr);
  if (!repository.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "%s\n", repository.status().ToString().c_str());
    return false;
  }
  gzedu::SystemClock clock;
  gzedu::rotation::TeacherRotation rotation(repository->get(), &clock, 6);
  gzedu::rotation::TeacherRotationGrpcService service(&rotation);
  gzedu::Metrics metrics;
  gzedu::GrpcServerRunner runner;
  gzedu::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.metrics_listen = "127.0.0.1:0";
  options.service_names = {"gzedu.rotation.v1.TeacherRotationService"};
  if (!runner.Start(options, {&service}, metrics).ok()) return false;
  auto stub = v1::TeacherRotationService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(runner.grpc_port()), grpc::InsecureChannelCredentials()));

  auto start = Clock::now();
  if (!Upsert(*stub, roster, "create")) return false;
  figures.created_per_second = roster.size() / Seconds(start);
  for (v1::Teacher& t : roster) t.set_training_hours_current_cycle(t.training_hours_current_cycle() + 1);
  start = Clock::now();
  if (!Upsert(*stub, roster, "update")) return false;
  figures.updated_per_second = roster.size() / Seconds(start);
  runner.Shutdown(std::chrono::milliseconds(100));
  return true;
}

bool RunTeachers(const std::string& database, const std::vector<v1::Teacher>& roster, Figures& figures) {
  if (!UpsertThroughRotation(database, roster, figures)) return false;
  return TimePlain(
      database, kPlainTeachersSqlite, roster.size(),
      [&](size_t begin, size_t end) { return PlainInsertSql(roster, begin, end); }, figures.plain_per_second);
}

// Runs `sql` on the server `url` names; the reason when it cannot.
absl::Status ExecOnServer(const std::string& url, const std::string& sql) {
  auto server = gzedu::OpenSqlDatabase(url, nullptr);
  if (!server.ok()) return server.status();
  absl::StatusOr<gzedu::SqlDatabase::Lease> writer = (*server)->Writer();
  if (!writer.ok()) return writer.status();
  return (*writer)->Exec(sql);
}

// Creates database `name` on the server `url` names and returns its URL;
// empty on failure (said with PostgreSQL's reason).
std::string FreshDatabase(const std::string& url, const std::string& name) {
  if (const absl::Status status = ExecOnServer(url, absl::StrCat("CREATE DATABASE ", name)); !status.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "cannot create database %s on %s: %s\n", name.c_str(),
                 gzedu::RedactDatabaseUrl(url).c_str(), status.ToString().c_str());
    return "";
  }
  const size_t host = url.find("://") + 3;
  const size_t path = url.find_first_of("/?", host);
  const size_t query = url.find('?', host);
  return absl::StrCat(url.substr(0, path), "/", name, query == std::string::npos ? "" : url.substr(query));
}

// Drops database `name` on the server `url` names (the run's connections to
// it are closed by then); says so, with the reason, when it cannot.
void DropDatabase(const std::string& url, const std::string& name) {
  if (const absl::Status status = ExecOnServer(url, absl::StrCat("DROP DATABASE IF EXISTS ", name)); !status.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "cannot drop database %s: %s\n", name.c_str(),
                 status.ToString().c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const bool verbose = gzedu::benchmarks::TakeVerboseFlag(argc, argv);
  const int total_teachers = gzedu::benchmarks::CountArgument(
      argc, argv, 50000,
      "import_load [--verbose] [TEACHERS [POSTGRES|- [teachers|schools]]]: batch upserts (teachers, schools, "
      "school-year records) against plain multi-row INSERTs of the same rows, on SQLite and, given POSTGRES (a "
      "server URL; the run creates and drops its own databases), on PostgreSQL\n");
  gzedu::SetLogLevel(gzedu::LogLevel::kError);
  std::vector<v1::Teacher> roster;
  for (int i = 0; i < total_teachers; ++i) {
    const gzedu::District& district = gzedu::kDistricts[i % 10 < 7 ? i % 10 : i % 10 + 1];
    roster.push_back(MakeTeacher(std::string(district.code), i));
  }
  char dir_template[] = "/tmp/gzedu-import-load-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  gzedu::benchmarks::ServerLog server_log(dir, verbose);
  std::vector<std::string> databases = {"sqlite:" + dir + "/rotation.db"};
  if (argc > 2 && std::string(argv[2]) != "-") databases.push_back(argv[2]);
  const std::string only = argc > 3 ? argv[3] : "";
  std::vector<v1r::School> schools;
  for (int i = 0; i < total_teachers / 10; ++i) schools.push_back(MakeSchool(i));
  std::printf("%d teachers, %zu schools, in batches of %d, each batch one durable transaction\n", total_teachers,
              schools.size(), kBatch);
  std::printf("%d school-year records (two years per school)\n", total_teachers / 5);
  std::printf("%-32s %14s %18s %16s %14s\n", "storage", "upsert new/s", "upsert changed/s", "plain insert/s",
              "upsert/plain");
  bool ok = true;
  int n = 0;
  for (const std::string& database : databases) {
    const char* engine = database.rfind("sqlite", 0) == 0 ? "SQLite" : "PostgreSQL";
    for (const char* what : {"teachers", "schools"}) {
      if (!only.empty() && only != what) continue;
      Figures f;
      // Each service on its own database, as deployed.
      std::string url = absl::StrCat("sqlite:", dir, "/", n++, ".db");
      std::string fresh;
      if (database.rfind("sqlite", 0) != 0) {
        fresh = absl::StrCat("gzedu_import_load_", getpid(), "_", what);
        url = FreshDatabase(database, fresh);
        if (url.empty()) {
          ok = false;
          continue;
        }
      }
      const bool teachers = std::string(what) == "teachers";
      Figures years;
      const bool ran = teachers ? RunTeachers(url, roster, f) : RunSchools(url, schools, f, years);
      if (!fresh.empty()) DropDatabase(database, fresh);
      if (!ran) {
        ok = false;
        continue;
      }
      const auto print = [&](const char* rows, const Figures& figures) {
        std::printf("%-32s %14.0f %18.0f %16.0f %7.2f–%.2f\n", absl::StrCat(engine, ", ", rows).c_str(),
                    figures.created_per_second, figures.updated_per_second, figures.plain_per_second,
                    std::min(figures.created_per_second, figures.updated_per_second) / figures.plain_per_second,
                    std::max(figures.created_per_second, figures.updated_per_second) / figures.plain_per_second);
      };
      print(what, f);
      if (!teachers) print("school-year records", years);
      std::fflush(stdout);
    }
  }
  if (!ok && !server_log.path().empty()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "the servers' log lines: %s\n", server_log.path().c_str());
    return 1;
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
