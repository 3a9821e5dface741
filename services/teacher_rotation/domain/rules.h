#ifndef GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_RULES_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_RULES_H_

#include <map>
#include <string>
#include <vector>

#include "common/domain/date.h"
#include "services/teacher_rotation/domain/teacher.h"

namespace gzedu::rotation {

// 教督〔2017〕6号, 政府保障程度 item 9: 360 hours per 5-year cycle.
inline constexpr int32_t kTrainingHoursPerCycle = 360;
// 政府保障程度 item 11: at least 10% of eligible teachers rotate each year,
// and backbone teachers are at least 20% of those.
inline constexpr double kMinRotationPercent = 10;
inline constexpr double kMinBackboneSharePercent = 20;
// indicators.md section 4 (2014 national opinion): eligibility after six
// consecutive years at the school; configurable per province.
inline constexpr int32_t kDefaultMinYearsAtSchool = 6;

// "Above the required qualification" (高于规定学历): junior college or higher
// for primary teachers, bachelor or higher for junior teachers.
bool AboveRequiredQualification(const Teacher& teacher);
// County level or above (县级以上骨干教师).
bool BackboneCountyOrAbove(BackboneLevel level);
bool TeachesPeMusicOrArt(const Teacher& teacher);
bool TrainingComplete(const Teacher& teacher);

// Where a teacher works on a date, and since when.
struct Assignment {
  std::string school_code;
  Date since;
};

// The teacher's assignment on `date`, given the teacher's approved
// rotations (any order): the school of the latest rotation in effect on
// that date, or the home school (since the rotation ended, if it did).
Assignment AssignmentOn(const Teacher& teacher, const std::vector<Rotation>& approved, const Date& date);

// The G11 figures of one district and school year.
struct RotationSummary {
  int32_t eligible_teachers = 0;
  int32_t rotated_teachers = 0;
  int32_t rotated_backbone_teachers = 0;
  double rotation_ratio = 0;  // percent
  double backbone_share = 0;  // percent
  bool meets_standard = false;
  int32_t additional_rotations_needed = 0;
  int32_t additional_backbone_rotations_needed = 0;
  int32_t min_years_at_school = kDefaultMinYearsAtSchool;
};

// Eligible: full-time, public school, not exempt, at least `min_years` at
// the current school on 1 September of `school_year`. Rotated: an approved
// rotation became effective within the school year. `rotations` maps
// teacher ids to their approved rotations.
RotationSummary Summarize(const std::vector<Teacher>& teachers,
                          const std::map<std::string, std::vector<Rotation>>& rotations, int32_t school_year,
                          int32_t min_years);

// The smallest numbers of additional rotations, and of backbone teachers
// among them, that make `rotated` of `eligible` reach 10% with 20% backbone.
void Shortfall(int32_t eligible, int32_t rotated, int32_t rotated_backbone, int32_t* additional,
               int32_t* additional_backbone);

// Teacher counts of one section (R1-R3, G9, G12), among full-time teachers.
struct SectionStaffing {
  Stage stage = Stage::kPrimary;
  int32_t full_time_teachers = 0;
  int32_t above_required_qualification = 0;
  int32_t backbone_county_or_above = 0;
  int32_t pe_music_art = 0;
  int32_t certified = 0;
  int32_t training_complete = 0;
  std::string school_code;
};

// Counts `teachers` (each with its approved rotations in `rotations`) that
// work at `school_code` on 1 September of `school_year`, per stage.
// Counts `teachers` per school and stage, where each works on 1 September
// of `school_year`; sections in school-code then stage order.
std::vector<SectionStaffing> StaffingBySchool(const std::vector<Teacher>& teachers,
                                              const std::map<std::string, std::vector<Rotation>>& rotations,
                                              int32_t school_year);

std::vector<SectionStaffing> StaffingOf(const std::string& school_code, const std::vector<Teacher>& teachers,
                                        const std::map<std::string, std::vector<Rotation>>& rotations,
                                        int32_t school_year);

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_DOMAIN_RULES_H_
