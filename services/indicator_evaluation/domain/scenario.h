#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SCENARIO_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SCENARIO_H_

// Hypothetical changes to a district-year's inputs ("what if enrolment grows
// 5%?", "what if this school gets four more teachers?"), applied to an
// engine input without touching any store.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/status/field_violations.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::indicators {

// Enrolment scaled by `percent`: students and, where reported, class sizes
// by the same factor (each class in proportion to its size, so the sizes
// still add up and an oversize class never disappears unless students are
// removed from it); classes kept. Where class sizes are unknown they stay
// unknown (G5 then fails only when the students cannot fit the classes,
// otherwise it is pending).
struct EnrolmentChange {
  double percent = 0;
  std::optional<Stage> stage;  // only this stage
  std::string school_code;     // only this school (empty: all)
};

// A new single-section school; its students are spread evenly over its
// classes.
struct NewSchool {
  std::string school_code;
  std::string name;
  Stage stage = Stage::kPrimary;
  int32_t students = 0;
  int32_t classes = 0;
  engine::TeacherCounts teachers;
  engine::Facilities facilities;
};

// Teachers added to (negative: removed from) a section.
struct TeacherChange {
  std::string school_code;
  Stage stage = Stage::kPrimary;
  engine::TeacherCounts delta;  // full_time, above_required_qualification, backbone, pe_music_art
};

// Facilities added to a school's shared facilities (and to its sections'
// own in proportion to students, when it reports them per section).
struct FacilityChange {
  std::string school_code;
  engine::Facilities delta;
};

using ScenarioChange = std::variant<EnrolmentChange, NewSchool, TeacherChange, FacilityChange>;

// Applies `changes` in order to `input`. Adds a violation under
// "changes[i]" for every change that cannot apply (unknown school or
// section, a count that would turn negative, a school code in use, a
// percent below -100); `input` is then unspecified.
void ApplyScenario(const std::vector<ScenarioChange>& changes, engine::DistrictInput* input,
                   FieldViolations& violations);

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SCENARIO_H_
