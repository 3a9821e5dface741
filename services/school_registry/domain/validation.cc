#include "services/school_registry/domain/validation.h"

#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/domain/districts.h"
#include "common/domain/text.h"

namespace gzedu::registry {
namespace {

std::string Field(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}

std::string Index(absl::string_view name, size_t i) { return absl::StrCat(name, "[", i, "]"); }

void ValidateArea(double value, const std::string& field, FieldViolations& violations) {
  if (!std::isfinite(value)) {
    violations.Add(field, "must be a finite number");
  } else if (value < 0) {
    violations.Add(field, "must be >= 0");
  }
}

void ValidateRoomAreas(const std::vector<double>& areas, const std::string& field, FieldViolations& violations) {
  for (size_t i = 0; i < areas.size(); ++i) {
    const std::string room = absl::StrCat(field, "[", i, "]");
    if (!std::isfinite(areas[i])) {
      violations.Add(room, "must be a finite number");
    } else if (areas[i] <= 0) {
      violations.Add(room, "must be > 0 (a room's floor area in m2)");
    }
  }
}

void ValidateSection(const SchoolSection& section, const std::string& path, FieldViolations& violations) {
  if (!IsKnownStage(section.stage)) {
    violations.Add(Field(path, "stage"), "must be STAGE_PRIMARY or STAGE_JUNIOR");
  }
  if (section.students < 0) {
    violations.Add(Field(path, "students"), "must be >= 0");
  } else if (section.students > kMaxStudentsPerSection) {
    violations.Add(Field(path, "students"), absl::StrCat("must be <= ", kMaxStudentsPerSection));
  }
  if (section.classes < 0) {
    violations.Add(Field(path, "classes"), "must be >= 0");
  }
  if (section.facilities) {
    const SectionFacilities& f = *section.facilities;
    const std::string facilities = Field(path, "facilities");
    ValidateArea(f.teaching_area_m2, Field(facilities, "teaching_area_m2"), violations);
    ValidateArea(f.sports_area_m2, Field(facilities, "sports_area_m2"), violations);
    if (f.equipment_value_fen < 0) violations.Add(Field(facilities, "equipment_value_fen"), "must be >= 0");
    ValidateArea(f.multimedia_rooms, Field(facilities, "multimedia_rooms"), violations);
  }
  if (section.class_sizes.empty()) return;
  if (static_cast<int64_t>(section.class_sizes.size()) != section.classes) {
    violations.Add(Field(path, "class_sizes"),
                   absl::StrCat("has ", section.class_sizes.size(), " entries but classes is ", section.classes,
                                "; give one size per class"));
  }
  int64_t total = 0;
  bool sizes_valid = true;
  for (size_t i = 0; i < section.class_sizes.size(); ++i) {
    const int32_t size = section.class_sizes[i];
    if (size < 1 || size > kMaxClassSize) {
      violations.Add(absl::StrCat(Field(path, "class_sizes"), "[", i, "]"),
                     absl::StrCat("must be between 1 and ", kMaxClassSize));
      sizes_valid = false;
    }
    total += size;
  }
  if (sizes_valid && section.students >= 0 && total != section.students) {
    violations.Add(Field(path, "class_sizes"),
                   absl::StrCat("add up to ", total, " but students is ", section.students));
  }
}

}  // namespace

void ValidateRequestId(const std::string& request_id, FieldViolations& violations) {
  if (!IsValidRequestId(request_id)) {
    violations.Add("request_id", "must be 1 to 128 printable ASCII characters without spaces");
  }
}

void ValidateSchoolCode(const std::string& code, const std::string& path, FieldViolations& violations) {
  if (!IsDigits(code, 10)) {
    violations.Add(Field(path, "school_code"), "must be the 10-digit national school identifier (学校标识码)");
  }
}

void ValidateDistrictCode(const std::string& code, const std::string& path, FieldViolations& violations) {
  if (FindDistrict(code) == nullptr) {
    violations.Add(Field(path, "district_code"),
                   absl::StrCat("'", code, "' is not one of Guangzhou's 11 district codes (440103 ... 440118)"));
  }
}

void ValidateSchool(const School& school, const std::string& path, FieldViolations& violations) {
  ValidateSchoolCode(school.school_code, path, violations);
  const std::optional<size_t> name_length = Utf8PrintableLength(school.name);
  if (!name_length.has_value()) {
    violations.Add(Field(path, "name"), "must be valid UTF-8 without control characters");
  } else if (*name_length == 0 || *name_length > kMaxNameLength) {
    violations.Add(Field(path, "name"), absl::StrCat("must have 1 to ", kMaxNameLength, " characters"));
  }
  ValidateDistrictCode(school.district_code, path, violations);
  if (!IsKnownSchoolType(school.school_type)) {
    violations.Add(Field(path, "school_type"), "must be one of the SCHOOL_TYPE_* values other than UNSPECIFIED");
  }
  if (!IsKnownOwnership(school.ownership)) {
    violations.Add(Field(path, "ownership"), "must be OWNERSHIP_PUBLIC or OWNERSHIP_PRIVATE");
  }
  if (!IsKnownLocale(school.locale)) {
    violations.Add(Field(path, "locale"), "must be LOCALE_URBAN, LOCALE_TOWN or LOCALE_RURAL");
  }
  if (school.build_year != 0 && (school.build_year < kMinBuildYear || school.build_year > kMaxBuildYear)) {
    violations.Add(Field(path, "build_year"),
                   absl::StrCat("must be 0 (unknown) or between ", kMinBuildYear, " and ", kMaxBuildYear));
  }
}

void ValidateSchoolYearRecord(const SchoolYearRecord& record, const std::string& path, FieldViolations& violations) {
  ValidateSchoolCode(record.school_code, path, violations);
  if (record.school_year < kMinSchoolYear || record.school_year > kMaxSchoolYear) {
    violations.Add(Field(path, "school_year"), absl::StrCat("must be between ", kMinSchoolYear, " and ", kMaxSchoolYear,
                                                            " (the calendar year the school year starts in)"));
  }
  std::set<Stage> stages;
  for (size_t i = 0; i < record.sections.size(); ++i) {
    const std::string section_path = Field(path, Index("sections", i));
    ValidateSection(record.sections[i], section_path, violations);
    if (IsKnownStage(record.sections[i].stage) && !stages.insert(record.sections[i].stage).second) {
      violations.Add(Field(section_path, "stage"),
                     absl::StrCat("a record has at most one ", StageName(record.sections[i].stage), " section"));
    }
  }
  if (record.special_education_students < 0) {
    violations.Add(Field(path, "special_education_students"), "must be >= 0");
  }
  const SchoolFacilities& f = record.facilities;
  const std::string facilities = Field(path, "facilities");
  ValidateArea(f.teaching_area_m2, Field(facilities, "teaching_area_m2"), violations);
  ValidateArea(f.sports_area_m2, Field(facilities, "sports_area_m2"), violations);
  if (f.equipment_value_fen < 0) violations.Add(Field(facilities, "equipment_value_fen"), "must be >= 0");
  if (f.multimedia_rooms < 0) violations.Add(Field(facilities, "multimedia_rooms"), "must be >= 0");
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
                         ? std::string("a special-education school has no resource sections; record its "
                                       "students in special_education_students")
                         : absl::StrCat("this school's type has no ", StageName(stage), " section"));
    }
  }
  if (type != SchoolType::kSpecialEducation && record.special_education_students != 0) {
    violations.Add(Field(path, "special_education_students"),
                   "must be 0: only a special-education school records its students here");
  }
}

void ValidateSchoolBatch(const std::vector<School>& schools, FieldViolations& violations) {
  if (schools.empty() || schools.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("schools", absl::StrCat("must hold 1 to ", kMaxBatchSize, " schools"));
  }
  std::map<std::string, size_t> first_index;
  for (size_t i = 0; i < schools.size(); ++i) {
    const std::string path = Index("schools", i);
    ValidateSchool(schools[i], path, violations);
    auto [it, inserted] = first_index.emplace(schools[i].school_code, i);
    if (!inserted) {
      violations.Add(Field(path, "school_code"), absl::StrCat("repeats schools[", it->second, "]"));
    }
  }
}

void ValidateRecordBatch(const std::vector<SchoolYearRecord>& records, FieldViolations& violations) {
  if (records.empty() || records.size() > static_cast<size_t>(kMaxBatchSize)) {
    violations.Add("records", absl::StrCat("must hold 1 to ", kMaxBatchSize, " records"));
  }
  std::map<SchoolYearKey, size_t> first_index;
  for (size_t i = 0; i < records.size(); ++i) {
    const std::string path = Index("records", i);
    ValidateSchoolYearRecord(records[i], path, violations);
    auto [it, inserted] = first_index.emplace(records[i].key(), i);
    if (!inserted) {
      violations.Add(Field(path, "school_year"),
                     absl::StrCat("(school_code, school_year) repeats records[", it->second, "]"));
    }
  }
}

}  // namespace gzedu::registry
