#include "services/teacher_rotation/domain/validation.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/domain/text.h"
#include "common/status/texts.h"

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
    violations.Add(Field(path, "teacher_id"), "must be 1 to 64 letters, digits, '-' or '_'",
                   "必须是 1 到 64 个半角字母、数字、“-”或“_”");
  } else if (LooksLikeResidentId(teacher_id)) {
    violations.Add(Field(path, "teacher_id"),
                   "looks like a resident ID number; use the district-issued opaque id (no personal data is stored)",
                   "看起来像居民身份证号；请使用区里分配的教师标识（本系统不存个人信息）");
  }
}

void ValidateTeacher(const Teacher& t, const std::string& path, FieldViolations& violations) {
  ValidateTeacherId(t.teacher_id, path, violations);
  if (FindDistrict(t.district_code) == nullptr) {
    violations.Add(Field(path, "district_code"), absl::StrCat("'", t.district_code, "' is not one of the 11 districts"),
                   absl::StrCat("“", t.district_code, "”不是广州市 11 个区的区代码之一"));
  }
  if (!IsDigits(t.school_code, 10)) violations.Add(Field(path, "school_code"), texts::InvalidSchoolCode());
  if (!IsKnownStage(t.stage)) violations.Add(Field(path, "stage"), texts::InvalidStage());
  if (!Between(static_cast<int>(t.subject), 1, 4))
    violations.Add(Field(path, "subject"), "must be a SUBJECT_* value", "必须是某个学科（SUBJECT_*）");
  if (!Between(static_cast<int>(t.highest_degree), 1, 5)) {
    violations.Add(Field(path, "highest_degree"), "must be a DEGREE_* value", "必须是某个学历（DEGREE_*）");
  }
  if (!Between(static_cast<int>(t.backbone_level), 1, 6)) {
    violations.Add(Field(path, "backbone_level"), "must be a BACKBONE_LEVEL_* value (NONE when not a backbone teacher)",
                   "必须是某个骨干教师级别（BACKBONE_LEVEL_*；不是骨干教师时为 BACKBONE_LEVEL_NONE）");
  }
  if (!Between(static_cast<int>(t.school_ownership), 1, 2)) {
    violations.Add(Field(path, "school_ownership"), "must be SCHOOL_OWNERSHIP_PUBLIC or SCHOOL_OWNERSHIP_PRIVATE",
                   "必须是公办（SCHOOL_OWNERSHIP_PUBLIC）或民办（SCHOOL_OWNERSHIP_PRIVATE）");
  }
  if (!Between(t.training_hours_current_cycle, 0, kMaxTrainingHours)) {
    violations.Add(Field(path, "training_hours_current_cycle"), texts::MustBeBetween(0, kMaxTrainingHours));
  }
  if (!Date::Parse(t.at_current_school_since).has_value()) {
    violations.Add(Field(path, "at_current_school_since"), texts::InvalidDate());
  }
}

void ValidateTeacherBatch(const std::vector<Teacher>& teachers, FieldViolations& violations) {
  if (teachers.empty() || teachers.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("teachers", texts::MustHoldOneTo(kMaxBatchSize, {"teachers", "名教师"}));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < teachers.size(); ++i) {
    const std::string path = absl::StrCat("teachers[", i, "]");
    ValidateTeacher(teachers[i], path, violations);
    auto [it, inserted] = first.emplace(teachers[i].teacher_id, i);
    if (!inserted)
      violations.Add(path + ".teacher_id", absl::StrCat("repeats teachers[", it->second, "]"),
                     absl::StrCat("与 teachers[", it->second, "] 重复"));
  }
}

void ValidateRotation(const Rotation& r, const std::string& path, FieldViolations& violations) {
  ValidateTeacherId(r.teacher_id, path, violations);
  if (!IsDigits(r.from_school_code, 10)) {
    violations.Add(Field(path, "from_school_code"), texts::InvalidSchoolCode());
  }
  if (!IsDigits(r.to_school_code, 10)) {
    violations.Add(Field(path, "to_school_code"), texts::InvalidSchoolCode());
  } else if (r.to_school_code == r.from_school_code) {
    violations.Add(Field(path, "to_school_code"), "must differ from from_school_code", "必须与 from_school_code 不同");
  }
  if (!Between(static_cast<int>(r.kind), 1, 4))
    violations.Add(Field(path, "kind"), "must be a ROTATION_KIND_* value", "必须是某种轮岗方式（ROTATION_KIND_*）");
  const std::optional<Date> effective = Date::Parse(r.effective_date);
  if (!effective) violations.Add(Field(path, "effective_date"), texts::InvalidDate());
  if (!r.end_date.empty()) {
    const std::optional<Date> end = Date::Parse(r.end_date);
    if (!end) {
      violations.Add(Field(path, "end_date"), "must be a date YYYY-MM-DD, or empty for an open-ended rotation",
                     "必须是日期，写作 年-月-日（如 2024-09-01）；不定期轮岗留空");
    } else if (effective && *end <= *effective) {
      violations.Add(Field(path, "end_date"), "must be after effective_date", "必须晚于 effective_date");
    }
  }
}

void ValidateActor(const std::string& actor, FieldViolations& violations) {
  const std::optional<size_t> length = Utf8PrintableLength(actor);
  if (!length || *length == 0 || *length > 128) {
    violations.Add("actor", "must name who acts: 1 to 128 characters of valid UTF-8",
                   "必须写明操作人：1 到 128 个有效的 UTF-8 字符");
  }
}

}  // namespace gzedu::rotation
