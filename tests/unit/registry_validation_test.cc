#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "services/school_registry/domain/validation.h"
#include "tests/support/registry_fixtures.h"

namespace gzedu::registry {
namespace {

using gzedu::testing::MakeRecord;
using gzedu::testing::MakeSchool;

std::vector<std::string> Fields(const FieldViolations& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : violations.list()) fields.push_back(v.field);
  return fields;
}

TEST(SchoolValidationTest, AcceptsAValidSchool) {
  FieldViolations violations;
  ValidateSchool(MakeSchool(1), "schools[0]", violations);
  EXPECT_TRUE(violations.empty()) << violations.list().front().field;
}

TEST(SchoolValidationTest, ReportsEveryBadFieldWithItsPath) {
  School school = MakeSchool(1);
  school.school_code = "123";
  school.name = "";
  school.district_code = "440199";
  school.school_type = static_cast<SchoolType>(42);
  school.ownership = Ownership::kUnspecified;
  school.locale = static_cast<Locale>(-1);
  school.build_year = 1700;
  FieldViolations violations;
  ValidateSchool(school, "schools[3]", violations);
  EXPECT_EQ(Fields(violations),
            (std::vector<std::string>{"schools[3].school_code", "schools[3].name", "schools[3].district_code",
                                      "schools[3].school_type", "schools[3].ownership", "schools[3].locale",
                                      "schools[3].build_year"}));
}

TEST(SchoolValidationTest, NameMustBeValidUtf8OfSaneLength) {
  School school = MakeSchool(1);
  school.name = "bad \xFF byte";
  FieldViolations violations;
  ValidateSchool(school, "", violations);
  school.name = std::string(101, 'x');
  ValidateSchool(school, "", violations);
  school.name = std::string(100, 'x');
  ValidateSchool(school, "", violations);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"name", "name"}));
}

TEST(SchoolValidationTest, BuildYearZeroMeansUnknown) {
  School school = MakeSchool(1);
  school.build_year = 0;
  FieldViolations violations;
  ValidateSchool(school, "", violations);
  EXPECT_TRUE(violations.empty());
}

TEST(SchoolBatchValidationTest, RejectsEmptyBatchAndRepeatedCodes) {
  FieldViolations empty;
  ValidateSchoolBatch({}, empty);
  EXPECT_EQ(Fields(empty), (std::vector<std::string>{"schools"}));

  FieldViolations repeated;
  ValidateSchoolBatch({MakeSchool(1), MakeSchool(2), MakeSchool(1)}, repeated);
  ASSERT_EQ(repeated.size(), 1u);
  EXPECT_EQ(repeated.list()[0].field, "schools[2].school_code");
  EXPECT_EQ(repeated.list()[0].description, "repeats schools[0]");
}

TEST(RecordValidationTest, AcceptsAValidRecord) {
  FieldViolations violations;
  ValidateSchoolYearRecord(MakeRecord(MakeSchool(1)), "records[0]", violations);
  EXPECT_TRUE(violations.empty()) << violations.list().front().field;
}

TEST(RecordValidationTest, CountsMustNotBeNegative) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].students = -1;
  record.sections[0].classes = -2;
  record.sections[0].class_sizes.clear();
  record.special_education_students = -3;
  record.facilities.multimedia_rooms = -1;
  record.facilities.equipment_value_fen = -5;
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "records[0]", violations);
  EXPECT_EQ(
      Fields(violations),
      (std::vector<std::string>{"records[0].sections[0].students", "records[0].sections[0].classes",
                                "records[0].special_education_students", "records[0].facilities.equipment_value_fen",
                                "records[0].facilities.multimedia_rooms"}));
}

std::string ViolationAt(const FieldViolations& violations, const std::string& field) {
  for (const FieldViolation& v : violations.list()) {
    if (v.field == field) return v.description;
  }
  return "";
}

TEST(RecordValidationTest, RefusesValuesBeyondTheDocumentedBoundsNamingThem) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].students = 2147483647;
  record.sections[0].classes = 2001;
  record.sections[0].class_sizes.clear();
  record.sections[0].facilities = SectionFacilities{100000000.01, 10, 100000000000001, 100001};
  record.facilities.teaching_area_m2 = 5600.125;
  record.facilities.multimedia_rooms = 100001;
  record.facilities.music_room_areas_m2 = {100000.5};
  record.facilities.art_room_areas_m2 = {90.001};
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "records[0]", violations);
  EXPECT_EQ(ViolationAt(violations, "records[0].sections[0].students"),
            "2147483647 is above the limit of 100000 students per section");
  EXPECT_EQ(ViolationAt(violations, "records[0].sections[0].classes"),
            "2001 is above the limit of 2000 classes per section");
  EXPECT_EQ(ViolationAt(violations, "records[0].sections[0].facilities.teaching_area_m2"),
            "100000000.01 is above the limit of 100000000 m²");
  EXPECT_EQ(ViolationAt(violations, "records[0].sections[0].facilities.equipment_value_fen"),
            "1000000000000.01 yuan is above the limit of 1000000000000 yuan (10^12 yuan) for any one amount");
  EXPECT_EQ(ViolationAt(violations, "records[0].sections[0].facilities.multimedia_rooms"),
            "100001 is above the limit of 100000 rooms");
  EXPECT_EQ(ViolationAt(violations, "records[0].facilities.teaching_area_m2"),
            "5600.125 has more than two decimals (m² are kept to hundredths)");
  EXPECT_EQ(ViolationAt(violations, "records[0].facilities.multimedia_rooms"),
            "100001 is above the limit of 100000 rooms");
  EXPECT_EQ(ViolationAt(violations, "records[0].facilities.music_room_areas_m2[0]"),
            "100000.5 is above the limit of 100000 m² per room");
  EXPECT_EQ(ViolationAt(violations, "records[0].facilities.art_room_areas_m2[0]"),
            "90.001 has more than two decimals (m² are kept to hundredths)");
  EXPECT_EQ(violations.size(), 9u);
}

TEST(RecordValidationTest, RefusesASchoolWhoseSectionsTogetherExceedTheBound) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].class_sizes.clear();
  record.sections[0].students = 60000;
  record.sections[0].classes = 1500;
  SchoolSection junior = record.sections[0];
  junior.stage = Stage::kJunior;
  record.sections.push_back(junior);
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(ViolationAt(violations, "sections"),
            "the school's students together: 120000 is above the limit of 100000 students per school");
}

TEST(RecordValidationTest, WithoutClassSizesTheCountsMustStillBePossible) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].class_sizes.clear();
  record.sections[0].students = 1;
  FieldViolations fewer_students;
  ValidateSchoolYearRecord(record, "", fewer_students);
  EXPECT_EQ(ViolationAt(fewer_students, "sections[0].classes"),
            "2 classes for 1 students: a class has at least one student");
  record.sections[0].students = 401;
  FieldViolations crowded;
  ValidateSchoolYearRecord(record, "", crowded);
  EXPECT_EQ(ViolationAt(crowded, "sections[0].students"),
            "401 students in 2 classes is more than the limit of 200 students per class");
  record.sections[0].students = 400;
  FieldViolations full;
  ValidateSchoolYearRecord(record, "", full);
  EXPECT_TRUE(full.empty());
}

TEST(RecordValidationTest, ClassSizesMustMatchClassesAndStudents) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].class_sizes = {45, 45, 10};
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  // Three sizes for two classes, and 100 students in them for 90 enrolled.
  ASSERT_EQ(violations.size(), 2u);
  EXPECT_EQ(violations.list()[0].field, "sections[0].class_sizes");
  EXPECT_NE(violations.list()[0].description.find("3 entries but classes is 2"), std::string::npos);
  EXPECT_NE(violations.list()[1].description.find("add up to 100 but students is 90"), std::string::npos);
}

TEST(RecordValidationTest, ClassSizesAreOptional) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections[0].class_sizes.clear();
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  EXPECT_TRUE(violations.empty());
}

TEST(RecordValidationTest, AreasMustBeFiniteAndNonNegative) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.facilities.teaching_area_m2 = std::numeric_limits<double>::quiet_NaN();
  record.facilities.sports_area_m2 = -0.5;
  record.facilities.music_room_areas_m2 = {96, 0};
  record.facilities.art_room_areas_m2 = {std::numeric_limits<double>::infinity()};
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  EXPECT_EQ(Fields(violations),
            (std::vector<std::string>{"facilities.teaching_area_m2", "facilities.sports_area_m2",
                                      "facilities.music_room_areas_m2[1]", "facilities.art_room_areas_m2[0]"}));
}

TEST(RecordValidationTest, OneSectionPerStageAndAKnownStage) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections.push_back(record.sections[0]);
  SchoolSection unknown = record.sections[0];
  unknown.stage = Stage::kUnspecified;
  record.sections.push_back(unknown);
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"sections[1].stage", "sections[2].stage"}));
}

TEST(RecordValidationTest, SchoolYearWithinSaneRange) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.school_year = 1999;
  FieldViolations violations;
  ValidateSchoolYearRecord(record, "", violations);
  record.school_year = 2101;
  ValidateSchoolYearRecord(record, "", violations);
  record.school_year = 2000;
  ValidateSchoolYearRecord(record, "", violations);
  EXPECT_EQ(Fields(violations), (std::vector<std::string>{"school_year", "school_year"}));
}

struct TypeCase {
  SchoolType type;
  bool primary;
  bool junior;
};

class SectionsFitSchoolTypeTest : public ::testing::TestWithParam<TypeCase> {};

TEST_P(SectionsFitSchoolTypeTest, AllowsOnlyTheStagesOfTheType) {
  const TypeCase& c = GetParam();
  for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
    SchoolYearRecord record = MakeRecord(MakeSchool(1), 2024, stage);
    FieldViolations violations;
    ValidateRecordFitsSchoolType(record, c.type, "", violations);
    const bool allowed = stage == Stage::kPrimary ? c.primary : c.junior;
    EXPECT_EQ(violations.empty(), allowed) << static_cast<int>(c.type) << " " << StageName(stage);
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryType, SectionsFitSchoolTypeTest,
    ::testing::Values(TypeCase{SchoolType::kPrimary, true, false}, TypeCase{SchoolType::kTeachingPoint, true, false},
                      TypeCase{SchoolType::kJunior, false, true}, TypeCase{SchoolType::kCompleteMiddle, false, true},
                      TypeCase{SchoolType::kNineYear, true, true}, TypeCase{SchoolType::kTwelveYear, true, true},
                      TypeCase{SchoolType::kSpecialEducation, false, false}));

TEST(SectionsFitSchoolTypeTest, OnlySpecialEducationSchoolsRecordSpecialEducationStudents) {
  SchoolYearRecord record = MakeRecord(MakeSchool(1));
  record.sections.clear();
  record.special_education_students = 120;
  FieldViolations special;
  ValidateRecordFitsSchoolType(record, SchoolType::kSpecialEducation, "", special);
  EXPECT_TRUE(special.empty());
  FieldViolations primary;
  ValidateRecordFitsSchoolType(record, SchoolType::kPrimary, "", primary);
  EXPECT_EQ(Fields(primary), (std::vector<std::string>{"special_education_students"}));
}

}  // namespace
}  // namespace gzedu::registry
