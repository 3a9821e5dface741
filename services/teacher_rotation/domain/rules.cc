#include "services/teacher_rotation/domain/rules.h"

#include <cmath>

namespace gzedu::rotation {
namespace {

const std::vector<Rotation>& RotationsOf(const std::map<std::string, std::vector<Rotation>>& rotations,
                                         const std::string& teacher_id) {
  static const std::vector<Rotation> kNone;
  auto it = rotations.find(teacher_id);
  return it == rotations.end() ? kNone : it->second;
}

// ceil(numerator * percent / 100) in integers, so 10% of 1670 is 167 exactly.
int32_t CeilPercent(int64_t count, int64_t percent) { return static_cast<int32_t>((count * percent + 99) / 100); }

}  // namespace

bool AboveRequiredQualification(const Teacher& teacher) {
  if (teacher.stage == Stage::kPrimary) return teacher.highest_degree >= Degree::kAssociate;
  return teacher.highest_degree >= Degree::kBachelor;
}

bool BackboneCountyOrAbove(BackboneLevel level) { return level >= BackboneLevel::kCounty; }

bool TeachesPeMusicOrArt(const Teacher& teacher) {
  return teacher.subject == Subject::kPe || teacher.subject == Subject::kMusic || teacher.subject == Subject::kFineArt;
}

bool TrainingComplete(const Teacher& teacher) { return teacher.training_hours_current_cycle >= kTrainingHoursPerCycle; }

Assignment AssignmentOn(const Teacher& teacher, const std::vector<Rotation>& approved, const Date& date) {
  Assignment assignment{teacher.school_code, Date::Parse(teacher.at_current_school_since).value_or(Date{})};
  const Rotation* latest = nullptr;
  Date latest_start;
  for (const Rotation& rotation : approved) {
    const std::optional<Date> start = Date::Parse(rotation.effective_date);
    if (!start || date < *start) continue;
    if (latest == nullptr || latest_start < *start) {
      latest = &rotation;
      latest_start = *start;
    }
  }
  if (latest == nullptr) return assignment;
  const std::optional<Date> end = Date::Parse(latest->end_date);
  if (!end || date < *end) return {latest->to_school_code, latest_start};
  // Back at the rotation's origin since the rotation ended.
  return {latest->from_school_code, *end};
}

void Shortfall(int32_t eligible, int32_t rotated, int32_t rotated_backbone, int32_t* additional,
               int32_t* additional_backbone) {
  int32_t extra = std::max(0, CeilPercent(eligible, static_cast<int64_t>(kMinRotationPercent)) - rotated);
  int32_t backbone = 0;
  // Backbone rotations count towards the total too: grow until both hold.
  while (true) {
    backbone =
        std::max(0, CeilPercent(rotated + extra, static_cast<int64_t>(kMinBackboneSharePercent)) - rotated_backbone);
    if (backbone <= extra) break;
    extra = backbone;
  }
  *additional = extra;
  *additional_backbone = backbone;
}

RotationSummary Summarize(const std::vector<Teacher>& teachers,
                          const std::map<std::string, std::vector<Rotation>>& rotations, int32_t school_year,
                          int32_t min_years) {
  RotationSummary summary;
  summary.min_years_at_school = min_years;
  const Date start = Date::SchoolYearStart(school_year);
  for (const Teacher& teacher : teachers) {
    const std::vector<Rotation>& approved = RotationsOf(rotations, teacher.teacher_id);
    if (teacher.full_time && teacher.school_ownership == SchoolOwnership::kPublic && !teacher.rotation_exempt) {
      const Assignment assignment = AssignmentOn(teacher, approved, start);
      if (WholeYearsBetween(assignment.since, start) >= min_years) ++summary.eligible_teachers;
    }
    bool rotated = false;
    for (const Rotation& rotation : approved) {
      const std::optional<Date> effective = Date::Parse(rotation.effective_date);
      if (effective && effective->SchoolYear() == school_year) rotated = true;
    }
    if (!rotated) continue;
    ++summary.rotated_teachers;
    if (BackboneCountyOrAbove(teacher.backbone_level)) ++summary.rotated_backbone_teachers;
  }
  if (summary.eligible_teachers > 0) {
    summary.rotation_ratio = 100.0 * summary.rotated_teachers / summary.eligible_teachers;
  }
  if (summary.rotated_teachers > 0) {
    summary.backbone_share = 100.0 * summary.rotated_backbone_teachers / summary.rotated_teachers;
  }
  Shortfall(summary.eligible_teachers, summary.rotated_teachers, summary.rotated_backbone_teachers,
            &summary.additional_rotations_needed, &summary.additional_backbone_rotations_needed);
  summary.meets_standard = summary.eligible_teachers > 0 && summary.additional_rotations_needed == 0 &&
                           summary.additional_backbone_rotations_needed == 0;
  return summary;
}

std::vector<SectionStaffing> StaffingBySchool(const std::vector<Teacher>& teachers,
                                              const std::map<std::string, std::vector<Rotation>>& rotations,
                                              int32_t school_year) {
  const Date start = Date::SchoolYearStart(school_year);
  std::map<std::pair<std::string, Stage>, SectionStaffing> sections;
  for (const Teacher& teacher : teachers) {
    if (!teacher.full_time) continue;
    std::string school = AssignmentOn(teacher, RotationsOf(rotations, teacher.teacher_id), start).school_code;
    SectionStaffing& s = sections[{school, teacher.stage}];
    s.school_code = std::move(school);
    s.stage = teacher.stage;
    ++s.full_time_teachers;
    if (AboveRequiredQualification(teacher)) ++s.above_required_qualification;
    if (BackboneCountyOrAbove(teacher.backbone_level)) ++s.backbone_county_or_above;
    if (TeachesPeMusicOrArt(teacher)) ++s.pe_music_art;
    if (teacher.certified) ++s.certified;
    if (TrainingComplete(teacher)) ++s.training_complete;
  }
  std::vector<SectionStaffing> result;
  result.reserve(sections.size());
  for (auto& [key, staffing] : sections) result.push_back(std::move(staffing));
  return result;
}

std::vector<SectionStaffing> StaffingOf(const std::string& school_code, const std::vector<Teacher>& teachers,
                                        const std::map<std::string, std::vector<Rotation>>& rotations,
                                        int32_t school_year) {
  std::vector<SectionStaffing> result;
  for (SectionStaffing& s : StaffingBySchool(teachers, rotations, school_year)) {
    if (s.school_code == school_code) result.push_back(std::move(s));
  }
  return result;
}

}  // namespace gzedu::rotation
