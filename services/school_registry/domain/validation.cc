#include "services/school_registry/domain/validation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/domain/bound_messages.h"
#include "common/domain/districts.h"
#include "common/domain/input_bounds.h"
#include "common/domain/text.h"
#include "common/status/texts.h"

namespace gzedu::registry {
namespace {

std::string Field(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

std::string Index(absl::string_view name, size_t i) { return absl::StrCat(name, "[", i, "]"); }

// A measured quantity (m², rooms): finite, within 0..limit, at most two
// decimals; worded as every path into an evaluation words it
// (common/domain/bound_messages.h).
void ValidateMeasure(double value, const std::string& field, double limit, const LocalizedText& what,
                     const LocalizedText& unit, FieldViolations& violations) {
  if (!std::isfinite(value)) {
    violations.Add(field, texts::MustBeFinite());
  } else if (value < 0) {
    violations.Add(field, texts::MustBeNonNegative());
  } else if (value > limit) {
    violations.Add(field, bounds::AboveLimit(value, limit, what));
  } else if (!bounds::HasAtMostTwoDecimals(value)) {
    violations.Add(field, bounds::TooManyDecimals(value, unit));
  }
}

void ValidateArea(double value, const std::string& field, FieldViolations& violations) {
  ValidateMeasure(value, field, bounds::kMaxAreaM2, {"m²", "m²"}, {"m²", "面积"}, violations);
}

void ValidateAmount(int64_t fen, const std::string& field, FieldViolations& violations) {
  if (fen < 0) {
    violations.Add(field, texts::MustBeNonNegative());
  } else if (fen > bounds::kMaxAmountFen) {
    violations.Add(field, bounds::AmountAboveLimit(bounds::FormatFenAsYuan(fen), bounds::kMaxAmountFen));
  }
}

void ValidateCount(int64_t value, const std::string& field, int64_t limit, const LocalizedText& what,
                   FieldViolations& violations) {
  if (value < 0) {
    violations.Add(field, texts::MustBeNonNegative());
  } else if (value > limit) {
    violations.Add(field, bounds::AboveLimit(value, limit, what));
  }
}

void ValidateRoomAreas(const std::vector<double>& areas, const std::string& field, FieldViolations& violations) {
  if (static_cast<double>(areas.size()) > bounds::kMaxRooms) {
    violations.Add(field, bounds::AboveLimit(static_cast<double>(areas.size()), bounds::kMaxRooms, {"rooms", "间"}));
    return;
  }
  for (size_t i = 0; i < areas.size(); ++i) {
    const std::string room = absl::StrCat(field, "[", i, "]");
    if (std::isfinite(areas[i]) && areas[i] <= 0) {
      violations.Add(room, "must be > 0 (a room's floor area in m2)", "必须大于 0（功能室的面积，单位 m²）");
    } else {
      ValidateMeasure(areas[i], room, bounds::kMaxRoomAreaM2, {"m² per room", "每间 m²"}, {"m²", "面积"}, violations);
    }
  }
}

void ValidateSection(const SchoolSection& section, const std::string& path, FieldViolations& violations) {
  if (!IsKnownStage(section.stage)) {
    violations.Add(Field(path, "stage"), texts::InvalidStage());
  }
  ValidateCount(section.students, Field(path, "students"), bounds::kMaxStudents,
                {"students per section", "每个学段单元的在校生数"}, violations);
  ValidateCount(section.classes, Field(path, "classes"), bounds::kMaxClasses,
                {"classes per section", "每个学段单元的班级数"}, violations);
  if (section.facilities) {
    const SectionFacilities& f = *section.facilities;
    const std::string facilities = Field(path, "facilities");
    ValidateArea(f.teaching_area_m2, Field(facilities, "teaching_area_m2"), violations);
    ValidateArea(f.sports_area_m2, Field(facilities, "sports_area_m2"), violations);
    ValidateAmount(f.equipment_value_fen, Field(facilities, "equipment_value_fen"), violations);
    ValidateMeasure(f.multimedia_rooms, Field(facilities, "multimedia_rooms"), bounds::kMaxRooms, {"rooms", "间"},
                    {"rooms", "间数"}, violations);
  }
  const bool counts_valid = section.students >= 0 && section.students <= bounds::kMaxStudents && section.classes >= 0 &&
                            section.classes <= bounds::kMaxClasses;
  if (section.class_sizes.empty()) {
    // Without sizes, the counts alone can still be impossible.
    if (counts_valid && section.classes > section.students) {
      violations.Add(Field(path, "classes"),
                     absl::StrCat(section.classes, " classes for ", section.students,
                                  " students: a class has at least one student"),
                     absl::StrCat(section.students, " 名学生分 ", section.classes, " 个班：每个班至少有一名学生"));
    } else if (counts_valid && section.classes > 0 && section.students > section.classes * bounds::kMaxClassSize) {
      violations.Add(Field(path, "students"),
                     absl::StrCat(section.students, " students in ", section.classes,
                                  " classes is more than the limit of ", bounds::kMaxClassSize, " students per class"),
                     absl::StrCat(section.classes, " 个班共 ", section.students, " 名学生，超过每班 ",
                                  bounds::kMaxClassSize, " 人的上限"));
    }
    return;
  }
  if (static_cast<int64_t>(section.class_sizes.size()) != section.classes) {
    violations.Add(
        Field(path, "class_sizes"),
        absl::StrCat("has ", section.class_sizes.size(), " entries but classes is ", section.classes,
                     "; give one size per class"),
        absl::StrCat("有 ", section.class_sizes.size(), " 项，但班级数为 ", section.classes, "；每个班给出一个班额"));
  }
  int64_t total = 0;
  bool sizes_valid = true;
  for (size_t i = 0; i < section.class_sizes.size(); ++i) {
    const int32_t size = section.class_sizes[i];
    if (size < 1 || size > bounds::kMaxClassSize) {
      violations.Add(absl::StrCat(Field(path, "class_sizes"), "[", i, "]"),
                     size < 1 ? LocalizedText{absl::StrCat(size, " must be at least 1 (a class has students)"),
                                              absl::StrCat(size, " 不能小于 1（每个班都有学生）")}
                              : bounds::AboveLimit(size, bounds::kMaxClassSize, {"students per class", "每班人数"}));
      sizes_valid = false;
    }
    total += size;
  }
  if (sizes_valid && section.students >= 0 && total != section.students) {
    violations.Add(Field(path, "class_sizes"), absl::StrCat("add up to ", total, " but students is ", section.students),
                   absl::StrCat("各班人数合计 ", total, "，但在校生数为 ", section.students));
  }
}

}  // namespace

void ValidateRequestId(const std::string& request_id, FieldViolations& violations) {
  if (!IsValidRequestId(request_id)) {
    violations.Add("request_id", texts::InvalidRequestId());
  }
}

void ValidateSchoolCode(const std::string& code, const std::string& path, FieldViolations& violations) {
  if (!IsDigits(code, 10)) {
    violations.Add(Field(path, "school_code"), "must be the 10-digit national school identifier (学校标识码)",
                   "必须是 10 位数字的全国学校标识码");
  }
}

void ValidateDistrictCode(const std::string& code, const std::string& path, FieldViolations& violations) {
  if (FindDistrict(code) == nullptr) {
    violations.Add(Field(path, "district_code"), texts::NotAGuangzhouDistrict(code));
  }
}

void ValidateSchool(const School& school, const std::string& path, FieldViolations& violations) {
  ValidateSchoolCode(school.school_code, path, violations);
  const std::optional<size_t> name_length = Utf8PrintableLength(school.name);
  if (!name_length.has_value()) {
    violations.Add(Field(path, "name"), "must be valid UTF-8 without control characters",
                   "必须是有效的 UTF-8 文本，不含控制字符");
  } else if (*name_length == 0 || *name_length > kMaxNameLength) {
    violations.Add(Field(path, "name"), absl::StrCat("must have 1 to ", kMaxNameLength, " characters"),
                   absl::StrCat("必须有 1 到 ", kMaxNameLength, " 个字"));
  }
  ValidateDistrictCode(school.district_code, path, violations);
  if (!IsKnownSchoolType(school.school_type)) {
    violations.Add(Field(path, "school_type"), "must be one of the SCHOOL_TYPE_* values other than UNSPECIFIED",
                   "必须是 SCHOOL_TYPE_UNSPECIFIED 以外的某个学校类型（SCHOOL_TYPE_*）");
  }
  if (!IsKnownOwnership(school.ownership)) {
    violations.Add(Field(path, "ownership"), "must be OWNERSHIP_PUBLIC or OWNERSHIP_PRIVATE",
                   "必须是公办（OWNERSHIP_PUBLIC）或民办（OWNERSHIP_PRIVATE）");
  }
  if (!IsKnownLocale(school.locale)) {
    violations.Add(Field(path, "locale"), "must be LOCALE_URBAN, LOCALE_TOWN or LOCALE_RURAL",
                   "必须是城区（LOCALE_URBAN）、镇区（LOCALE_TOWN）或乡村（LOCALE_RURAL）");
  }
  if (school.build_year != 0 && (school.build_year < kMinBuildYear || school.build_year > kMaxBuildYear)) {
    violations.Add(Field(path, "build_year"),
                   absl::StrCat("must be 0 (unknown) or between ", kMinBuildYear, " and ", kMaxBuildYear),
                   absl::StrCat("必须为 0（不详）或在 ", kMinBuildYear, " 到 ", kMaxBuildYear, " 之间"));
  }
}

void ValidateSchoolYearRecord(const SchoolYearRecord& record, const std::string& path, FieldViolations& violations) {
  ValidateSchoolCode(record.school_code, path, violations);
  if (record.school_year < kMinSchoolYear || record.school_year > kMaxSchoolYear) {
    violations.Add(Field(path, "school_year"), texts::InvalidSchoolYear(kMinSchoolYear, kMaxSchoolYear));
  }
  std::set<Stage> stages;
  for (size_t i = 0; i < record.sections.size(); ++i) {
    const std::string section_path = Field(path, Index("sections", i));
    ValidateSection(record.sections[i], section_path, violations);
    if (IsKnownStage(record.sections[i].stage) && !stages.insert(record.sections[i].stage).second) {
      violations.Add(Field(section_path, "stage"),
                     absl::StrCat("a record has at most one ", StageName(record.sections[i].stage), " section"),
                     absl::StrCat("一条记录至多有一个", StageNameInChinese(record.sections[i].stage), "学段单元"));
    }
  }
  ValidateCount(record.special_education_students, Field(path, "special_education_students"), bounds::kMaxStudents,
                {"students per school", "每所学校的在校生数"}, violations);
  // The school as a whole, when no part is beyond the bound on its own.
  int64_t students = std::max(0, record.special_education_students);
  int64_t largest = students;
  for (const SchoolSection& section : record.sections) {
    students += std::max(0, section.students);
    largest = std::max<int64_t>(largest, section.students);
  }
  if (largest <= bounds::kMaxStudents && students > bounds::kMaxStudents) {
    violations.Add(Field(path, "sections"),
                   absl::StrCat("the school's students together: ",
                                bounds::AboveLimit(students, bounds::kMaxStudents, {"students per school", ""}).en),
                   absl::StrCat("全校在校生合计 ",
                                bounds::AboveLimit(students, bounds::kMaxStudents, {"", "每所学校的在校生数"}).zh));
  }
  const SchoolFacilities& f = record.facilities;
  const std::string facilities = Field(path, "facilities");
  ValidateArea(f.teaching_area_m2, Field(facilities, "teaching_area_m2"), violations);
  ValidateArea(f.sports_area_m2, Field(facilities, "sports_area_m2"), violations);
  ValidateAmount(f.equipment_value_fen, Field(facilities, "equipment_value_fen"), violations);
  ValidateCount(f.multimedia_rooms, Field(facilities, "multimedia_rooms"), static_cast<int64_t>(bounds::kMaxRooms),
                {"rooms", "间"}, violations);
  ValidateRoomAreas(f.music_room_areas_m2, Field(facilities, "music_room_areas_m2"), violations);
  ValidateRoomAreas(f.art_room_areas_m2, Field(facilities, "art_room_areas_m2"), violations);
}

void ValidateRecordFitsSchoolType(const SchoolYearRecord& record, SchoolType type, const std::string& path,
                                  FieldViolations& violations) {
  for (size_t i = 0; i < record.sections.size(); ++i) {
    const Stage stage = record.sections[i].stage;
    if (IsKnownStage(stage) && !TypeHasStage(type, stage)) {
      violations.Add(Field(Field(path, Index("sections", i)), "stage"),
                     type == SchoolType::kSpecialEducation
                         ? LocalizedText{"a special-education school has no resource sections; record its "
                                         "students in special_education_students",
                                         "特殊教育学校没有学段单元；其在校生填在 special_education_students"}
                         : LocalizedText{absl::StrCat("this school's type has no ", StageName(stage), " section"),
                                         absl::StrCat("该校的学校类型没有", StageNameInChinese(stage), "学段")});
    }
  }
  if (type != SchoolType::kSpecialEducation && record.special_education_students != 0) {
    violations.Add(Field(path, "special_education_students"),
                   "must be 0: only a special-education school records its students here",
                   "必须为 0：只有特殊教育学校在此填写在校生数");
  }
}

void ValidateSchoolBatch(const std::vector<School>& schools, FieldViolations& violations) {
  if (schools.empty() || schools.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("schools", texts::MustHoldOneTo(kMaxBatchSize, {"schools", "所学校"}));
  }
  std::map<std::string, size_t> first_index;
  for (size_t i = 0; i < schools.size(); ++i) {
    const std::string path = Index("schools", i);
    ValidateSchool(schools[i], path, violations);
    auto [it, inserted] = first_index.emplace(schools[i].school_code, i);
    if (!inserted) {
      violations.Add(Field(path, "school_code"), absl::StrCat("repeats schools[", it->second, "]"),
                     absl::StrCat("与 schools[", it->second, "] 重复"));
    }
  }
}

void ValidateRecordBatch(const std::vector<SchoolYearRecord>& records, FieldViolations& violations) {
  if (records.empty() || records.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("records", texts::MustHoldOneTo(kMaxBatchSize, {"records", "条记录"}));
  }
  std::map<SchoolYearKey, size_t> first_index;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string path = Index("records", i);
    ValidateSchoolYearRecord(records[i], path, violations);
    auto [it, inserted] = first_index.emplace(records[i].key(), i);
    if (!inserted) {
      violations.Add(Field(path, "school_year"),
                     absl::StrCat("(school_code, school_year) repeats records[", it->second, "]"),
                     absl::StrCat("（school_code, school_year）与 records[", it->second, "] 重复"));
    }
  }
}

}  // namespace gzedu::registry
