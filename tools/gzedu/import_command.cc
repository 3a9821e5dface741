#include "tools/gzedu/import_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/fingerprint.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tools/gzedu/csv_file.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/registry_csv.h"
#include "tools/gzedu/rotation_csv.h"
#include "tools/gzedu/text_encoding.h"

namespace gzedu::cli {
namespace {

namespace v1 = registry::v1;

// Sends entities [begin, end) as one request under `request_id`.
using SendBatch = std::function<grpc::Status(size_t begin, size_t end, const std::string& request_id, bool dry_run,
                                             common::v1::WriteSummary* summary)>;

constexpr int kMaxAttempts = 5;

std::string RandomHex() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<uint64_t>(device()) << 32) ^ device());
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(engine()));
  return buffer;
}

bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

// Calls `send` with retries on transient failures; a retry reuses the
// request id, so a batch that was in fact applied is not applied twice.
grpc::Status SendWithRetry(const SendBatch& send, size_t begin, size_t end, const std::string& request_id, bool dry_run,
                           common::v1::WriteSummary* summary) {
  grpc::Status status;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    status = send(begin, end, request_id, dry_run, summary);
    if (!Retryable(status)) return status;
    if (attempt < kMaxAttempts) std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
  }
  return status;
}

// "schools[3].district_code" -> 3 and "district_code".
bool SplitEntityPath(const std::string& field, size_t* index, std::string* rest) {
  const size_t open = field.find('[');
  const size_t close = field.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  if (!absl::SimpleAtoi(field.substr(open + 1, close - open - 1), index)) return false;
  *rest = close + 2 <= field.size() ? field.substr(close + 2) : "";
  return true;
}

struct Totals {
  int64_t created = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t replayed_batches = 0;

  void Add(const common::v1::WriteSummary& s) {
    created += s.created_count();
    updated += s.updated_count();
    unchanged += s.unchanged_count();
    if (s.replayed()) ++replayed_batches;
  }
};

// Whether a refusal of a batch names its rows: field violations of a
// malformed batch (INVALID_ARGUMENT) or of rows outside the caller's
// districts (PERMISSION_DENIED); both are problems of the file's rows.
bool NamesRows(const grpc::Status& status, const std::vector<FieldViolation>& violations) {
  return !violations.empty() && (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                                 status.error_code() == grpc::StatusCode::PERMISSION_DENIED);
}

int RunImport(const ImportOptions& options, const char* what, size_t count, const std::vector<RowOrigin>& origins,
              std::vector<CsvProblem> problems, const ColumnLabels& labels, const SendBatch& send) {
  if (count == 0 && problems.empty()) {
    // A header and nothing under it (an export that went wrong?): said, not
    // reported as an import of nothing.
    std::fprintf(stderr, "warning: %s: no %s below the header; nothing to import\n", options.file.c_str(), what);
  }
  Progress progress(!options.quiet);
  const size_t batch_size = static_cast<size_t>(std::max(1, options.batch_size));
  const size_t batches = (count + batch_size - 1) / batch_size;

  // Pass 1: every batch as a dry run, collecting every problem of the file,
  // beside those found while reading it. A cell that could not be read is
  // sent empty; what the registry says of it is dropped, as the reading
  // problem already names the cell.
  std::set<std::pair<int, std::string>> unreadable;
  for (const CsvProblem& problem : problems) unreadable.insert({problem.line, problem.column});
  Totals preview;
  // Checks rows [begin, end) as a dry run. A service lists only as many
  // violations as fit in one response; when it says more were left out,
  // the halves are checked apart until every problem is known.
  std::function<int(size_t, size_t)> check = [&](size_t begin, size_t end) -> int {
    common::v1::WriteSummary summary;
    const grpc::Status status =
        SendWithRetry(send, begin, end, absl::StrCat("dry-run-", RandomHex()), /*dry_run=*/true, &summary);
    if (status.ok()) {
      preview.Add(summary);
      return 0;
    }
    const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
    if (!NamesRows(status, violations)) {
      progress.Finish();
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
          status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        // Not the rows' fault: the service could not be reached or answer.
        std::fprintf(stderr, "%s: cannot reach the service at %s (%s); nothing was written\n", options.file.c_str(),
                     options.target.c_str(), ErrorText(status).c_str());
      } else {
        std::fprintf(stderr, "%s: the service at %s failed on rows from line %d: %s\n", options.file.c_str(),
                     options.target.c_str(), origins[begin].line, ErrorText(status).c_str());
      }
      return 1;
    }
    if (violations.back().field == kMoreViolationsField && end - begin > 1) {
      const size_t middle = begin + (end - begin) / 2;
      const int first = check(begin, middle);
      return first != 0 ? first : check(middle, end);
    }
    for (const FieldViolation& v : violations) {
      size_t index = 0;
      std::string rest;
      if (SplitEntityPath(v.field, &index, &rest) && begin + index < end) {
        const RowOrigin& origin = origins[begin + index];
        CsvProblem problem{origin.line, ColumnForField(origin, rest), Description(v)};
        if (unreadable.count({problem.line, problem.column}) == 0) problems.push_back(std::move(problem));
      } else {
        problems.push_back({0, v.field, Description(v)});
      }
    }
    return 0;
  };
  for (size_t b = 0; b < batches; ++b) {
    const size_t begin = b * batch_size;
    const size_t end = std::min(count, begin + batch_size);
    if (const int failed = check(begin, end); failed != 0) return failed;
    progress.Update(absl::StrCat(options.file, ": checked ", end, "/", count, " rows"));
  }
  progress.Finish();
  if (!problems.empty()) {
    PrintProblems(options.file, problems, labels, "nothing was written");
    return 2;
  }
  if (options.dry_run) {
    std::printf("%s: dry run, %zu %s valid: would create %lld, update %lld, leave %lld unchanged; nothing written\n",
                options.file.c_str(), count, what, static_cast<long long>(preview.created),
                static_cast<long long>(preview.updated), static_cast<long long>(preview.unchanged));
    return 0;
  }

  // Pass 2: the writes. Each batch has its own request id for this run.
  const std::string run_id = RandomHex();
  Totals totals;
  for (size_t b = 0; b < batches; ++b) {
    const size_t begin = b * batch_size;
    const size_t end = std::min(count, begin + batch_size);
    common::v1::WriteSummary summary;
    const std::string request_id = absl::StrCat("import-", run_id, "-", b);
    const grpc::Status status = SendWithRetry(send, begin, end, request_id, /*dry_run=*/false, &summary);
    if (!status.ok()) {
      progress.Finish();
      std::fprintf(stderr,
                   "%s: the batch of rows from line %d failed: %s\n"
                   "%s: %zu of %zu rows were written before it; running the import again is safe\n",
                   options.file.c_str(), origins[begin].line, ErrorText(status).c_str(), options.file.c_str(), begin,
                   count);
      return 1;
    }
    totals.Add(summary);
    progress.Update(absl::StrFormat("%s: %zu/%zu %s sent (created %lld, updated %lld, unchanged %lld)", options.file,
                                    end, count, what, static_cast<long long>(totals.created),
                                    static_cast<long long>(totals.updated), static_cast<long long>(totals.unchanged)));
  }
  progress.Finish();
  std::printf("%s: %zu %s imported: %lld created, %lld updated, %lld unchanged\n", options.file.c_str(), count, what,
              static_cast<long long>(totals.created), static_cast<long long>(totals.updated),
              static_cast<long long>(totals.unchanged));
  return 0;
}

// Prints warnings; with a broken header, prints its problems and returns
// false (no row can be read).
bool CheckHeader(const std::string& file, bool header_ok, const std::vector<CsvProblem>& problems,
                 const std::vector<std::string>& warnings, const ColumnLabels& labels) {
  for (const std::string& warning : warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  if (header_ok) return true;
  PrintProblems(file, problems, labels, "nothing was sent");
  return false;
}

// Adds a problem for every string that is not UTF-8 in `items`.
template <typename Item>
void CheckItemsUtf8(const std::vector<Item>& items, const std::vector<RowOrigin>& origins,
                    std::vector<CsvProblem>& problems) {
  for (size_t i = 0; i < items.size(); ++i) CheckUtf8(items[i], origins[i].line, problems);
}

// Rows of the whole file that repeat an earlier row's key (`key` of an item,
// named `key_name`; `field` its API field below the entity, for the column):
// each said at
// its line, naming the line it repeats. A service sees one batch at a time,
// so without this a repeat in another batch would overwrite the earlier row
// (and a repeat in the same batch would be named by its index in the batch).
template <typename Item, typename Key>
void CheckRepeatedKeys(const std::vector<Item>& items, const std::vector<RowOrigin>& origins, Key key,
                       const std::string& field, const std::string& key_name, std::vector<CsvProblem>& problems) {
  std::map<decltype(key(items[0])), int> first_line;
  for (size_t i = 0; i < items.size(); ++i) {
    auto [it, inserted] = first_line.emplace(key(items[i]), origins[i].line);
    if (!inserted) {
      problems.push_back(
          {origins[i].line, ColumnForField(origins[i], field),
           absl::StrCat("repeats line ", it->second, " (the same ", key_name, "): a file holds each once")});
    }
  }
}

std::shared_ptr<grpc::Channel> Connect(const std::string& address) { return gzedu::OpenChannel(address); }

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
}

// A SendBatch for one batch-upsert RPC: items [begin, end) go into a
// `Request` through `add` (which returns the request's new element) and
// travel through `rpc`; every batch upsert answers a WriteSummary.
template <typename Request, typename Response, typename Item, typename Rpc, typename Add>
SendBatch BatchSender(const std::vector<Item>& items, Rpc rpc, Add add) {
  return [&items, rpc, add](size_t begin, size_t end, const std::string& request_id, bool dry_run,
                            common::v1::WriteSummary* summary) {
    Request request;
    request.set_request_id(request_id);
    request.set_dry_run(dry_run);
    for (size_t i = begin; i < end; ++i) *add(request) = items[i];
    Response response;
    grpc::ClientContext context;
    SetDeadline(context);
    grpc::Status status = rpc(&context, request, &response);
    *summary = response.summary();
    return status;
  };
}

// Checks the school of every teacher against the school registry at
// `registry`: a school that is not registered, or that is in another
// district than the teacher, is a problem of the teacher's row. When the
// registry cannot be asked (not running, no registry at that address, a
// token that may not read it), says on stderr that the schools were not
// checked; the rotation service cannot check them itself.
void CheckTeacherSchools(const ImportOptions& options, const std::string& registry, const ParsedTeachers& parsed,
                         std::vector<CsvProblem>& problems) {
  std::map<std::string, std::vector<size_t>> teachers_by_school;
  for (size_t i = 0; i < parsed.teachers.size(); ++i) {
    const std::string& code = parsed.teachers[i].school_code();
    if (!code.empty()) teachers_by_school[code].push_back(i);
  }
  if (teachers_by_school.empty()) return;
  auto stub = v1::SchoolRegistryService::NewStub(Connect(registry));
  size_t checked = 0;
  size_t out_of_scope = 0;
  for (const auto& [code, teachers] : teachers_by_school) {
    v1::GetSchoolRequest request;
    request.set_school_code(code);
    v1::GetSchoolResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const grpc::Status status = stub->GetSchool(&context, request, &response);
    if (status.ok()) {
      ++checked;
      const std::string& district = response.school().district_code();
      for (size_t i : teachers) {
        const std::string& teacher_district = parsed.teachers[i].district_code();
        if (!teacher_district.empty() && teacher_district != district) {
          problems.push_back({parsed.origins[i].line, "school_code",
                              absl::StrCat("school ", code, " is in district ", district,
                                           " in the school registry, "
                                           "not in the teacher's district ",
                                           teacher_district)});
        }
      }
    } else if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      ++checked;
      for (size_t i : teachers) {
        problems.push_back({parsed.origins[i].line, "school_code",
                            absl::StrCat("school ", code, " is not registered in the school registry")});
      }
    } else if (status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      ++out_of_scope;
    } else if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) {
      // INVALID_ARGUMENT: not a school code; the rotation service says so.
      const std::string why =
          status.error_code() == grpc::StatusCode::UNIMPLEMENTED
              ? absl::StrCat("there is no school registry at ", registry)
              : absl::StrCat("the school registry at ", registry, ": ",
                             absl::StatusCodeToString(static_cast<absl::StatusCode>(status.error_code())), ": ",
                             status.error_message());
      std::fprintf(stderr,
                   "warning: %s: the teachers' schools were NOT checked (%s); unknown schools are not found. "
                   "Pass --registry=HOST:PORT of a running registry to check them\n",
                   options.file.c_str(), why.c_str());
      return;
    }
  }
  if (out_of_scope > 0) {
    std::fprintf(stderr,
                 "warning: %s: %zu of the teachers' %zu schools were NOT checked: the token may not read them in "
                 "the school registry at %s\n",
                 options.file.c_str(), out_of_scope, teachers_by_school.size(), registry.c_str());
  }
  if (!options.quiet && checked > 0) {
    std::fprintf(stderr, "%s: %zu schools of the teachers checked against the school registry at %s\n",
                 options.file.c_str(), checked, registry.c_str());
  }
}

}  // namespace

int ImportSchools(const ImportOptions& options) {
  CsvTable table;
  if (!ReadCsvFile(options.file, options.quiet, &table)) return 2;
  ParsedSchools parsed = ParseSchoolsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings, parsed.labels)) return 2;
  CheckItemsUtf8(parsed.schools, parsed.origins, parsed.problems);
  CheckRepeatedKeys(
      parsed.schools, parsed.origins, [](const v1::School& s) { return s.school_code(); }, "school_code", "school_code",
      parsed.problems);
  auto stub = v1::SchoolRegistryService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<v1::UpsertSchoolsRequest, v1::UpsertSchoolsResponse>(
      parsed.schools,
      [&](grpc::ClientContext* context, const v1::UpsertSchoolsRequest& request, v1::UpsertSchoolsResponse* response) {
        return stub->UpsertSchools(context, request, response);
      },
      [](v1::UpsertSchoolsRequest& request) { return request.add_schools(); });
  return RunImport(options, "schools", parsed.schools.size(), parsed.origins, parsed.problems, parsed.labels, send);
}

int ImportSchoolYears(const ImportOptions& options) {
  CsvTable table;
  if (!ReadCsvFile(options.file, options.quiet, &table)) return 2;
  ParsedSchoolYears parsed = ParseSchoolYearsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings, parsed.labels)) return 2;
  CheckItemsUtf8(parsed.records, parsed.origins, parsed.problems);
  CheckRepeatedKeys(
      parsed.records, parsed.origins,
      [](const v1::SchoolYearRecord& r) { return std::make_pair(r.school_code(), r.school_year()); }, "school_year",
      "school_code and school_year", parsed.problems);
  auto stub = v1::SchoolRegistryService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<v1::UpsertSchoolYearRecordsRequest, v1::UpsertSchoolYearRecordsResponse>(
      parsed.records,
      [&](grpc::ClientContext* context, const v1::UpsertSchoolYearRecordsRequest& request,
          v1::UpsertSchoolYearRecordsResponse* response) {
        return stub->UpsertSchoolYearRecords(context, request, response);
      },
      [](v1::UpsertSchoolYearRecordsRequest& request) { return request.add_records(); });
  return RunImport(options, "school-year records", parsed.records.size(), parsed.origins, parsed.problems,
                   parsed.labels, send);
}

int ImportTeachers(const ImportOptions& options) {
  CsvTable table;
  if (!ReadCsvFile(options.file, options.quiet, &table)) return 2;
  ParsedTeachers parsed = ParseTeachersCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings, parsed.labels)) return 2;
  CheckItemsUtf8(parsed.teachers, parsed.origins, parsed.problems);
  CheckRepeatedKeys(
      parsed.teachers, parsed.origins, [](const rotation::v1::Teacher& t) { return t.teacher_id(); }, "teacher_id",
      "teacher_id", parsed.problems);
  CheckTeacherSchools(options, options.registry_target.empty() ? options.target : options.registry_target, parsed,
                      parsed.problems);
  auto stub = rotation::v1::TeacherRotationService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<rotation::v1::UpsertTeachersRequest, rotation::v1::UpsertTeachersResponse>(
      parsed.teachers,
      [&](grpc::ClientContext* context, const rotation::v1::UpsertTeachersRequest& request,
          rotation::v1::UpsertTeachersResponse* response) { return stub->UpsertTeachers(context, request, response); },
      [](rotation::v1::UpsertTeachersRequest& request) { return request.add_teachers(); });
  return RunImport(options, "teachers", parsed.teachers.size(), parsed.origins, parsed.problems, parsed.labels, send);
}

int ImportRotations(const ImportOptions& options) {
  CsvTable table;
  if (!ReadCsvFile(options.file, options.quiet, &table)) return 2;
  ParsedRotations parsed = ParseRotationsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings, parsed.labels)) return 2;
  for (size_t i = 0; i < parsed.rows.size(); ++i) {
    CheckUtf8(parsed.rows[i].rotation, parsed.origins[i].line, parsed.problems);
    if (!IsValidUtf8(parsed.rows[i].actor)) {
      parsed.problems.push_back({parsed.origins[i].line, "actor", "is not valid UTF-8 text; nothing of it is sent"});
    }
  }
  if (!parsed.problems.empty()) {
    PrintProblems(options.file, parsed.problems, parsed.labels, "nothing was sent");
    return 2;
  }
  if (options.dry_run) {
    std::printf("%s: dry run, %zu rotations read; nothing sent (rotations have no server-side dry run)\n",
                options.file.c_str(), parsed.rows.size());
    return 0;
  }
  auto stub = rotation::v1::TeacherRotationService::NewStub(Connect(options.target));
  std::vector<CsvProblem> refused;
  Progress progress(!options.quiet);
  size_t proposed = 0;
  size_t already = 0;
  size_t approved = 0;
  for (size_t i = 0; i < parsed.rows.size(); ++i) {
    const RotationRow& row = parsed.rows[i];
    const int line = parsed.origins[i].line;
    // The same row always carries the same request ids: importing the file
    // again answers from the service's memory and writes nothing.
    Fingerprint fp;
    fp.Add(row.rotation.SerializeAsString()).Add(row.actor);
    const std::string key = fp.Hex().substr(0, 24);
    rotation::v1::ProposeRotationRequest propose;
    propose.set_request_id("import-propose-" + key);
    *propose.mutable_rotation() = row.rotation;
    propose.set_actor(row.actor);
    rotation::v1::ProposeRotationResponse proposal;
    grpc::Status status = SendWithRetry(
        [&](size_t, size_t, const std::string&, bool, common::v1::WriteSummary*) {
          grpc::ClientContext context;
          SetDeadline(context);
          return stub->ProposeRotation(&context, propose, &proposal);
        },
        0, 0, "", false, nullptr);
    if (status.ok() && row.approve) {
      rotation::v1::ApproveRotationRequest approve;
      approve.set_request_id("import-approve-" + key);
      approve.set_rotation_id(proposal.rotation().rotation_id());
      approve.set_actor(row.actor);
      rotation::v1::ApproveRotationResponse approval;
      status = SendWithRetry(
          [&](size_t, size_t, const std::string&, bool, common::v1::WriteSummary*) {
            grpc::ClientContext context;
            SetDeadline(context);
            return stub->ApproveRotation(&context, approve, &approval);
          },
          0, 0, "", false, nullptr);
      if (status.ok() && !approval.replayed()) ++approved;
    }
    if (status.ok() && proposal.replayed()) {
      ++already;
    } else if (status.ok()) {
      ++proposed;
    } else if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
               status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
               status.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
               status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
      if (violations.empty()) refused.push_back({line, "state", ErrorMessage(status)});
      for (const FieldViolation& v : violations) {
        const std::string column = v.field.rfind("rotation.", 0) == 0 ? v.field.substr(9) : v.field;
        refused.push_back({line, column, Description(v)});
      }
    } else {
      progress.Finish();
      std::fprintf(stderr, "%s:%d: the service at %s failed: %s\n", options.file.c_str(), line, options.target.c_str(),
                   ErrorText(status).c_str());
      return 1;
    }
    if ((i + 1) % 100 == 0 || i + 1 == parsed.rows.size()) {
      progress.Update(absl::StrCat(options.file, ": ", i + 1, "/", parsed.rows.size(), " rotations sent"));
    }
  }
  progress.Finish();
  for (const std::string& text : ProblemReportLines(options.file, refused, parsed.labels)) {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::printf("%s: %zu rotations proposed (%zu approved), %zu already there, %zu refused\n", options.file.c_str(),
              proposed, approved, already, refused.size());
  return refused.empty() ? 0 : 2;
}

}  // namespace gzedu::cli
