#ifndef GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_ROTATION_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_ROTATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/access.h"
#include "common/domain/date.h"
#include "common/domain/events.h"
#include "services/teacher_rotation/domain/rotation_repository.h"
#include "services/teacher_rotation/domain/rules.h"

namespace gzedu::rotation {

struct TeacherPage {
  std::vector<Teacher> teachers;
  std::vector<std::string> current_school_codes;  // where each works today
  std::string next_page_token;
};

struct RotationPage {
  std::vector<Rotation> rotations;
  std::string next_page_token;
};

struct ChangePage {
  std::vector<Change> changes;
  int64_t latest_version = 0;
};

// A rotation as a workflow call answered it.
struct RotationResult {
  Rotation rotation;
  bool replayed = false;
};

// The rotation service's use cases over a RotationRepository and a Clock
// (neither owned; both must outlive it). Stateless, so thread-safe when the
// repository is.
//
// Errors: InvalidArgument with every field violation (nothing written);
// AlreadyExists for a request id reused with other content; NotFound for an
// unknown rotation; FailedPrecondition for a transition out of order or an
// approval that would overlap another approved rotation of the teacher;
// Unavailable and Internal from the store.
class TeacherRotation {
 public:
  TeacherRotation(RotationRepository* repository, const Clock* clock, int32_t min_years_at_school)
      : repository_(repository), clock_(clock), min_years_at_school_(min_years_at_school) {}
  // Announces every committed write to `publisher` (not owned; may be
  // null). Set before serving.
  void set_event_publisher(EventPublisher* publisher) { publisher_ = publisher; }

  // Writes are checked against `scope` (see AccessScope): a teacher's
  // district (and, when already on the roster, the district it is in); a
  // rotation's teacher's district and the district of the school it goes to
  // (as the roster knows it: the district of the teachers working there).
  // PERMISSION_DENIED naming the rows outside it, and nothing written.
  absl::StatusOr<WriteSummary> UpsertTeachers(const std::string& request_id, const std::vector<Teacher>& teachers,
                                              bool dry_run, const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<TeacherPage> ListTeachers(const std::string& district_code, const std::string& school_code,
                                           int32_t page_size, const std::string& page_token);
  absl::StatusOr<RotationResult> ProposeRotation(const std::string& request_id, const Rotation& rotation,
                                                 const std::string& actor,
                                                 const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<RotationResult> ApproveRotation(const std::string& request_id, const std::string& rotation_id,
                                                 const std::string& actor,
                                                 const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<RotationResult> CancelRotation(const std::string& request_id, const std::string& rotation_id,
                                                const std::string& actor,
                                                const AccessScope& scope = AccessScope::WholeCity());
  absl::StatusOr<RotationPage> ListRotations(const std::string& district_code, int32_t school_year, int32_t page_size,
                                             const std::string& page_token);
  absl::StatusOr<std::vector<SectionStaffing>> GetSectionStaffing(const std::string& school_code, int32_t school_year);
  // Every section staffed by the district's teachers (school, then stage).
  // INVALID_ARGUMENT for a bad district or year.
  absl::StatusOr<std::vector<SectionStaffing>> GetDistrictStaffing(const std::string& district_code,
                                                                   int32_t school_year);
  absl::StatusOr<RotationSummary> GetRotationSummary(const std::string& district_code, int32_t school_year);
  absl::StatusOr<ChangePage> ListChanges(int64_t since_version, int32_t page_size);

 private:
  absl::StatusOr<RotationResult> Transition(const std::string& request_id, const std::string& rotation_id,
                                            const std::string& actor, RotationState target, const AccessScope& scope);

  void PublishRotation(const Rotation& rotation, int64_t version);

  RotationRepository* repository_;
  EventPublisher* publisher_ = nullptr;
  const Clock* clock_;
  int32_t min_years_at_school_;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_ROTATION_H_
