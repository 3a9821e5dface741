#include "services/indicator_evaluation/engine/input_validation.h"

#include <gtest/gtest.h>

#include "data/guangzhou/generator/dataset.h"

namespace gzedu::engine {
namespace {

std::string Listed(const std::vector<InputProblem>& problems) {
  std::string text;
  for (const InputProblem& p : problems) text += p.path + ": " + p.description + "\n";
  return text;
}

TEST(InputValidationTest, EveryBundledDistrictIsValid) {
  for (const dataset::GeneratedDistrict& district : dataset::BuildCity()) {
    std::vector<InputProblem> problems;
    ValidateDistrictInput(district.input, "", &problems);
    EXPECT_TRUE(problems.empty()) << district.input.district_code << ":\n" << Listed(problems);
  }
}

TEST(InputValidationTest, NamesModelFieldsBelowTheGivenRoot) {
  DistrictInput input;
  input.district_code = "440114";
  input.school_year = 2024;
  SchoolInput school;
  school.school_code = "2144011401";
  school.type = SchoolType::kPrimary;
  school.funding.operating_budget_fen = 100;
  school.funding.training_budget_fen = 101;
  input.schools.push_back(school);
  std::vector<InputProblem> problems;
  ValidateDistrictInput(input, "", &problems);
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "schools[0].funding.training_budget_fen");
  EXPECT_EQ(problems[0].description,
            "the training budget (1.01 yuan) is more than the school's operating_budget_fen (1 yuan)");
}

TEST(InputValidationTest, RefusesAnAssembledSectionWhoseTeachersExceedItsFullTime) {
  DistrictInput input;
  input.district_code = "440103";
  input.school_year = 2024;
  SchoolInput school;
  school.school_code = "2144010301";
  school.type = SchoolType::kJunior;
  SectionInput section;
  section.stage = Stage::kJunior;
  section.students = 500;
  section.classes = 10;
  section.teachers = TeacherCounts{40, 41, 0, 0, 40, 40};
  school.sections.push_back(section);
  input.schools.push_back(school);
  std::vector<InputProblem> problems;
  ValidateDistrictInput(input, "input", &problems);
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "input.schools[0].sections[0].teachers.above_required_qualification");
}

TEST(InputValidationTest, SchoolTypesHaveTheSectionsOfTheRules) {
  EXPECT_TRUE(SchoolTypeHasStage(SchoolType::kTeachingPoint, Stage::kPrimary));
  EXPECT_FALSE(SchoolTypeHasStage(SchoolType::kTeachingPoint, Stage::kJunior));
  EXPECT_FALSE(SchoolTypeHasStage(SchoolType::kCompleteMiddle, Stage::kPrimary));
  EXPECT_TRUE(SchoolTypeHasStage(SchoolType::kTwelveYear, Stage::kJunior));
  EXPECT_FALSE(SchoolTypeHasStage(SchoolType::kSpecialEducation, Stage::kPrimary));
  EXPECT_TRUE(IsDistrictCode("440118"));
  EXPECT_TRUE(IsDistrictCode("110101"));
  EXPECT_FALSE(IsDistrictCode("123"));
  EXPECT_FALSE(IsDistrictCode("44011x"));
}

}  // namespace
}  // namespace gzedu::engine
