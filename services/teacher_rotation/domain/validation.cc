#include "services/teacher_rotation/domain/validation.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/domain/text.h"

namespace gzedu::rotation {
namespace {

std::string Field(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

bool Between(int value, int low, int high) { return value >= low && value <= high; }

}  // namespace

bool LooksLikeResidentId(const std::string& text) {
  if (text.size() == 15) return IsDigits(text, 15);
  if (text.size() != 18) return false;
  const char last = text[17];
  return IsDigits(text.substr(0, 17), 17) && ((last >= '0' && last <= '9') || last == 'X' || last == 'x');
}

void ValidateTeacherId(const std::string& teacher_id, const std::string& path, FieldViolations& violations) {
  bool shape = !teacher_id.empty() && teacher_id.size() <= 64;
  for (char c : teacher_id) {
    shape =
        shape && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_');
  }
  if (!shape) {
    violations.Add(Field(path, "teacher_id"), "must be 1 to 64 letters, digits, '-' or '_'");
  } else if (LooksLikeResidentId(teacher_id)) {
    violations.Add(Field(path, "teacher_id"),
                   "looks like a resident ID number; use the district-issued opaque id (no personal data is stored)");
  }
}

void ValidateTeacher(const Teacher& t, const std::string& path, FieldViolations& violations) {
  ValidateTeacherId(t.teacher_id, path, violations);
  if (FindDistrict(t.district_code) == nullptr) {
    violations.Add(Field(path, "district_code"),
                   absl::StrCat("'", t.district_code, "' is not one of the 11 districts"));
  }
  if (!IsDigits(t.school_code, 10)) violations.Add(Field(path, "school_code"), "must be a 10-digit school identifier");
  if (!IsKnownStage(t.stage)) violations.Add(Field(path, "stage"), "must be STAGE_PRIMARY or STAGE_JUNIOR");
  if (!Between(static_cast<int>(t.subject), 1, 4)) violations.Add(Field(path, "subject"), "must be a SUBJECT_* value");
  if (!Between(static_cast<int>(t.highest_degree), 1, 5)) {
    violations.Add(Field(path, "highest_degree"), "must be a DEGREE_* value");
  }
  if (!Between(static_cast<int>(t.backbone_level), 1, 6)) {
    violations.Add(Field(path, "backbone_level"),
                   "must be a BACKBONE_LEVEL_* value (NONE when not a backbone teacher)");
  }
  if (!Between(static_cast<int>(t.school_ownership), 1, 2)) {
    violations.Add(Field(path, "school_ownership"), "must be SCHOOL_OWNERSHIP_PUBLIC or SCHOOL_OWNERSHIP_PRIVATE");
  }
  if (!Between(t.training_hours_current_cycle, 0, kMaxTrainingHours)) {
    violations.Add(Field(path, "training_hours_current_cycle"),
                   absl::StrCat("must be between 0 and ", kMaxTrainingHours));
  }
  if (!Date::Parse(t.at_current_school_since).has_value()) {
    violations.Add(Field(path, "at_current_school_since"), "must be a date YYYY-MM-DD");
  }
}

void ValidateTeacherBatch(const std::vector<Teacher>& teachers, FieldViolations& violations) {
  if (teachers.empty() || teachers.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("teachers", absl::StrCat("must hold 1 to ", kMaxBatchSize, " teachers"));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < teachers.size(); ++i) {
    const std::string path = absl::StrCat("teachers[", i, "]");
    ValidateTeacher(teachers[i], path, violations);
    auto [it, inserted] = first.emplace(teachers[i].teacher_id, i);
    if (!inserted) violations.Add(path + ".teacher_id", absl::StrCat("repeats teachers[", it->second, "]"));
  }
}

void ValidateRotation(const Rotation& r, const std::string& path, FieldViolations& violations) {
  ValidateTeacherId(r.teacher_id, path, violations);
  if (!IsDigits(r.from_school_code, 10)) {
    violations.Add(Field(path, "from_school_code"), "must be a 10-digit school identifier");
  }
  if (!IsDigits(r.to_school_code, 10)) {
    violations.Add(Field(path, "to_school_code"), "must be a 10-digit school identifier");
  } else if (r.to_school_code == r.from_school_code) {
    violations.Add(Field(path, "to_school_code"), "must differ from from_school_code");
  }
  if (!Between(static_cast<int>(r.kind), 1, 4)) violations.Add(Field(path, "kind"), "must be a ROTATION_KIND_* value");
  const std::optional<Date> effective = Date::Parse(r.effective_date);
  if (!effective) violations.Add(Field(path, "effective_date"), "must be a date YYYY-MM-DD");
  if (!r.end_date.empty()) {
    const std::optional<Date> end = Date::Parse(r.end_date);
    if (!end) {
      violations.Add(Field(path, "end_date"), "must be a date YYYY-MM-DD, or empty for an open-ended rotation");
    } else if (effective && *end <= *effective) {
      violations.Add(Field(path, "end_date"), "must be after effective_date");
    }
  }
}

void ValidateActor(const std::string& actor, FieldViolations& violations) {
  const std::optional<size_t> length = Utf8PrintableLength(actor);
  if (!length || *length == 0 || *length > 128) {
    violations.Add("actor", "must name who acts: 1 to 128 characters of valid UTF-8");
  }
}

}  // namespace gzedu::rotation
