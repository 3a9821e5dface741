#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/domain/stage.h"

namespace gzedu::registry {

// The kind of school (办学类型); decides which sections a school has
// (indicators.md section 2). Values match gzedu.registry.v1.SchoolType;
// a value outside the list can arrive from the wire and is rejected by
// validation.
enum class SchoolType {
  kUnspecified = 0,
  kPrimary = 1,           // 小学
  kJunior = 2,            // 初中
  kNineYear = 3,          // 九年一贯制
  kTwelveYear = 4,        // 十二年一贯制
  kCompleteMiddle = 5,    // 完全中学
  kTeachingPoint = 6,     // 教学点
  kSpecialEducation = 7,  // 特殊教育学校
};

// Who runs the school (办学性质). Values match gzedu.registry.v1.Ownership.
enum class Ownership { kUnspecified = 0, kPublic = 1, kPrivate = 2 };

// The statistical urban-rural class (城乡分类). Values match
// gzedu.registry.v1.Locale.
enum class Locale { kUnspecified = 0, kUrban = 1, kTown = 2, kRural = 3 };

bool IsKnownSchoolType(SchoolType type);
bool IsKnownOwnership(Ownership ownership);
bool IsKnownLocale(Locale locale);

// Whether a school of `type` may have a section of `stage`.
bool TypeHasStage(SchoolType type, Stage stage);

// A registered school; natural key school_code.
struct School {
  std::string school_code;  // 10-digit 学校标识码
  std::string name;
  std::string district_code;
  SchoolType school_type = SchoolType::kUnspecified;
  Ownership ownership = Ownership::kUnspecified;
  Locale locale = Locale::kUnspecified;
  bool boarding = false;
  int32_t build_year = 0;  // 0 when unknown
  // Version of the write that last changed it; set by the registry.
  int64_t change_version = 0;

  // Equal in everything a client writes (change_version aside).
  bool SameContent(const School& other) const;
};

// Facilities of one section, when a district reports them per section.
struct SectionFacilities {
  double teaching_area_m2 = 0;
  double sports_area_m2 = 0;
  int64_t equipment_value_fen = 0;
  double multimedia_rooms = 0;  // may be fractional (apportioned shared rooms)
  bool operator==(const SectionFacilities& other) const;
};

// One stage of a school in one school year (学段单元).
struct SchoolSection {
  Stage stage = Stage::kUnspecified;
  int32_t students = 0;
  int32_t classes = 0;
  std::vector<int32_t> class_sizes;  // one per class, or empty when not reported
  // The section's own facilities; absent when only the school's are known.
  std::optional<SectionFacilities> facilities;

  bool operator==(const SchoolSection& other) const;
};

// A whole school's facilities in one school year, shared by its sections.
struct SchoolFacilities {
  double teaching_area_m2 = 0;
  double sports_area_m2 = 0;
  int64_t equipment_value_fen = 0;
  int32_t multimedia_rooms = 0;
  std::vector<double> music_room_areas_m2;
  std::vector<double> art_room_areas_m2;

  bool operator==(const SchoolFacilities& other) const;
};

// The natural key of a school-year record.
struct SchoolYearKey {
  std::string school_code;
  int32_t school_year = 0;

  bool operator==(const SchoolYearKey& other) const {
    return school_code == other.school_code && school_year == other.school_year;
  }
  bool operator<(const SchoolYearKey& other) const {
    return school_code != other.school_code ? school_code < other.school_code : school_year < other.school_year;
  }
};

// What a school reported for one school year.
struct SchoolYearRecord {
  std::string school_code;
  int32_t school_year = 0;  // the calendar year the school year starts in
  std::vector<SchoolSection> sections;
  SchoolFacilities facilities;
  int32_t special_education_students = 0;
  // Version of the write that last changed it; set by the registry.
  int64_t change_version = 0;

  SchoolYearKey key() const { return {school_code, school_year}; }
  // Equal in everything a client writes (change_version aside).
  bool SameContent(const SchoolYearRecord& other) const;
};

// One entry of the change feed. For an upsert the entity holds the state
// written (its change_version equal to the entry's); for a delete, only the
// natural key (a std::string school code or a SchoolYearKey).
struct Change {
  int64_t change_version = 0;
  ChangeKind kind = ChangeKind::kUnspecified;
  std::string request_id;
  std::string district_code;
  std::variant<School, SchoolYearRecord, std::string, SchoolYearKey> entity;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_SCHOOL_H_
