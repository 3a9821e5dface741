#ifndef GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "common/domain/stage.h"

namespace gzedu::rotation {

// Values of these enums match gzedu.rotation.v1; values outside the list can
// arrive from the wire and are rejected by validation.
enum class Subject { kUnspecified = 0, kPe = 1, kMusic = 2, kFineArt = 3, kOther = 4 };
enum class Degree { kUnspecified = 0, kSecondary = 1, kAssociate = 2, kBachelor = 3, kMaster = 4, kDoctorate = 5 };
enum class BackboneLevel {
  kUnspecified = 0,
  kNone = 1,
  kSchool = 2,
  kCounty = 3,  // 县级: the lowest level that counts for R2 and G11
  kCity = 4,
  kProvince = 5,
  kNational = 6,
};
enum class SchoolOwnership { kUnspecified = 0, kPublic = 1, kPrivate = 2 };
enum class RotationKind {
  kUnspecified = 0,
  kExchange = 1,         // 交流
  kRotation = 2,         // 轮岗
  kSupportTeaching = 3,  // 支教
  kItinerant = 4,        // 走教
};
enum class RotationState { kUnspecified = 0, kProposed = 1, kApproved = 2, kCancelled = 3 };

// A teacher on the district's roster; natural key teacher_id. Holds no
// personal data.
struct Teacher {
  std::string teacher_id;  // opaque, district-issued
  std::string district_code;
  std::string school_code;  // home school
  Stage stage = Stage::kUnspecified;
  bool full_time = false;
  Subject subject = Subject::kUnspecified;
  Degree highest_degree = Degree::kUnspecified;
  BackboneLevel backbone_level = BackboneLevel::kUnspecified;
  bool certified = false;
  int32_t training_hours_current_cycle = 0;
  std::string at_current_school_since;  // YYYY-MM-DD
  bool rotation_exempt = false;
  SchoolOwnership school_ownership = SchoolOwnership::kUnspecified;
  int64_t change_version = 0;  // set by the service

  // Equal in everything a client writes.
  bool SameContent(const Teacher& other) const;
};

// One workflow step of a rotation.
struct RotationStep {
  RotationState state = RotationState::kUnspecified;
  std::string actor;
  std::string request_id;
  int64_t change_version = 0;
};

// A teacher's move to another school for a period.
struct Rotation {
  std::string rotation_id;  // assigned on proposal
  std::string teacher_id;
  std::string district_code;  // the teacher's, when proposed
  std::string from_school_code;
  std::string to_school_code;
  RotationKind kind = RotationKind::kUnspecified;
  std::string effective_date;  // YYYY-MM-DD
  std::string end_date;        // YYYY-MM-DD, or empty for open-ended
  RotationState state = RotationState::kUnspecified;
  std::vector<RotationStep> history;
  int64_t change_version = 0;
};

// One entry of the change feed: the entity as written.
struct Change {
  int64_t change_version = 0;
  std::string request_id;
  std::string district_code;
  std::variant<Teacher, Rotation> entity;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_TEACHER_H_
