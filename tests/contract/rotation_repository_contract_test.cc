// One contract for every RotationRepository adapter.
#include <gtest/gtest.h>

#include "services/teacher_rotation/storage/in_memory_rotation_repository.h"
#include "services/teacher_rotation/storage/sql_rotation_repository.h"
#include "tests/support/postgres_server.h"
#include "tests/support/rotation_fixtures.h"
#include "tests/support/subprocess.h"

namespace gzedu::rotation {
namespace {

using gzedu::testing::MakeRotation;
using gzedu::testing::MakeTeacher;

struct InMemoryFactory {
  std::unique_ptr<RotationRepository> Create() { return std::make_unique<InMemoryRotationRepository>(); }
};

struct SqliteFactory {
  gzedu::testing::TempDir dir;
  std::unique_ptr<RotationRepository> Create() {
    auto repository = SqlRotationRepository::Open("sqlite:" + dir.path() + "/rotation.db", nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return std::move(*repository);
  }
};

// A fresh database on the test run's PostgreSQL server for every test.
struct PostgresFactory {
  std::unique_ptr<RotationRepository> Create() {
    auto repository = SqlRotationRepository::Open(gzedu::testing::FreshPostgresDatabase(), nullptr);
    EXPECT_TRUE(repository.ok()) << repository.status();
    return repository.ok() ? std::move(*repository) : nullptr;
  }
};

template <typename Factory>
class RotationRepositoryContractTest : public ::testing::Test {
 protected:
  void SetUp() override { repository_ = factory_.Create(); }

  void Put(Teacher teacher) {
    auto txn = *repository_->BeginWrite();
    teacher.change_version = *txn->AppendChange(Change{0, "r", teacher.district_code, teacher});
    ASSERT_TRUE(txn->PutTeacher(teacher).ok());
    ASSERT_TRUE(txn->Commit().ok());
  }

  Rotation Put(Rotation rotation, RotationState state, const std::string& id) {
    auto txn = *repository_->BeginWrite();
    rotation.rotation_id = id;
    rotation.district_code = "440114";
    rotation.state = state;
    rotation.change_version = *txn->NextChangeVersion();
    rotation.history = {{RotationState::kProposed, "hr", "p-" + id, rotation.change_version}};
    EXPECT_EQ(*txn->AppendChange(Change{0, "r", "440114", rotation}), rotation.change_version);
    EXPECT_TRUE(txn->PutRotation(rotation).ok());
    EXPECT_TRUE(txn->Commit().ok());
    return rotation;
  }

  Factory factory_;
  std::unique_ptr<RotationRepository> repository_;
};

using Adapters = ::testing::Types<InMemoryFactory, SqliteFactory, PostgresFactory>;
TYPED_TEST_SUITE(RotationRepositoryContractTest, Adapters);

TYPED_TEST(RotationRepositoryContractTest, TeachersRoundTripExactly) {
  Teacher teacher = MakeTeacher(1);
  teacher.subject = Subject::kFineArt;
  teacher.highest_degree = Degree::kMaster;
  teacher.backbone_level = BackboneLevel::kProvince;
  teacher.rotation_exempt = true;
  teacher.training_hours_current_cycle = 512;
  teacher.school_ownership = SchoolOwnership::kPrivate;
  teacher.stage = Stage::kJunior;
  this->Put(teacher);
  auto listed = this->repository_->ListTeachers("440114", "", "", 10);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].SameContent(teacher));
  EXPECT_EQ((*listed)[0].change_version, 1);
  auto changes = this->repository_->ListChanges(0, 10);
  ASSERT_EQ(changes->size(), 1u);
  EXPECT_TRUE(std::get<Teacher>((*changes)[0].entity).SameContent(teacher));
}

TYPED_TEST(RotationRepositoryContractTest, ListsTeachersByDistrictSchoolAndPosition) {
  for (int i = 1; i <= 5; ++i) this->Put(MakeTeacher(i, "2010-01-01", i % 2 ? "2144011401" : "2144011402"));
  Teacher liwan = MakeTeacher(9);
  liwan.district_code = "440103";
  this->Put(liwan);
  EXPECT_EQ(this->repository_->ListTeachers("440114", "", "", 100)->size(), 5u);
  EXPECT_EQ(this->repository_->ListTeachers("440114", "2144011402", "", 100)->size(), 2u);
  auto after = this->repository_->ListTeachers("440114", "", "HD-T2", 2);
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].teacher_id, "HD-T3");
  EXPECT_EQ(this->repository_->TeachersOfDistrict("440103")->size(), 1u);
}

TYPED_TEST(RotationRepositoryContractTest, RotationsRoundTripWithTheirHistory) {
  this->Put(MakeTeacher(1));
  const Rotation stored =
      this->Put(MakeRotation("HD-T1", "2024-10-01", "2025-07-01"), RotationState::kProposed, "rot-000001");
  auto txn = *this->repository_->BeginWrite();
  auto found = txn->FindRotation("rot-000001");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->end_date, "2025-07-01");
  EXPECT_EQ((*found)->history.size(), 1u);
  EXPECT_EQ((*found)->history[0].request_id, "p-rot-000001");
  EXPECT_EQ((*found)->history[0].change_version, stored.change_version);
  EXPECT_EQ(*txn->CountRotations(), 1);
  EXPECT_EQ(txn->RotationsOfTeacher("HD-T1")->size(), 1u);
}

TYPED_TEST(RotationRepositoryContractTest, FindsApprovedRotationsAndTheTeachersAroundASchool) {
  this->Put(MakeTeacher(1));
  this->Put(MakeTeacher(2, "2010-01-01", "2144011403"));
  this->Put(MakeRotation("HD-T1", "2024-10-01"), RotationState::kApproved, "rot-000001");
  this->Put(MakeRotation("HD-T2", "2024-10-01", "", "2144011403", "2144011402"), RotationState::kProposed,
            "rot-000002");
  EXPECT_EQ(this->repository_->ApprovedRotationsOfDistrict("440114")->size(), 1u);
  EXPECT_EQ(this->repository_->ApprovedRotationsOfTeachers({"HD-T1", "HD-T2"})->size(), 1u);
  auto around = this->repository_->TeachersAroundSchool("2144011402");
  ASSERT_EQ(around->size(), 1u);  // HD-T1 rotates in; HD-T2's rotation is only proposed
  EXPECT_EQ((*around)[0].teacher_id, "HD-T1");
  EXPECT_EQ(this->repository_->ListRotations("440114", 2024, "", 10)->size(), 2u);
  EXPECT_EQ(this->repository_->ListRotations("440114", 2023, "", 10)->size(), 0u);
  EXPECT_EQ(this->repository_->ListRotations("440114", 0, "rot-000001", 10)->size(), 1u);
}

TYPED_TEST(RotationRepositoryContractTest, DroppedTransactionsLeaveNothingAndVersionsAreConsecutive) {
  {
    auto txn = *this->repository_->BeginWrite();
    Teacher teacher = MakeTeacher(1);
    teacher.change_version = *txn->AppendChange(Change{0, "r", "440114", teacher});
    ASSERT_TRUE(txn->PutTeacher(teacher).ok());
    ASSERT_TRUE(txn->PutRequest({"r", "fp", {}, ""}).ok());
  }
  EXPECT_EQ(*this->repository_->LatestChangeVersion(), 0);
  EXPECT_TRUE(this->repository_->TeachersOfDistrict("440114")->empty());
  this->Put(MakeTeacher(1));
  this->Put(MakeTeacher(2));
  EXPECT_EQ(*this->repository_->LatestChangeVersion(), 2);
  auto txn = *this->repository_->BeginWrite();
  EXPECT_EQ(*txn->NextChangeVersion(), 3);
  EXPECT_FALSE(txn->FindRequest("r")->has_value());
}

}  // namespace
}  // namespace gzedu::rotation
