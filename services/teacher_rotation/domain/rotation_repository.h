#ifndef GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_ROTATION_REPOSITORY_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_ROTATION_REPOSITORY_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/requests.h"
#include "services/teacher_rotation/domain/teacher.h"

namespace gzedu::rotation {

// One write transaction of the rotation store: all of it becomes visible at
// Commit(), or none of it (dropping it uncommitted rolls back). Transactions
// are serialised. Not thread-safe; one request owns one. Every method
// returns Unavailable when the store cannot be reached, Internal otherwise.
class RotationWriteTransaction : public RequestLog {
 public:
  // A hint, not a read: the teachers the caller is about to look up
  // (FindTeacher), so a store that pays a round trip per statement can read
  // them at once and answer from memory. The default does nothing.
  virtual absl::Status PrefetchTeachers(const std::vector<std::string>& teacher_ids) {
    (void)teacher_ids;
    return absl::OkStatus();
  }
  virtual absl::StatusOr<std::optional<Teacher>> FindTeacher(absl::string_view teacher_id) = 0;
  virtual absl::StatusOr<std::optional<Rotation>> FindRotation(absl::string_view rotation_id) = 0;
  // Every rotation of the teacher, any state, in rotation_id order.
  virtual absl::StatusOr<std::vector<Rotation>> RotationsOfTeacher(absl::string_view teacher_id) = 0;
  // How many rotations exist (for numbering a new one).
  virtual absl::StatusOr<int64_t> CountRotations() = 0;
  // The version the next AppendChange in this transaction will use.
  virtual absl::StatusOr<int64_t> NextChangeVersion() = 0;
  // Appends `change` with the next change version (1, 2, ...), returned;
  // `change.change_version` is ignored.
  virtual absl::StatusOr<int64_t> AppendChange(const Change& change) = 0;
  // Create or replace; change_version already set.
  virtual absl::Status PutTeacher(const Teacher& teacher) = 0;
  virtual absl::Status PutRotation(const Rotation& rotation) = 0;
  virtual absl::Status Commit() = 0;
};

// The rotation service's store. Thread-safe; reads see committed writes.
// Every method returns Unavailable when the store cannot be reached,
// Internal otherwise.
class RotationRepository {
 public:
  virtual ~RotationRepository() = default;

  virtual absl::StatusOr<std::unique_ptr<RotationWriteTransaction>> BeginWrite() = 0;

  // Teachers of `district_code` (and home school `school_code` unless
  // empty) with ids after `after_id`, in id order, at most `limit`.
  virtual absl::StatusOr<std::vector<Teacher>> ListTeachers(absl::string_view district_code,
                                                            absl::string_view school_code, absl::string_view after_id,
                                                            int32_t limit) = 0;
  // Every teacher of a district (for the district's rotation summary).
  virtual absl::StatusOr<std::vector<Teacher>> TeachersOfDistrict(absl::string_view district_code) = 0;
  // Teachers whose home school is `school_code`, and those with an approved
  // rotation to or from it.
  virtual absl::StatusOr<std::vector<Teacher>> TeachersAroundSchool(absl::string_view school_code) = 0;
  // Rotations of a district's teachers (any state) after `after_id`, in id
  // order, effective in `school_year` unless it is 0, at most `limit`.
  virtual absl::StatusOr<std::vector<Rotation>> ListRotations(absl::string_view district_code, int32_t school_year,
                                                              absl::string_view after_id, int32_t limit) = 0;
  // Every approved rotation of a district's teachers.
  virtual absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfDistrict(absl::string_view district_code) = 0;
  // Approved rotations of the given teachers, by teacher id.
  virtual absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfTeachers(
      const std::vector<std::string>& teacher_ids) = 0;
  virtual absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) = 0;
  virtual absl::StatusOr<int64_t> LatestChangeVersion() = 0;
  virtual absl::Status CheckHealth() = 0;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_ROTATION_REPOSITORY_H_
