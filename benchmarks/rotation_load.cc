// Load tool for the teacher rotation service (issue: import a 150,000-teacher
// roster through the public API at 20,000 teachers/s or more on SQLite;
// GetRotationSummary for a 15,000-teacher district under 50 ms).
//
// Starts the service in this process on a loopback port with a SQLite file
// in a temporary directory (synchronous=FULL: every acknowledged batch is
// durable), then drives it through its gRPC stubs like any client would.
//
//   cmake --build build --target rotation_load && build/benchmarks/rotation_load [--verbose] [TEACHERS]
//
// The service's log lines (an audit record per batch) go to servers.log in
// the temporary directory, kept when the run fails; --verbose shows them.
#include <grpcpp/grpcpp.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "benchmarks/server_log.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/grpc/server_runner.h"
#include "common/logging/log.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "services/teacher_rotation/domain/teacher_rotation.h"
#include "services/teacher_rotation/grpc/teacher_rotation_grpc_service.h"
#include "services/teacher_rotation/storage/sql_rotation_repository.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace v1 = gzedu::rotation::v1;

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

// Names the file with the servers' log lines (kept: the temporary directory
// stays) and returns the exit code of a failed run.
int Failed(const gzedu::benchmarks::ServerLog& server_log) {
  if (!server_log.path().empty()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "the service's log lines: %s\n", server_log.path().c_str());
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const bool verbose = gzedu::benchmarks::TakeVerboseFlag(argc, argv);
  const int total_teachers = argc > 1 ? std::atoi(argv[1]) : 150000;
  constexpr int kBatch = 5000;
  constexpr int kRotations = 1500;
  gzedu::SetLogLevel(gzedu::LogLevel::kError);

  char dir_template[] = "/tmp/gzedu-rotation-load-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  gzedu::benchmarks::ServerLog server_log(dir, verbose);
  auto repository = gzedu::rotation::SqlRotationRepository::Open("sqlite:" + dir + "/rotation.db", nullptr);
  if (!repository.ok()) {
    std::fprintf(gzedu::benchmarks::Terminal(), "%s\n", repository.status().ToString().c_str());
    return Failed(server_log);
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
  if (absl::Status status = runner.Start(options, {&service}, metrics); !status.ok()) return Failed(server_log);
  auto stub = v1::TeacherRotationService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(runner.grpc_port()), grpc::InsecureChannelCredentials()));

  // The roster: one district of 15,000 teachers (Huadu's order of
  // magnitude), the rest spread over the other ten.
  std::vector<v1::Teacher> roster;
  const int others = std::max(0, total_teachers - 15000);
  for (int n = 0; n < std::min(total_teachers, 15000); ++n) roster.push_back(MakeTeacher("440114", n));
  int n = 0;
  for (int i = 0; i < others; ++i) {
    const gzedu::District& district = gzedu::kDistricts[i % 10 < 7 ? i % 10 : i % 10 + 1];
    roster.push_back(MakeTeacher(std::string(district.code), n++));
  }

  const auto import_start = Clock::now();
  for (size_t begin = 0; begin < roster.size(); begin += kBatch) {
    v1::UpsertTeachersRequest request;
    request.set_request_id("load-" + std::to_string(begin));
    for (size_t i = begin; i < std::min(roster.size(), begin + kBatch); ++i) *request.add_teachers() = roster[i];
    v1::UpsertTeachersResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->UpsertTeachers(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(gzedu::benchmarks::Terminal(), "UpsertTeachers failed: %s\n", status.error_message().c_str());
      return Failed(server_log);
    }
  }
  const double import_seconds = Seconds(import_start);
  std::printf("import: %zu teachers in batches of %d through UpsertTeachers: %.2f s, %.0f teachers/s\n", roster.size(),
              kBatch, import_seconds, roster.size() / import_seconds);

  // Rotations in the 15,000-teacher district: proposed and approved, one
  // durable transaction per call.
  const auto rotation_start = Clock::now();
  int rotated = 0;
  for (size_t i = 0; i < std::min<size_t>(15000, roster.size()) && rotated < kRotations; i += 7) {
    const v1::Teacher& teacher = roster[i];
    v1::ProposeRotationRequest propose;
    propose.set_request_id("p-" + teacher.teacher_id());
    propose.set_actor("load");
    v1::Rotation* r = propose.mutable_rotation();
    r->set_teacher_id(teacher.teacher_id());
    r->set_from_school_code(teacher.school_code());
    r->set_to_school_code(teacher.school_code() == "2101140000" ? "2101140001" : "2101140000");
    r->set_kind(v1::ROTATION_KIND_EXCHANGE);
    r->set_effective_date("2024-09-10");
    v1::ProposeRotationResponse proposed;
    grpc::ClientContext propose_context;
    if (!stub->ProposeRotation(&propose_context, propose, &proposed).ok()) continue;
    v1::ApproveRotationRequest approve;
    approve.set_request_id("a-" + teacher.teacher_id());
    approve.set_rotation_id(proposed.rotation().rotation_id());
    approve.set_actor("load");
    v1::ApproveRotationResponse approved;
    grpc::ClientContext approve_context;
    if (stub->ApproveRotation(&approve_context, approve, &approved).ok()) ++rotated;
  }
  const double rotation_seconds = Seconds(rotation_start);
  std::printf("rotations: %d proposed and approved (%d calls) in %.2f s, %.0f calls/s\n", rotated, 2 * rotated,
              rotation_seconds, 2 * rotated / rotation_seconds);

  std::vector<double> latencies_ms;
  v1::GetRotationSummaryResponse summary;
  for (int i = 0; i < 30; ++i) {
    v1::GetRotationSummaryRequest request;
    request.set_district_code("440114");
    request.set_school_year(2024);
    grpc::ClientContext context;
    const auto start = Clock::now();
    if (!stub->GetRotationSummary(&context, request, &summary).ok()) return Failed(server_log);
    latencies_ms.push_back(Seconds(start) * 1000);
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  std::printf(
      "GetRotationSummary, 15,000-teacher district (%d eligible, %d rotated): p50 %.1f ms, p90 %.1f ms, max %.1f "
      "ms over %zu calls\n",
      summary.eligible_teachers(), summary.rotated_teachers(), latencies_ms[latencies_ms.size() / 2],
      latencies_ms[latencies_ms.size() * 9 / 10], latencies_ms.back(), latencies_ms.size());
  runner.Shutdown(std::chrono::milliseconds(100));
  std::filesystem::remove_all(dir);
  return 0;
}
