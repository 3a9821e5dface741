#include "services/school_registry/domain/school.h"

namespace gzedu::registry {

bool IsKnownSchoolType(SchoolType type) {
  const int value = static_cast<int>(type);
  return value >= static_cast<int>(SchoolType::kPrimary) && value <= static_cast<int>(SchoolType::kSpecialEducation);
}

bool IsKnownOwnership(Ownership ownership) {
  return ownership == Ownership::kPublic || ownership == Ownership::kPrivate;
}

bool IsKnownLocale(Locale locale) {
  return locale == Locale::kUrban || locale == Locale::kTown || locale == Locale::kRural;
}

bool TypeHasStage(SchoolType type, Stage stage) {
  // indicators.md section 2: the senior parts of twelve-year and complete
  // middle schools are ignored; special-education schools have no resource
  // sections.
  switch (type) {
    case SchoolType::kPrimary:
    case SchoolType::kTeachingPoint:
      return stage == Stage::kPrimary;
    case SchoolType::kJunior:
    case SchoolType::kCompleteMiddle:
      return stage == Stage::kJunior;
    case SchoolType::kNineYear:
    case SchoolType::kTwelveYear:
      return stage == Stage::kPrimary || stage == Stage::kJunior;
    case SchoolType::kSpecialEducation:
    case SchoolType::kUnspecified:
      return false;
  }
  return false;
}

bool School::SameContent(const School& other) const {
  return school_code == other.school_code && name == other.name && district_code == other.district_code &&
         school_type == other.school_type && ownership == other.ownership && locale == other.locale &&
         boarding == other.boarding && build_year == other.build_year;
}

bool SchoolSection::operator==(const SchoolSection& other) const {
  return stage == other.stage && students == other.students && classes == other.classes &&
         class_sizes == other.class_sizes && facilities == other.facilities;
}

bool SectionFacilities::operator==(const SectionFacilities& other) const {
  return teaching_area_m2 == other.teaching_area_m2 && sports_area_m2 == other.sports_area_m2 &&
         equipment_value_fen == other.equipment_value_fen && multimedia_rooms == other.multimedia_rooms;
}

bool SchoolFacilities::operator==(const SchoolFacilities& other) const {
  return teaching_area_m2 == other.teaching_area_m2 && sports_area_m2 == other.sports_area_m2 &&
         equipment_value_fen == other.equipment_value_fen && multimedia_rooms == other.multimedia_rooms &&
         music_room_areas_m2 == other.music_room_areas_m2 && art_room_areas_m2 == other.art_room_areas_m2;
}

bool SchoolYearRecord::SameContent(const SchoolYearRecord& other) const {
  return school_code == other.school_code && school_year == other.school_year && sections == other.sections &&
         facilities == other.facilities && special_education_students == other.special_education_students;
}

}  // namespace gzedu::registry
