#include "services/teacher_rotation/domain/teacher.h"

namespace gzedu::rotation {

bool Teacher::SameContent(const Teacher& o) const {
  return teacher_id == o.teacher_id && district_code == o.district_code && school_code == o.school_code &&
         stage == o.stage && full_time == o.full_time && subject == o.subject && highest_degree == o.highest_degree &&
         backbone_level == o.backbone_level && certified == o.certified &&
         training_hours_current_cycle == o.training_hours_current_cycle &&
         at_current_school_since == o.at_current_school_since && rotation_exempt == o.rotation_exempt &&
         school_ownership == o.school_ownership;
}

}  // namespace gzedu::rotation
