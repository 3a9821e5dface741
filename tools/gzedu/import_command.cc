#include "tools/gzedu/import_command.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/domain/fingerprint.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tools/gzedu/registry_csv.h"
#include "tools/gzedu/rotation_csv.h"

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

int RunImport(const ImportOptions& options, const char* what, size_t count, const std::vector<RowOrigin>& origins,
              std::vector<CsvProblem> problems, const SendBatch& send) {
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
    if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT || violations.empty()) {
      std::fprintf(stderr, "%s: the service at %s failed on rows from line %d: %s\n", options.file.c_str(),
                   options.target.c_str(), origins[begin].line, GrpcStatusText(status).c_str());
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
        CsvProblem problem{origin.line, ColumnForField(origin, rest), v.description};
        if (unreadable.count({problem.line, problem.column}) == 0) problems.push_back(std::move(problem));
      } else {
        problems.push_back({0, v.field, v.description});
      }
    }
    return 0;
  };
  for (size_t b = 0; b < batches; ++b) {
    const size_t begin = b * batch_size;
    const size_t end = std::min(count, begin + batch_size);
    if (const int failed = check(begin, end); failed != 0) return failed;
    if (!options.quiet) {
      std::fprintf(stderr, "%s: checked %zu/%zu rows\n", options.file.c_str(), end, count);
    }
  }
  if (!problems.empty()) {
    std::stable_sort(problems.begin(), problems.end(),
                     [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
    for (const CsvProblem& problem : problems) {
      std::fprintf(stderr, "%s\n", FormatProblem(options.file, problem).c_str());
    }
    std::fprintf(stderr, "%s: %zu problem(s); nothing was written\n", options.file.c_str(), problems.size());
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
      std::fprintf(stderr,
                   "%s: the batch of rows from line %d failed: %s\n"
                   "%s: %zu of %zu rows were written before it; running the import again is safe\n",
                   options.file.c_str(), origins[begin].line, GrpcStatusText(status).c_str(), options.file.c_str(),
                   begin, count);
      return 1;
    }
    totals.Add(summary);
    if (!options.quiet) {
      std::fprintf(stderr, "%s: %zu/%zu %s sent (created %lld, updated %lld, unchanged %lld)\n", options.file.c_str(),
                   end, count, what, static_cast<long long>(totals.created), static_cast<long long>(totals.updated),
                   static_cast<long long>(totals.unchanged));
    }
  }
  std::printf("%s: %zu %s imported: %lld created, %lld updated, %lld unchanged\n", options.file.c_str(), count, what,
              static_cast<long long>(totals.created), static_cast<long long>(totals.updated),
              static_cast<long long>(totals.unchanged));
  return 0;
}

// Reads and parses the file; prints problems and returns false on failure.
bool ReadTable(const std::string& file, CsvTable* table) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open the file\n", file.c_str());
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<CsvTable> parsed = ParseCsv(buffer.str());
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s:%s\n", file.c_str(), std::string(parsed.status().message()).c_str());
    return false;
  }
  *table = std::move(*parsed);
  return true;
}

// Prints warnings; with a broken header, prints its problems and returns
// false (no row can be read).
bool CheckHeader(const std::string& file, bool header_ok, const std::vector<CsvProblem>& problems,
                 const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  if (header_ok) return true;
  for (const CsvProblem& problem : problems) std::fprintf(stderr, "%s\n", FormatProblem(file, problem).c_str());
  std::fprintf(stderr, "%s: %zu problem(s) in the header; nothing was sent\n", file.c_str(), problems.size());
  return false;
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

}  // namespace

int ImportSchools(const ImportOptions& options) {
  CsvTable table;
  if (!ReadTable(options.file, &table)) return 2;
  ParsedSchools parsed = ParseSchoolsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings)) return 2;
  auto stub = v1::SchoolRegistryService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<v1::UpsertSchoolsRequest, v1::UpsertSchoolsResponse>(
      parsed.schools,
      [&](grpc::ClientContext* context, const v1::UpsertSchoolsRequest& request, v1::UpsertSchoolsResponse* response) {
        return stub->UpsertSchools(context, request, response);
      },
      [](v1::UpsertSchoolsRequest& request) { return request.add_schools(); });
  return RunImport(options, "schools", parsed.schools.size(), parsed.origins, parsed.problems, send);
}

int ImportSchoolYears(const ImportOptions& options) {
  CsvTable table;
  if (!ReadTable(options.file, &table)) return 2;
  ParsedSchoolYears parsed = ParseSchoolYearsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings)) return 2;
  auto stub = v1::SchoolRegistryService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<v1::UpsertSchoolYearRecordsRequest, v1::UpsertSchoolYearRecordsResponse>(
      parsed.records,
      [&](grpc::ClientContext* context, const v1::UpsertSchoolYearRecordsRequest& request,
          v1::UpsertSchoolYearRecordsResponse* response) {
        return stub->UpsertSchoolYearRecords(context, request, response);
      },
      [](v1::UpsertSchoolYearRecordsRequest& request) { return request.add_records(); });
  return RunImport(options, "school-year records", parsed.records.size(), parsed.origins, parsed.problems, send);
}

int ImportTeachers(const ImportOptions& options) {
  CsvTable table;
  if (!ReadTable(options.file, &table)) return 2;
  ParsedTeachers parsed = ParseTeachersCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings)) return 2;
  auto stub = rotation::v1::TeacherRotationService::NewStub(Connect(options.target));
  SendBatch send = BatchSender<rotation::v1::UpsertTeachersRequest, rotation::v1::UpsertTeachersResponse>(
      parsed.teachers,
      [&](grpc::ClientContext* context, const rotation::v1::UpsertTeachersRequest& request,
          rotation::v1::UpsertTeachersResponse* response) { return stub->UpsertTeachers(context, request, response); },
      [](rotation::v1::UpsertTeachersRequest& request) { return request.add_teachers(); });
  return RunImport(options, "teachers", parsed.teachers.size(), parsed.origins, parsed.problems, send);
}

int ImportRotations(const ImportOptions& options) {
  CsvTable table;
  if (!ReadTable(options.file, &table)) return 2;
  ParsedRotations parsed = ParseRotationsCsv(table, options.file);
  if (!CheckHeader(options.file, parsed.header_ok, parsed.problems, parsed.warnings)) return 2;
  if (!parsed.problems.empty()) {
    for (const CsvProblem& problem : parsed.problems) {
      std::fprintf(stderr, "%s\n", FormatProblem(options.file, problem).c_str());
    }
    std::fprintf(stderr, "%s: %zu problem(s); nothing was sent\n", options.file.c_str(), parsed.problems.size());
    return 2;
  }
  if (options.dry_run) {
    std::printf("%s: dry run, %zu rotations read; nothing sent (rotations have no server-side dry run)\n",
                options.file.c_str(), parsed.rows.size());
    return 0;
  }
  auto stub = rotation::v1::TeacherRotationService::NewStub(Connect(options.target));
  std::vector<CsvProblem> refused;
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
               status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
      if (violations.empty()) refused.push_back({line, "state", status.error_message()});
      for (const FieldViolation& v : violations) {
        const std::string column = v.field.rfind("rotation.", 0) == 0 ? v.field.substr(9) : v.field;
        refused.push_back({line, column, v.description});
      }
    } else {
      std::fprintf(stderr, "%s:%d: the service at %s failed: %s\n", options.file.c_str(), line, options.target.c_str(),
                   GrpcStatusText(status).c_str());
      return 1;
    }
    if (!options.quiet && (i + 1) % 100 == 0) {
      std::fprintf(stderr, "%s: %zu/%zu rotations sent\n", options.file.c_str(), i + 1, parsed.rows.size());
    }
  }
  for (const CsvProblem& problem : refused) {
    std::fprintf(stderr, "%s\n", FormatProblem(options.file, problem).c_str());
  }
  std::printf("%s: %zu rotations proposed (%zu approved), %zu already there, %zu refused\n", options.file.c_str(),
              proposed, approved, already, refused.size());
  return refused.empty() ? 0 : 2;
}

}  // namespace gzedu::cli
