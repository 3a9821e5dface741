#ifndef GZEDU_TESTS_SUPPORT_REGISTRY_FIXTURES_H_
#define GZEDU_TESTS_SUPPORT_REGISTRY_FIXTURES_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "services/school_registry/domain/school.h"

namespace gzedu::testing {

// A valid primary school of Huadu with code 21440114NN (NN = `n`, 0-99) or
// a 10-digit code built from `n` for larger numbers.
inline registry::School MakeSchool(int n, registry::SchoolType type = registry::SchoolType::kPrimary,
                                   std::string district = "440114") {
  registry::School school;
  char code[11];
  std::snprintf(code, sizeof code, "21%08d", n);
  school.school_code = code;
  school.name = absl::StrCat("花都区测试学校", n);
  school.district_code = std::move(district);
  school.school_type = type;
  school.ownership = registry::Ownership::kPublic;
  school.locale = registry::Locale::kUrban;
  school.build_year = 2001;
  return school;
}

// A valid record of `school` for `year` with one section of `stage`.
inline registry::SchoolYearRecord MakeRecord(const registry::School& school, int year = 2024,
                                             Stage stage = Stage::kPrimary) {
  registry::SchoolYearRecord record;
  record.school_code = school.school_code;
  record.school_year = year;
  registry::SchoolSection section;
  section.stage = stage;
  section.students = 90;
  section.classes = 2;
  section.class_sizes = {45, 45};
  record.sections.push_back(section);
  record.facilities.teaching_area_m2 = 450.5;
  record.facilities.sports_area_m2 = 700;
  record.facilities.equipment_value_fen = 18000000;
  record.facilities.multimedia_rooms = 3;
  record.facilities.music_room_areas_m2 = {96.0};
  record.facilities.art_room_areas_m2 = {90.0};
  return record;
}

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_REGISTRY_FIXTURES_H_
