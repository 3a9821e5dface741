#ifndef GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_IN_MEMORY_ROTATION_REPOSITORY_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_IN_MEMORY_ROTATION_REPOSITORY_H_

#include <map>
#include <mutex>

#include "services/teacher_rotation/domain/rotation_repository.h"

namespace gzedu::rotation {

// A RotationRepository in memory, for tests. Thread-safe: a write
// transaction holds the write lock and works on a copy of the state that
// replaces it at Commit().
class InMemoryRotationRepository : public RotationRepository {
 public:
  struct State {
    std::map<std::string, Teacher> teachers;
    std::map<std::string, Rotation> rotations;
    std::vector<Change> changes;  // changes[i].change_version == i + 1
    std::map<std::string, RequestRecord> requests;
  };

  absl::StatusOr<std::unique_ptr<RotationWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::vector<Teacher>> ListTeachers(absl::string_view district_code, absl::string_view school_code,
                                                    absl::string_view after_id, int32_t limit) override;
  absl::StatusOr<std::vector<Teacher>> TeachersOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Teacher>> TeachersAroundSchool(absl::string_view school_code) override;
  absl::StatusOr<std::vector<Rotation>> ListRotations(absl::string_view district_code, int32_t school_year,
                                                      absl::string_view after_id, int32_t limit) override;
  absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfTeachers(const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override { return absl::OkStatus(); }

 private:
  class Transaction;
  std::mutex write_mutex_;
  std::mutex state_mutex_;
  State state_;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_IN_MEMORY_ROTATION_REPOSITORY_H_
