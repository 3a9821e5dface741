// Change feed and audit details (issue 15), through the real binaries: a
// school that moves district leaves a tombstone in the old one; with
// authentication on, a rotation step records the token's subject.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "common/auth/token.h"
#include "common/grpc/tls.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "gzedu/rotation/v1/rotation.grpc.pb.h"
#include "tests/support/server_process.h"

namespace gzedu {
namespace {

using gzedu::testing::ServerProcess;
using gzedu::testing::TempDir;
namespace rv1 = gzedu::registry::v1;
namespace tv1 = gzedu::rotation::v1;

rv1::School School(const std::string& district) {
  rv1::School school;
  school.set_school_code("3100000001");
  school.set_name("测试学校");
  school.set_district_code(district);
  school.set_school_type(rv1::SCHOOL_TYPE_PRIMARY);
  school.set_ownership(rv1::OWNERSHIP_PUBLIC);
  school.set_locale(rv1::LOCALE_URBAN);
  return school;
}

TEST(ChangeFeedTest, ASchoolMovedToAnotherDistrictLeavesATombstoneInTheOldOne) {
  TempDir dir;
  ServerProcess registry(GZEDU_REGISTRY_BINARY, dir.path() + "/registry.db");
  auto stub = rv1::SchoolRegistryService::NewStub(registry.channel());
  for (const auto& [request_id, district] :
       std::vector<std::pair<std::string, std::string>>{{"in-huadu", "440114"}, {"to-liwan", "440103"}}) {
    rv1::UpsertSchoolsRequest request;
    request.set_request_id(request_id);
    *request.add_schools() = School(district);
    rv1::UpsertSchoolsResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->UpsertSchools(&context, request, &response).ok());
  }
  rv1::ListChangesRequest request;
  request.set_since_version(1);  // after the first write
  rv1::ListChangesResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(stub->ListChanges(&context, request, &response).ok());
  ASSERT_EQ(response.changes_size(), 2);
  const rv1::Change& tombstone = response.changes(0);
  EXPECT_EQ(tombstone.kind(), common::v1::CHANGE_KIND_DELETE);
  EXPECT_EQ(tombstone.district_code(), "440114");
  EXPECT_EQ(tombstone.deleted_school_code(), "3100000001");
  const rv1::Change& upsert = response.changes(1);
  EXPECT_EQ(upsert.kind(), common::v1::CHANGE_KIND_UPSERT);
  EXPECT_EQ(upsert.district_code(), "440103");
  EXPECT_EQ(upsert.school().district_code(), "440103");
}

TEST(AuditTest, WithAuthenticationARotationStepRecordsTheTokensSubject) {
  TempDir dir;
  const std::string key = "a-test-signing-key-of-forty-bytes-length!";
  const std::string key_file = dir.path() + "/signing.key";
  std::ofstream(key_file) << key << "\n";
  ServerProcess rotation(GZEDU_ROTATION_BINARY, dir.path() + "/rotation.db", {"--auth-key-file=" + key_file});
  Principal principal;
  principal.subject = "huadu-district-system";
  principal.role = Role::kAdmin;
  principal.whole_city = true;
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  principal.issued_at_unix_s = now - 60;
  principal.expires_at_unix_s = now + 3600;
  absl::StatusOr<std::string> token = IssueToken(key, principal);
  ASSERT_TRUE(token.ok()) << token.status();
  const std::string bearer_token = *token;
  auto stub = tv1::TeacherRotationService::NewStub(
      OpenChannel(rotation.grpc_address(), ClientTls{}, [bearer_token] { return bearer_token; }));

  tv1::UpsertTeachersRequest roster;
  roster.set_request_id("roster");
  tv1::Teacher* t = roster.add_teachers();
  t->set_teacher_id("HD-1");
  t->set_district_code("440114");
  t->set_school_code("2144011401");
  t->set_stage(common::v1::STAGE_PRIMARY);
  t->set_full_time(true);
  t->set_subject(tv1::SUBJECT_OTHER);
  t->set_highest_degree(tv1::DEGREE_BACHELOR);
  t->set_backbone_level(tv1::BACKBONE_LEVEL_NONE);
  t->set_certified(true);
  t->set_at_current_school_since("2012-08-20");
  t->set_school_ownership(tv1::SCHOOL_OWNERSHIP_PUBLIC);
  {
    tv1::UpsertTeachersResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(stub->UpsertTeachers(&context, roster, &response).ok());
  }
  tv1::ProposeRotationRequest propose;
  propose.set_request_id("propose");
  propose.set_actor("局长");  // free text: not who the token says
  tv1::Rotation* r = propose.mutable_rotation();
  r->set_teacher_id("HD-1");
  r->set_from_school_code("2144011401");
  r->set_to_school_code("2144011403");
  r->set_kind(tv1::ROTATION_KIND_SUPPORT_TEACHING);
  r->set_effective_date("2024-09-01");
  tv1::ProposeRotationResponse proposed;
  grpc::ClientContext context;
  const grpc::Status status = stub->ProposeRotation(&context, propose, &proposed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(proposed.rotation().history_size(), 1);
  EXPECT_EQ(proposed.rotation().history(proposed.rotation().history_size() - 1).actor(), "huadu-district-system");
}

}  // namespace
}  // namespace gzedu
