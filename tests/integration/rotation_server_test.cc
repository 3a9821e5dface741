// The real gzedu-teacher-rotation binary on port 0 with a temporary SQLite
// file, driven through generated stubs.
#include <signal.h>

#include <gtest/gtest.h>

#include "absl/status/statusor.h"
#include "common/grpc/status_conversion.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/server_process.h"

namespace gzedu::rotation {
namespace {

using gzedu::testing::HttpGet;
using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;

v1::Teacher Teacher(int n, const std::string& since = "2012-08-20") {
  v1::Teacher t;
  t.set_teacher_id("HD-" + std::to_string(n));
  t.set_district_code("440114");
  t.set_school_code("2144011401");
  t.set_stage(common::v1::STAGE_PRIMARY);
  t.set_full_time(true);
  t.set_subject(n % 7 == 0 ? v1::SUBJECT_PE : v1::SUBJECT_OTHER);
  t.set_highest_degree(v1::DEGREE_BACHELOR);
  t.set_backbone_level(n % 4 == 0 ? v1::BACKBONE_LEVEL_COUNTY : v1::BACKBONE_LEVEL_NONE);
  t.set_certified(true);
  t.set_training_hours_current_cycle(400);
  t.set_at_current_school_since(since);
  t.set_school_ownership(v1::SCHOOL_OWNERSHIP_PUBLIC);
  return t;
}

class RotationServerTest : public ::testing::Test {
 protected:
  RotationServerTest() { Start(); }

  void Start() {
    server_ = std::make_unique<ServerProcess>(GZEDU_ROTATION_BINARY, dir_.path() + "/rotation.db");
    stub_ = v1::TeacherRotationService::NewStub(server_->channel());
  }

  grpc::Status Upsert(const std::string& request_id, const std::vector<v1::Teacher>& teachers) {
    v1::UpsertTeachersRequest request;
    request.set_request_id(request_id);
    for (const v1::Teacher& t : teachers) *request.add_teachers() = t;
    v1::UpsertTeachersResponse response;
    grpc::ClientContext context;
    return stub_->UpsertTeachers(&context, request, &response);
  }

  absl::StatusOr<v1::Rotation> Propose(const std::string& request_id, const std::string& teacher_id,
                                       const std::string& effective) {
    v1::ProposeRotationRequest request;
    request.set_request_id(request_id);
    request.set_actor("花都区教育局");
    v1::Rotation* r = request.mutable_rotation();
    r->set_teacher_id(teacher_id);
    r->set_from_school_code("2144011401");
    r->set_to_school_code("2144011403");
    r->set_kind(v1::ROTATION_KIND_SUPPORT_TEACHING);
    r->set_effective_date(effective);
    v1::ProposeRotationResponse response;
    grpc::ClientContext context;
    grpc::Status status = stub_->ProposeRotation(&context, request, &response);
    if (!status.ok()) return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
    return response.rotation();
  }

  grpc::Status Approve(const std::string& request_id, const std::string& rotation_id, v1::Rotation* out = nullptr) {
    v1::ApproveRotationRequest request;
    request.set_request_id(request_id);
    request.set_rotation_id(rotation_id);
    request.set_actor("局长");
    v1::ApproveRotationResponse response;
    grpc::ClientContext context;
    grpc::Status status = stub_->ApproveRotation(&context, request, &response);
    if (out != nullptr) *out = response.rotation();
    return status;
  }

  v1::GetRotationSummaryResponse Summary(int year) {
    v1::GetRotationSummaryRequest request;
    request.set_district_code("440114");
    request.set_school_year(year);
    v1::GetRotationSummaryResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(stub_->GetRotationSummary(&context, request, &response).ok());
    return response;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<v1::TeacherRotationService::Stub> stub_;
};

TEST_F(RotationServerTest, RosterRotationsAndSummaryThroughTheRealServer) {
  std::vector<v1::Teacher> teachers;
  for (int i = 0; i < 100; ++i) teachers.push_back(Teacher(i, i < 80 ? "2012-08-20" : "2021-09-01"));
  ASSERT_TRUE(Upsert("roster", teachers).ok());
  for (int i = 0; i < 12; ++i) {
    absl::StatusOr<v1::Rotation> proposed = Propose("p" + std::to_string(i), "HD-" + std::to_string(i), "2024-09-20");
    ASSERT_TRUE(proposed.ok()) << proposed.status();
    ASSERT_TRUE(Approve("a" + std::to_string(i), proposed->rotation_id()).ok());
  }
  const v1::GetRotationSummaryResponse summary = Summary(2024);
  EXPECT_EQ(summary.eligible_teachers(), 80);
  EXPECT_EQ(summary.rotated_teachers(), 12);
  EXPECT_EQ(summary.rotated_backbone_teachers(), 3);  // HD-0, HD-4, HD-8
  EXPECT_NEAR(summary.rotation_ratio(), 15.0, 1e-9);
  EXPECT_TRUE(summary.meets_standard());

  // On 1 September 2024 the rotations (effective 20 September) are not yet
  // in effect; in 2025 the twelve teach at the other school.
  v1::GetSectionStaffingRequest staffing;
  staffing.set_school_code("2144011401");
  staffing.set_school_year(2024);
  v1::GetSectionStaffingResponse before;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetSectionStaffing(&context, staffing, &before).ok());
  }
  ASSERT_EQ(before.sections_size(), 1);
  EXPECT_EQ(before.sections(0).full_time_teachers(), 100);
  EXPECT_EQ(before.sections(0).pe_music_art(), 15);  // multiples of 7 below 100
  staffing.set_school_year(2025);
  v1::GetSectionStaffingResponse after;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->GetSectionStaffing(&context, staffing, &after).ok());
  }
  EXPECT_EQ(after.sections(0).full_time_teachers(), 88);
}

TEST_F(RotationServerTest, AResidentIdIsRejectedAndNothingOfTheBatchIsWritten) {
  v1::Teacher bad = Teacher(2);
  bad.set_teacher_id("440114198001011234");
  const grpc::Status status = Upsert("bad", {Teacher(1), bad});
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "teachers[1].teacher_id");
  v1::ListTeachersRequest list;
  list.set_district_code("440114");
  v1::ListTeachersResponse listed;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ListTeachers(&context, list, &listed).ok());
  EXPECT_EQ(listed.teachers_size(), 0);
}

TEST_F(RotationServerTest, OutOfOrderTransitionsAreFailedPreconditionAndReplaysWriteNothing) {
  ASSERT_TRUE(Upsert("roster", {Teacher(1)}).ok());
  absl::StatusOr<v1::Rotation> proposed = Propose("p1", "HD-1", "2024-10-01");
  ASSERT_TRUE(proposed.ok());
  v1::CancelRotationRequest cancel;
  cancel.set_request_id("c1");
  cancel.set_rotation_id(proposed->rotation_id());
  cancel.set_actor("hr");
  v1::CancelRotationResponse cancelled;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub_->CancelRotation(&context, cancel, &cancelled).ok());
  }
  EXPECT_EQ(cancelled.rotation().state(), v1::ROTATION_STATE_CANCELLED);
  EXPECT_EQ(Approve("a1", proposed->rotation_id()).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  absl::StatusOr<v1::Rotation> replay = Propose("p1", "HD-1", "2024-10-01");
  ASSERT_TRUE(replay.ok());
  EXPECT_EQ(replay->state(), v1::ROTATION_STATE_PROPOSED);
  v1::ListChangesRequest changes_request;
  v1::ListChangesResponse changes;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->ListChanges(&context, changes_request, &changes).ok());
  ASSERT_EQ(changes.changes_size(), 3);  // teacher, proposal, cancellation
  EXPECT_EQ(changes.changes(2).rotation().state(), v1::ROTATION_STATE_CANCELLED);
  EXPECT_EQ(changes.changes(2).rotation().history(1).request_id(), "c1");
}

TEST_F(RotationServerTest, AnAcknowledgedApprovalSurvivesKillNine) {
  ASSERT_TRUE(Upsert("roster", {Teacher(1)}).ok());
  absl::StatusOr<v1::Rotation> proposed = Propose("p1", "HD-1", "2024-10-01");
  ASSERT_TRUE(proposed.ok());
  ASSERT_TRUE(Approve("a1", proposed->rotation_id()).ok());
  EXPECT_EQ(server_->process().Stop(SIGKILL), 128 + SIGKILL);
  stub_.reset();
  Start();
  EXPECT_EQ(Summary(2024).rotated_teachers(), 1);
  v1::Rotation replayed;
  ASSERT_TRUE(Approve("a1", proposed->rotation_id(), &replayed).ok());
  EXPECT_EQ(replayed.state(), v1::ROTATION_STATE_APPROVED);
  const std::string metrics = HttpGet(server_->metrics_address(), "/metrics");
  EXPECT_NE(metrics.find("grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"ApproveRotation\","
                         "grpc_service=\"gzedu.rotation.v1.TeacherRotationService\",grpc_type=\"unary\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace gzedu::rotation
