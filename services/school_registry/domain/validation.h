#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_VALIDATION_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_VALIDATION_H_

#include <string>
#include <vector>

#include "common/status/field_violations.h"
#include "services/school_registry/domain/school.h"

namespace gzedu::registry {

// Limits of what the registry accepts. Each is a sanity bound, not a rule of
// the 2017 method: they catch unit mix-ups and corrupt files early. The
// bounds of quantities that enter an evaluation (students, classes, class
// sizes, areas, rooms, money) are the documented ones of
// common/domain/input_bounds.h, refused in the same words as on every other
// path.
inline constexpr int kMaxBatchSize = 5000;
inline constexpr int kMaxNameLength = 100;  // code points
inline constexpr int kMinBuildYear = 1850;
inline constexpr int kMaxBuildYear = 2100;
inline constexpr int kMinSchoolYear = 2000;
inline constexpr int kMaxSchoolYear = 2100;

// Each function appends every violation it finds to `violations`, with field
// paths below `path` (e.g. "schools[3]"); none stops at the first problem.

void ValidateRequestId(const std::string& request_id, FieldViolations& violations);
void ValidateSchoolCode(const std::string& code, const std::string& path, FieldViolations& violations);
void ValidateDistrictCode(const std::string& code, const std::string& path, FieldViolations& violations);
void ValidateSchool(const School& school, const std::string& path, FieldViolations& violations);

// Checks a record on its own: key, counts and amounts within their bounds
// (areas and rooms with at most two decimals), one section per stage, class
// sizes one per class adding up to the students (or, without sizes, no more
// classes than students and no more students than classes can hold), the
// school's students together within the bound, facilities.
void ValidateSchoolYearRecord(const SchoolYearRecord& record, const std::string& path, FieldViolations& violations);

// Checks that a record's sections fit the type of its school (a primary
// school has no junior section, a special-education school no section, ...).
void ValidateRecordFitsSchoolType(const SchoolYearRecord& record, SchoolType type, const std::string& path,
                                  FieldViolations& violations);

// Whole-batch checks: size and no natural key twice.
void ValidateSchoolBatch(const std::vector<School>& schools, FieldViolations& violations);
void ValidateRecordBatch(const std::vector<SchoolYearRecord>& records, FieldViolations& violations);

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_VALIDATION_H_
