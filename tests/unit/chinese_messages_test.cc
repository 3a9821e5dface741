// Every violation the services' validation can add is described in Chinese
// as well as in English, and the Chinese says nothing in English (ids, field
// paths, codes and units aside). The API takes both texts; these tests catch
// a Chinese text left empty, copied from the English, or half translated.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "absl/strings/str_split.h"
#include "common/status/field_violations.h"
#include "services/indicator_evaluation/domain/district_return.h"
#include "services/indicator_evaluation/engine/input_validation.h"
#include "services/school_registry/domain/validation.h"
#include "services/teacher_rotation/domain/validation.h"
#include "tests/support/chinese_text.h"
#include "tests/support/registry_fixtures.h"
#include "tests/support/rotation_fixtures.h"

namespace gzedu {
namespace {

using gzedu::testing::EnglishWordsIn;
using gzedu::testing::HasChinese;

// The words a violation may name as they are: its field path's segments
// (one-word field names such as "enrolment"), units and the few contract
// words a description quotes.
std::set<std::string> AllowedWords(const std::string& field) {
  std::set<std::string> allowed = {"m", "m2", "true", "false", "yaml"};
  for (absl::string_view part : absl::StrSplit(field, absl::ByAnyChar(".[]"), absl::SkipEmpty())) {
    allowed.insert(std::string(part));
  }
  return allowed;
}

void ExpectChinese(const std::vector<FieldViolation>& violations, const std::set<std::string>& ids) {
  ASSERT_FALSE(violations.empty());
  for (const FieldViolation& v : violations) {
    SCOPED_TRACE(v.field + ": " + v.description);
    EXPECT_TRUE(HasChinese(v.description_zh)) << v.description_zh;
    EXPECT_NE(v.description_zh, v.description);
    std::set<std::string> allowed = AllowedWords(v.field);
    allowed.insert(ids.begin(), ids.end());
    EXPECT_EQ(EnglishWordsIn(v.description_zh, allowed), std::vector<std::string>()) << v.description_zh;
  }
}

TEST(EnglishWordsInTest, FindsEnglishAndLetsCodesPathsAndIdsBe) {
  EXPECT_EQ(EnglishWordsIn("INVALID_ARGUMENT: 评估区的请求有误\n  schools[0].district_code: 必须是 10 位数字", {}),
            std::vector<std::string>());
  EXPECT_EQ(EnglishWordsIn("账户 HD-T1 不存在；m² 保留到 0.01", {"HD-T1", "m"}), std::vector<std::string>());
  EXPECT_EQ(EnglishWordsIn("评估 failed: 必须 must be >= 0", {}), (std::vector<std::string>{"failed", "must", "be"}));
  EXPECT_EQ(EnglishWordsIn("Failed 1,000 yuan", {}), (std::vector<std::string>{"Failed", "yuan"}));
}

TEST(ChineseMessagesTest, EverySchoolAndRecordViolationIsInChinese) {
  registry::School school = gzedu::testing::MakeSchool(1);
  school.school_code = "123";
  school.name = "";
  school.district_code = "440199";
  school.school_type = static_cast<registry::SchoolType>(42);
  school.ownership = registry::Ownership::kUnspecified;
  school.locale = static_cast<registry::Locale>(-1);
  school.build_year = 1700;
  FieldViolations violations;
  registry::ValidateSchoolBatch({school, school}, violations);
  registry::ValidateSchoolBatch({}, violations);
  registry::SchoolYearRecord record = gzedu::testing::MakeRecord(gzedu::testing::MakeSchool(1), 2024);
  record.school_year = 1999;
  record.special_education_students = -1;
  record.facilities.teaching_area_m2 = 12.345;
  record.facilities.sports_area_m2 = -1;
  record.facilities.equipment_value_fen = -5;
  record.facilities.music_room_areas_m2 = {0, 1e12};
  if (!record.sections.empty()) {
    registry::SchoolSection section = record.sections.front();
    section.students = 10;
    section.classes = 20;
    record.sections.push_back(section);
    section.stage = static_cast<Stage>(7);
    section.class_sizes = {0, 500};
    record.sections.push_back(section);
  }
  registry::ValidateRecordBatch({record, record}, violations);
  registry::ValidateRecordFitsSchoolType(record, registry::SchoolType::kSpecialEducation, "records[0]", violations);
  registry::ValidateRequestId("", violations);
  ExpectChinese(violations.list(), {"440199", "123"});
}

TEST(ChineseMessagesTest, EveryTeacherAndRotationViolationIsInChinese) {
  rotation::Teacher teacher = gzedu::testing::MakeTeacher(1);
  teacher.teacher_id = "110101199003077777";
  teacher.district_code = "440199";
  teacher.school_code = "1";
  teacher.stage = static_cast<Stage>(9);
  teacher.subject = static_cast<rotation::Subject>(99);
  teacher.highest_degree = static_cast<rotation::Degree>(99);
  teacher.backbone_level = static_cast<rotation::BackboneLevel>(99);
  teacher.school_ownership = static_cast<rotation::SchoolOwnership>(99);
  teacher.training_hours_current_cycle = -1;
  teacher.at_current_school_since = "yesterday";
  FieldViolations violations;
  rotation::ValidateTeacherBatch({teacher, teacher}, violations);
  rotation::Teacher unnamed = gzedu::testing::MakeTeacher(2);
  unnamed.teacher_id = "";
  rotation::ValidateTeacher(unnamed, "teachers[2]", violations);
  rotation::Rotation r = gzedu::testing::MakeRotation("HD-T1", "2024-09-01", "2024-08-01", "2144011401", "2144011401");
  r.kind = static_cast<rotation::RotationKind>(9);
  rotation::ValidateRotation(r, "rotation", violations);
  r = gzedu::testing::MakeRotation("HD-T1", "someday", "never", "x", "y");
  rotation::ValidateRotation(r, "rotation", violations);
  rotation::ValidateActor("", violations);
  ExpectChinese(violations.list(), {"440199", "yesterday", "HD-T1"});
}

TEST(ChineseMessagesTest, EveryEngineInputProblemIsInChinese) {
  engine::DistrictInput input;
  input.district_code = "abc";
  input.school_year = 1900;
  engine::SchoolInput school;
  school.school_code = "";
  school.type = engine::SchoolType::kPrimary;
  school.senior_students = 5;
  school.special_education_students = 3;
  engine::SectionInput section;
  section.stage = Stage::kJunior;
  section.students = -1;
  section.classes = 3;
  section.class_sizes = {0};
  section.facilities = engine::Facilities{};
  section.facilities->teaching_area_m2 = 1.234;
  section.facilities->multimedia_rooms = -1;
  section.teachers = engine::TeacherCounts{};
  section.teachers->full_time = 2;
  section.teachers->backbone_county_or_above = 3;
  school.sections = {section, section};
  school.music_room_areas_m2 = {-1};
  school.funding.training_budget_fen = 500;
  school.funding.operating_budget_fen = 100;
  input.schools = {school, school};
  input.facts.teacher_average_pay_yuan = -1;
  input.facts.monitoring_difference_rate = 2;
  input.facts.social_recognition_percent = 120;
  input.facts.basic_balanced_recognised_year = 1980;
  input.facts.rotated_teachers = 1;
  input.facts.rotated_backbone_teachers = 2;
  input.facts.junior_cohort_enrolled = 1;
  input.facts.junior_transferred_in = 0;
  input.facts.junior_transferred_out = 5;
  input.facts.junior_deaths = 0;
  input.facts.disabled_school_age_children = 1;
  input.facts.disabled_enrolled = 2;
  input.facts.training_budget_fen = 10;
  input.facts.operating_budget_fen = 5;
  input.attestations["X1"] = engine::Attestation{};
  input.vetoes.push_back(engine::Veto{});
  std::vector<engine::InputProblem> problems;
  engine::ValidateDistrictInput(input, "", &problems);
  std::vector<FieldViolation> violations;
  for (const engine::InputProblem& p : problems) violations.emplace_back(p.path, p.description, p.description_zh);
  ExpectChinese(violations, {"abc", "X1", "primary", "junior"});
}

TEST(ChineseMessagesTest, EveryDistrictReturnViolationIsInChinese) {
  indicators::DistrictReturn r;
  r.district_code = "440199";
  r.school_year = 1990;
  engine::Attestation affirmed;
  affirmed.affirmed = true;
  affirmed.date = "soon";
  r.attestations = {{"G1", affirmed}, {"G1", affirmed}, {"R4", affirmed}};
  r.vetoes.push_back(engine::Veto{});
  r.facts.social_recognition_percent = -3;
  FieldViolations violations;
  indicators::ValidateDistrictReturn(r, "returns[0]", violations);
  ExpectChinese(violations.list(), {"440199", "soon"});
}

}  // namespace
}  // namespace gzedu
