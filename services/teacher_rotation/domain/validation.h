#ifndef GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_VALIDATION_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_VALIDATION_H_

#include <string>
#include <vector>

#include "common/status/field_violations.h"
#include "services/teacher_rotation/domain/teacher.h"

namespace gzedu::rotation {

inline constexpr int kMaxBatchSize = 5000;
inline constexpr int32_t kMaxTrainingHours = 2000;

// True for text shaped like a mainland resident ID number (18 characters:
// 17 digits and a digit or X; or the old 15 digits). Such a value is never
// stored: the roster holds only opaque district-issued ids.
bool LooksLikeResidentId(const std::string& text);

// Each appends every violation found, with paths below `path`.
void ValidateTeacherId(const std::string& teacher_id, const std::string& path, FieldViolations& violations);
void ValidateTeacher(const Teacher& teacher, const std::string& path, FieldViolations& violations);
void ValidateTeacherBatch(const std::vector<Teacher>& teachers, FieldViolations& violations);
// A proposed rotation on its own (the teacher's existence and school are
// checked against the store by the use case).
void ValidateRotation(const Rotation& rotation, const std::string& path, FieldViolations& violations);
void ValidateActor(const std::string& actor, FieldViolations& violations);

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_VALIDATION_H_
