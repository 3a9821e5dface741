#include "services/indicator_evaluation/engine/json_codec.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "services/indicator_evaluation/engine/engine.h"

namespace gzedu::engine {
namespace {

std::string ReadExample() {
  std::ifstream in(std::string(GZEDU_SOURCE_DIR) + "/data/examples/huadu-sample-2024.json");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Paths(const std::vector<InputProblem>& problems) {
  std::vector<std::string> paths;
  for (const InputProblem& p : problems) paths.push_back(p.path);
  return paths;
}

TEST(EngineJsonTest, TheExampleFileIsValidAndReadFieldByField) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(ReadExample(), &input, &problems);
  ASSERT_TRUE(problems.empty()) << problems[0].path << ": " << problems[0].description;
  EXPECT_EQ(input.district_code, "440114");
  ASSERT_EQ(input.schools.size(), 8u);
  const SchoolInput& nine_year = input.schools[5];
  EXPECT_EQ(nine_year.type, SchoolType::kNineYear);
  EXPECT_TRUE(nine_year.boarding);
  ASSERT_EQ(nine_year.sections.size(), 2u);
  EXPECT_EQ(nine_year.sections[1].stage, Stage::kJunior);
  EXPECT_EQ(nine_year.shared_facilities->equipment_value_fen, 520000000);
  EXPECT_EQ(input.schools[7].funding.operating_funds_fen, 573298000);
  EXPECT_EQ(input.facts.quota_hk_macao_class_places, 150);
  EXPECT_EQ(input.attestations.at("Q7").attested_by, "花都区教育局");
}

TEST(EngineJsonTest, ReportsEveryProblemWithItsPath) {
  const std::string text = R"({
    "district_code": "440114",
    "school_year": 1999,
    "conventions": {"retention_formula": "yearly"},
    "schools": [
      {"school_code": "1", "type": "castle", "sections": [
        {"stage": "primary", "students": -5, "classes": 2, "class_sizes": [30]},
        {"stage": "primary", "students": 10}
      ], "shared_facilities": {"equipment_value_yuan": 12.345}, "colour": "red"},
      {"name": "no code", "type": "primary"}
    ],
    "facts": {"rotated_teachers": "many"},
    "attestations": {"G4": {"affirmed": true}, "G1": {"document": "x"}}
  })";
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(text, &input, &problems);
  const std::vector<std::string> paths = Paths(problems);
  for (const char* expected :
       {"$.school_year", "$.conventions.retention_formula", "$.schools[0].type", "$.schools[0].sections[0].students",
        "$.schools[0].sections[0].class_sizes", "$.schools[0].sections[1].stage",
        "$.schools[0].shared_facilities.equipment_value_yuan", "$.schools[0].colour", "$.schools[1].school_code",
        "$.facts.rotated_teachers", "$.attestations.G4", "$.attestations.G1.affirmed"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << "no problem at " << expected;
  }
  EXPECT_EQ(problems.size(), 12u);
}

// The example file changed by `edit`, parsed: the problems found.
std::vector<InputProblem> ProblemsOfExampleWith(const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json document = nlohmann::json::parse(ReadExample());
  edit(document);
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(document.dump(), &input, &problems);
  return problems;
}

// The description of the problem at `path`, or "" when there is none.
std::string ProblemAt(const std::vector<InputProblem>& problems, const std::string& path) {
  for (const InputProblem& p : problems) {
    if (p.path == path) return p.description;
  }
  return "";
}

std::string Listed(const std::vector<InputProblem>& problems) {
  std::string text;
  for (const InputProblem& p : problems) text += p.path + ": " + p.description + "\n";
  return text;
}

// The example's schools: [0] primary, [5] nine-year (primary and junior
// sections), [7] special education.
TEST(EngineJsonTest, AbsentTeachersAndSharedFacilitiesAreNotReported) {
  nlohmann::json document = nlohmann::json::parse(ReadExample());
  document["schools"][0]["sections"][0].erase("teachers");
  document["schools"][0].erase("shared_facilities");
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(document.dump(), &input, &problems);
  ASSERT_TRUE(problems.empty()) << Listed(problems);
  EXPECT_FALSE(input.schools[0].sections[0].teachers.has_value());
  EXPECT_FALSE(input.schools[0].shared_facilities.has_value());
  EXPECT_TRUE(input.schools[1].sections[0].teachers.has_value());
  EXPECT_TRUE(input.schools[1].shared_facilities.has_value());
}

TEST(EngineJsonTest, RefusesADuplicateSchoolCode) {
  const auto problems =
      ProblemsOfExampleWith([](nlohmann::json& d) { d["schools"][3]["school_code"] = d["schools"][1]["school_code"]; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[3].school_code");
  EXPECT_NE(problems[0].description.find("repeats $.schools[1]"), std::string::npos) << problems[0].description;
}

TEST(EngineJsonTest, RefusesASectionTheSchoolTypeCannotHave) {
  const auto problems =
      ProblemsOfExampleWith([](nlohmann::json& d) { d["schools"][0]["sections"][0]["stage"] = "junior"; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[0].sections[0].stage");
  EXPECT_EQ(problems[0].description, "a primary school has no junior section");
}

TEST(EngineJsonTest, RefusesASectionInASpecialEducationSchool) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][7]["sections"] = nlohmann::json::array({{{"stage", "primary"}, {"students", 100}}});
  });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[7].sections[0].stage");
  EXPECT_NE(problems[0].description.find("special_education school has no sections"), std::string::npos);
}

TEST(EngineJsonTest, RefusesTwoSectionsOfOneStage) {
  const auto problems =
      ProblemsOfExampleWith([](nlohmann::json& d) { d["schools"][5]["sections"][1]["stage"] = "primary"; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[5].sections[1].stage");
  EXPECT_NE(problems[0].description.find("at most one section per stage"), std::string::npos);
}

TEST(EngineJsonTest, RefusesSeniorStudentsOutsideTwelveYearAndCompleteMiddleSchools) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["senior_students"] = 300;
    d["schools"][5]["senior_students"] = 300;
  });
  ASSERT_EQ(problems.size(), 2u) << Listed(problems);
  EXPECT_NE(ProblemAt(problems, "$.schools[0].senior_students").find("a primary school has no senior part"),
            std::string::npos);
  EXPECT_NE(ProblemAt(problems, "$.schools[5].senior_students").find("a nine_year school"), std::string::npos);
}

TEST(EngineJsonTest, RefusesSpecialEducationStudentsOutsideSpecialEducationSchools) {
  const auto problems =
      ProblemsOfExampleWith([](nlohmann::json& d) { d["schools"][0]["special_education_students"] = 5; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[0].special_education_students");
}

TEST(EngineJsonTest, RefusesADistrictCodeOfFewerThanSixDigits) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) { d["district_code"] = "123"; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.district_code");
  EXPECT_NE(problems[0].description.find("'123' is not a district code"), std::string::npos);
  EXPECT_TRUE(ProblemsOfExampleWith([](nlohmann::json& d) { d["district_code"] = "110101"; }).empty());
}

TEST(EngineJsonTest, RefusesClassSizesThatDoNotAddUpToTheStudents) {
  const auto problems =
      ProblemsOfExampleWith([](nlohmann::json& d) { d["schools"][0]["sections"][0]["students"] = 1081; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.schools[0].sections[0].class_sizes");
  EXPECT_EQ(problems[0].description, "add up to 1080 but students is 1081");
}

TEST(EngineJsonTest, RefusesMoreClassesThanStudentsAndMoreStudentsThanClassesCanHold) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["sections"][0].erase("class_sizes");
    d["schools"][0]["sections"][0]["students"] = 5;
    d["schools"][1]["sections"][0].erase("class_sizes");
    d["schools"][1]["sections"][0]["classes"] = 2;
  });
  ASSERT_EQ(problems.size(), 2u) << Listed(problems);
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].sections[0].classes"),
            "24 classes for 5 students: a class has at least one student");
  EXPECT_NE(ProblemAt(problems, "$.schools[1].sections[0].students").find("limit of 200 students per class"),
            std::string::npos);
}

TEST(EngineJsonTest, RefusesEveryTeacherCountAboveTheFullTimeTeachers) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    nlohmann::json& t = d["schools"][0]["sections"][0]["teachers"];
    t["full_time"] = 10;
  });
  const std::string teachers = "$.schools[0].sections[0].teachers.";
  for (const char* field :
       {"above_required_qualification", "backbone_county_or_above", "pe_music_art", "certified", "training_complete"}) {
    EXPECT_NE(ProblemAt(problems, teachers + field).find("is more than full_time (10)"), std::string::npos) << field;
  }
  EXPECT_EQ(problems.size(), 5u) << Listed(problems);
}

TEST(EngineJsonTest, RefusesEveryNumeratorAboveItsDenominator) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    nlohmann::json& f = d["facts"];
    f["rotated_teachers"] = 1700;           // eligible 1670: allowed (G11)
    f["rotated_backbone_teachers"] = 1701;  // above the rotated
    f["zoned_admission_primary"] = 9801;    // total 9800
    f["zoned_admission_junior"] = 6901;     // total 6900
    f["quota_hk_macao_class_places"] = 4229;
    f["quota_allocated_places"] = 4229;  // total 4228
    f["migrant_children_in_public_schools"] = 37459;
    f["junior_graduates"] = 17841;  // 18061 + 210 - 420 - 11 = 17840
    f["disabled_enrolled"] = 618;   // 618 + 25 deferred > 642 children
    f["operating_budget_yuan"] = 1000;
    f["training_budget_yuan"] = 1000.01;
    d["schools"][0]["funding"]["training_budget_yuan"] = 1850000.01;
  });
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"$.facts.rotated_backbone_teachers", "rotated_backbone_teachers (1701) is more than rotated_teachers (1700)"},
      {"$.facts.zoned_admission_primary", "zoned_admission_primary (9801) is more than admission_primary_total (9800)"},
      {"$.facts.zoned_admission_junior", "zoned_admission_junior (6901) is more than admission_junior_total (6900)"},
      {"$.facts.quota_hk_macao_class_places",
       "quota_hk_macao_class_places (4229) is more than quota_total_places (4228)"},
      {"$.facts.quota_allocated_places", "quota_allocated_places (4229) is more than quota_total_places (4228)"},
      {"$.facts.migrant_children_in_public_schools",
       "migrant_children_in_public_schools + migrant_children_in_purchased_places (74763) is more than "
       "migrant_children_eligible (74762)"},
      {"$.facts.junior_graduates",
       "junior_graduates (17841) is more than the cohort that remained: junior_cohort_enrolled + "
       "junior_transferred_in - junior_transferred_out - junior_deaths = 17840"},
      {"$.facts.disabled_enrolled",
       "disabled_enrolled + disabled_deferred (643) is more than disabled_school_age_children (642)"},
      {"$.facts.training_budget_yuan",
       "the training budget (1000.01 yuan) is more than operating_budget_yuan (1000 yuan)"},
      {"$.schools[0].funding.training_budget_yuan",
       "the training budget (1850000.01 yuan) is more than the school's operating_budget_yuan (1850000 yuan)"},
  };
  for (const auto& [path, description] : expected) EXPECT_EQ(ProblemAt(problems, path), description) << path;
  // More teachers rotated than were eligible is possible (G11 counts every
  // rotation that took effect), so it is not a problem.
  EXPECT_EQ(ProblemAt(problems, "$.facts.rotated_teachers"), "");
  // The district's operating budget (1000 yuan) is below each school's.
  EXPECT_NE(ProblemAt(problems, "$.schools[0].funding.operating_budget_yuan")
                .find("is more than the district's facts.operating_budget_yuan (1000 yuan)"),
            std::string::npos)
      << Listed(problems);
}

TEST(EngineJsonTest, RefusesTransfersOutAndDeathsAboveTheCohort) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) { d["facts"]["junior_transferred_out"] = 18261; });
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].path, "$.facts.junior_transferred_out");
}

TEST(EngineJsonTest, RefusesValuesBeyondTheirBoundsNamingTheBound) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["sections"][0]["students"] = 2147483647;
    d["schools"][1]["sections"][0]["students"] = 4294967296;
    d["schools"][2]["sections"][0]["classes"] = 2001;
    d["schools"][3]["sections"][0]["teachers"]["full_time"] = 20001;
    d["schools"][4]["shared_facilities"]["teaching_area_m2"] = 100000000.01;
    d["schools"][4]["shared_facilities"]["equipment_value_yuan"] = 1e20;
    d["schools"][4]["funding"]["operating_funds_yuan"] = 1000000000000.01;
    d["schools"][6]["shared_facilities"]["multimedia_rooms"] = 100001;
    d["facts"]["migrant_children_eligible"] = 50000001;
    d["facts"]["teacher_average_pay_yuan"] = 1e9;
  });
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].sections[0].students"),
            "2147483647 is above the limit of 100000 students per section");
  EXPECT_EQ(ProblemAt(problems, "$.schools[1].sections[0].students"),
            "4294967296 is above the limit of 100000 students per section");
  EXPECT_EQ(ProblemAt(problems, "$.schools[2].sections[0].classes"),
            "2001 is above the limit of 2000 classes per section");
  EXPECT_EQ(ProblemAt(problems, "$.schools[3].sections[0].teachers.full_time"),
            "20001 is above the limit of 20000 teachers per section");
  EXPECT_EQ(ProblemAt(problems, "$.schools[4].shared_facilities.teaching_area_m2"),
            "100000000.01 is above the limit of 100000000 m²");
  EXPECT_EQ(ProblemAt(problems, "$.schools[4].shared_facilities.equipment_value_yuan"),
            "100000000000000000000 yuan is above the limit of 1000000000000 yuan (10^12 yuan) for any one amount");
  EXPECT_EQ(ProblemAt(problems, "$.schools[4].funding.operating_funds_yuan"),
            "1000000000000.01 yuan is above the limit of 1000000000000 yuan (10^12 yuan) for any one amount");
  EXPECT_EQ(ProblemAt(problems, "$.schools[6].shared_facilities.multimedia_rooms"),
            "100001 is above the limit of 100000 rooms");
  EXPECT_NE(ProblemAt(problems, "$.facts.migrant_children_eligible").find("above the limit of 50000000 people"),
            std::string::npos);
  EXPECT_EQ(ProblemAt(problems, "$.facts.teacher_average_pay_yuan"),
            "1000000000 is above the limit of 100000000 yuan of average pay");
}

TEST(EngineJsonTest, RefusesMoreThanTwoDecimalsAndNegativeValues) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["shared_facilities"]["teaching_area_m2"] = 5600.125;
    d["schools"][0]["shared_facilities"]["multimedia_rooms"] = 30.001;
    d["schools"][0]["music_room_areas_m2"][0] = 100.5;
    d["schools"][0]["art_room_areas_m2"][0] = 0;
    d["schools"][1]["shared_facilities"]["sports_area_m2"] = -1;
    d["schools"][1]["funding"]["operating_budget_yuan"] = 12.345;
    d["facts"]["civil_servant_average_pay_yuan"] = 0;
    d["facts"]["social_recognition_percent"] = 100.5;
    d["facts"]["monitoring_difference_rate"] = 1.5;
  });
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].shared_facilities.teaching_area_m2"),
            "5600.125 has more than two decimals (m² are kept to hundredths)");
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].shared_facilities.multimedia_rooms"),
            "30.001 has more than two decimals (rooms are kept to hundredths)");
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].music_room_areas_m2[0]"), "");
  EXPECT_NE(ProblemAt(problems, "$.schools[0].art_room_areas_m2[0]").find("must be > 0"), std::string::npos);
  EXPECT_EQ(ProblemAt(problems, "$.schools[1].shared_facilities.sports_area_m2"), "-1 must be >= 0");
  EXPECT_EQ(ProblemAt(problems, "$.schools[1].funding.operating_budget_yuan"),
            "12.345 has more than two decimals (yuan are kept to hundredths)");
  EXPECT_EQ(ProblemAt(problems, "$.facts.civil_servant_average_pay_yuan"), "0 must be an average pay > 0");
  EXPECT_EQ(ProblemAt(problems, "$.facts.social_recognition_percent"), "100.5 must be a percentage from 0 to 100");
  EXPECT_EQ(ProblemAt(problems, "$.facts.monitoring_difference_rate"), "1.5 must be a rate from 0 to 1 (0.15 for 15%)");
  EXPECT_EQ(problems.size(), 8u) << Listed(problems);
}

TEST(EngineJsonTest, AValueThatCannotBeReadLeavesItsDependentChecksUnreported) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["sections"][0]["students"] = "many";  // the class sizes cannot be compared
    d["facts"]["rotation_eligible_teachers"] = 1.5;       // nor the rotated teachers
    d["facts"]["rotated_teachers"] = 5000;
  });
  ASSERT_EQ(problems.size(), 2u) << Listed(problems);
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].sections[0].students"), "must be a whole number");
  // A stage that cannot be read leaves the other section's stage unjudged,
  // but the section's own values are still checked.
  const auto stage = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][5]["sections"][0]["stage"] = "upper";
    d["schools"][5]["sections"][0]["students"] = -1;
    d["schools"][5]["sections"][0].erase("class_sizes");
    d["schools"][5]["sections"][0]["classes"] = 0;
  });
  EXPECT_EQ(ProblemAt(stage, "$.schools[5].sections[0].students"), "-1 must be >= 0");
  EXPECT_EQ(ProblemAt(stage, "$.schools[5].sections[1].stage"), "");
  EXPECT_EQ(stage.size(), 2u) << Listed(stage);
  EXPECT_EQ(ProblemAt(problems, "$.facts.rotation_eligible_teachers"), "must be a whole number");
}

TEST(EngineJsonTest, RefusesWhatHappensAfterTheSchoolYearAndImpossibleDates) {
  const auto problems = ProblemsOfExampleWith([](nlohmann::json& d) {
    d["schools"][0]["build_year"] = 2030;
    d["facts"]["basic_balanced_recognised_year"] = 2026;
    d["attestations"]["G1"]["date"] = "2024-13-01";
  });
  ASSERT_EQ(problems.size(), 3u) << Listed(problems);
  EXPECT_EQ(ProblemAt(problems, "$.schools[0].build_year"), "2030 is after the school year 2024 (0 when unknown)");
  EXPECT_EQ(ProblemAt(problems, "$.facts.basic_balanced_recognised_year"), "2026 is after the school year 2024");
  EXPECT_EQ(ProblemAt(problems, "$.attestations.G1.date"), "'2024-13-01' is not a date YYYY-MM-DD");
}

TEST(EngineJsonTest, NumbersBeyondWhatADoubleOrALongHoldsAreProblemsNotCrashes) {
  std::string text = ReadExample();
  const std::string students = "\"students\": 1080";
  ASSERT_NE(text.find(students), std::string::npos);
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(
      std::string(text).replace(text.find(students), students.size(), "\"students\": 123456789012345678901234567890"),
      &input, &problems);
  ASSERT_EQ(problems.size(), 1u) << Listed(problems);
  EXPECT_EQ(problems[0].description, "1.23456789e+29 is above the limit of 100000 students per section");
  problems.clear();
  ParseDistrictInput(std::string(text).replace(text.find(students), students.size(), "\"students\": 1e400"), &input,
                     &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "$");
}

TEST(EngineJsonTest, NotJsonAtAllIsOneProblem) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput("{ not json", &input, &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "$");
}

TEST(EngineJsonTest, OutputUsesTheContractNames) {
  DistrictInput input;
  std::vector<InputProblem> problems;
  ParseDistrictInput(ReadExample(), &input, &problems);
  const nlohmann::json out = nlohmann::json::parse(EvaluationToJson(Evaluate(input)));
  EXPECT_EQ(out["verdict"], "VERDICT_DOES_NOT_MEET");
  EXPECT_EQ(out["district_code"], "440114");
  const nlohmann::json& first = out["indicators"][0];
  EXPECT_EQ(first["indicator_id"], "R1");
  EXPECT_EQ(first["stage"], "STAGE_PRIMARY");
  EXPECT_EQ(first["verdict"], "VERDICT_MEETS");
  EXPECT_DOUBLE_EQ(first["threshold"].get<double>(), 4.2);
  EXPECT_DOUBLE_EQ(first["cv_max"].get<double>(), 0.5);
  EXPECT_TRUE(first["cv_actual"].is_number());
  bool found_g14 = false;
  for (const nlohmann::json& indicator : out["indicators"]) {
    if (indicator["indicator_id"] != "G14") continue;
    found_g14 = true;
    EXPECT_TRUE(indicator["stage"].is_null());
    EXPECT_EQ(indicator["alternatives"][0]["verdict"], "VERDICT_MEETS");
  }
  EXPECT_TRUE(found_g14);
  EXPECT_EQ(out["indicators"].size(), 14u + 15u + 9u + 1u);
}

}  // namespace
}  // namespace gzedu::engine
