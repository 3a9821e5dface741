// The district return forms (tools/gzedu/returns_form.h): values as people
// write them, read exactly; every problem at its line, named as the file
// names the field.
#include <gtest/gtest.h>

#include "common/domain/input_bounds.h"
#include "tools/gzedu/returns_form.h"

namespace gzedu::cli {
namespace {

// A YAML form of district 440114, 2024, with `facts` (lines "  key: value")
// under its facts; the first fact is on line 4.
ReturnsForm ReadFacts(const std::string& facts) {
  return ReadReturnsYaml("district_code: \"440114\"\nschool_year: 2024\nfacts:\n" + facts);
}

std::string Problems(const ReturnsForm& form) {
  std::string text;
  for (const CsvProblem& p : form.problems) text += FormatProblem("f", p) + "\n";
  return text;
}

TEST(ReturnsFormTest, ReadsYuanAsExactFenWhateverWayTheyAreWritten) {
  const std::vector<std::pair<std::string, int64_t>> cases = {
      {"1234.56", 123456},   {"1,234.56", 123456},
      {"¥1234.5", 123450},   {"1234元", 123400},
      {"0.01", 1},           {"1234.560", 123456},
      {"\"0012.30\"", 1230}, {"1000000000000", bounds::kMaxAmountFen},  // the bound itself
  };
  for (const auto& [text, fen] : cases) {
    ReturnsForm form = ReadFacts("  operating_budget_yuan: " + text + "\n");
    EXPECT_TRUE(form.problems.empty()) << text << "\n" << Problems(form);
    ASSERT_EQ(form.request.returns_size(), 1);
    EXPECT_EQ(form.request.returns(0).facts().operating_budget_fen(), fen) << text;
  }
}

TEST(ReturnsFormTest, RefusesMoneyWithMoreDecimalsNegativeOrAboveTheBoundAtItsLine) {
  ReturnsForm form = ReadFacts(
      "  operating_budget_yuan: 1234.567\n"
      "  training_budget_yuan: -5\n"
      "  teacher_average_pay_yuan: 1000000000000.01\n"
      "  civil_servant_average_pay_yuan: twelve\n");
  ASSERT_EQ(form.problems.size(), 4u) << Problems(form);
  EXPECT_EQ(FormatProblem("f", form.problems[0]),
            "f:4: operating_budget_yuan: '1234.567' has more than two decimals: yuan are written to the fen (0.01)");
  EXPECT_EQ(FormatProblem("f", form.problems[1]), "f:5: training_budget_yuan: '-5' is negative");
  EXPECT_EQ(FormatProblem("f", form.problems[2]),
            "f:6: teacher_average_pay_yuan: '1000000000000.01' is above the limit of 1000000000000 yuan");
  EXPECT_EQ(form.problems[3].line, 7);
  EXPECT_FALSE(form.request.returns(0).facts().has_operating_budget_fen());
}

TEST(ReturnsFormTest, AFullWidthColonIsNamedAtItsOwnLine) {
  const ReturnsForm form =
      ReadReturnsYaml("区县代码: \"440114\"\n学年: 2024\n区县数据:\n  初中毕业生数：17950\n  小学招生总人数: 1000\n");
  ASSERT_FALSE(form.problems.empty());
  EXPECT_EQ(FormatProblem("f", form.problems[0]),
            "f:4: YAML: 这一行用了全角冒号“：”：字段名与数值之间请用半角冒号“:”加一个空格")
      << Problems(form);
}

TEST(ReturnsFormTest, ReadsPercentagesRatesCountsAndYesNoAsPeopleWriteThem) {
  ReturnsForm form = ReadFacts(
      "  social_recognition_percent: 92.5%\n"
      "  monitoring_difference_rate: 12.5%\n"
      "  migrant_children_eligible: 74,762\n"
      "  performance_pay_fully_approved: 是\n"
      "  left_behind_care_system: no\n");
  EXPECT_TRUE(form.problems.empty()) << Problems(form);
  const auto& facts = form.request.returns(0).facts();
  EXPECT_EQ(facts.social_recognition_percent(), 92.5);
  EXPECT_EQ(facts.monitoring_difference_rate(), 0.125);
  EXPECT_EQ(facts.migrant_children_eligible(), 74762);
  EXPECT_TRUE(facts.performance_pay_fully_approved());
  ASSERT_TRUE(facts.has_left_behind_care_system());
  EXPECT_FALSE(facts.left_behind_care_system());
  // Not filled: not reported (absent), never zero or false.
  EXPECT_FALSE(facts.has_junior_graduates());
  EXPECT_FALSE(facts.has_monitoring_kept_high());

  // "10%" is the same double as 0.1.
  EXPECT_EQ(ReadFacts("  monitoring_difference_rate: 10%\n").request.returns(0).facts().monitoring_difference_rate(),
            0.1);
}

TEST(ReturnsFormTest, TakesADistrictByNameAndASchoolYearAsItsSpan) {
  ReturnsForm form = ReadReturnsYaml(
      "区县代码: 花都区\n"
      "学年: 2024-2025学年\n"
      "区县数据:\n"
      "  通过基本均衡认定年份: 2015年\n");
  EXPECT_TRUE(form.problems.empty()) << Problems(form);
  EXPECT_EQ(form.request.returns(0).district_code(), "440114");
  EXPECT_EQ(form.request.returns(0).school_year(), 2024);
  EXPECT_EQ(form.request.returns(0).facts().basic_balanced_recognised_year(), 2015);
  EXPECT_EQ(ReadReturnsYaml("district_code: huadu\n").request.returns(0).district_code(), "440114");
  EXPECT_EQ(ReadReturnsYaml("区县代码: 南沙\n").request.returns(0).district_code(), "440115");
  EXPECT_FALSE(ReadReturnsYaml("school_year: 2024-2026\n").problems.empty());
}

TEST(ReturnsFormTest, NamesEachProblemInTheFilesLanguageAllAtOnce) {
  ReturnsForm form = ReadReturnsYaml(
      "区县代码: \"440114\"\n"
      "学年: 2024\n"
      "区县数据:\n"
      "  其中入学人数: 六百\n"
      "  其中入学人数: 600\n"
      "  区县人口: 100\n"
      "认定:\n"
      "  G1:\n"
      "    佐证材料: 文件\n"
      "  G9:\n"
      "    是否达到: 是\n");
  EXPECT_EQ(form.language, FormLanguage::kChinese);
  EXPECT_EQ(Problems(form),
            "f:4: 其中入学人数: “六百”不是整数\n"
            "f:5: 其中入学人数: 重复填写（首次在第 4 行）\n"
            "f:6: 区县人口: 不是区县填报表的项目（见 gzedu returns template）\n"
            "f:10: G9: 不是需认定的指标：G1、G2、G10、Q3、Q5、Q6、Q7、Q8\n"
            "f:8: G1.是否达到: 填写认定时必填：“是”或“否”\n");
}

TEST(ReturnsFormTest, TheServicesRulesAreLocatedAtTheFieldTheyConcern) {
  ReturnsForm form = ReadReturnsCsv(
      "field,note,value\n"
      "district_code,,440114\n"
      "school_year,,2024\n"
      "quota_total_places,,100\n"
      "quota_allocated_places,,150\n"
      "G2.affirmed,,yes\n");
  ASSERT_TRUE(form.problems.empty()) << Problems(form);
  ValidateReturnsForm(form);
  ASSERT_EQ(form.problems.size(), 2u) << Problems(form);
  EXPECT_EQ(form.problems[0].line, 5);
  EXPECT_EQ(form.problems[0].column, "quota_allocated_places");
  // Affirmed without a document: the document, named as the form names
  // fields, at the attestation's first row.
  EXPECT_EQ(form.problems[1].line, 6);
  EXPECT_EQ(form.problems[1].column, "G2.document");
  // A violation the service reports for a field the form left out: the
  // return's first line, the field in the form's words.
  const CsvProblem absent = LocateViolation(form, {"returns[0].facts.junior_graduates", "x", "某"});
  EXPECT_EQ(absent.line, 2);
  EXPECT_EQ(absent.column, "junior_graduates");
}

TEST(ReturnsFormTest, ACsvFormMayHoldSeveralReturnsOneAfterAnother) {
  ReturnsForm form = ReadReturnsCsv(
      "项目,说明,填报值\n"
      "区县代码,,440114\n"
      "学年,,2024\n"
      "G1.是否达到,,否\n"
      "区县代码,,440103\n"
      "学年,,2024\n"
      "一票否决,,admission_by_examination：督导通报\n");
  ASSERT_TRUE(form.problems.empty()) << Problems(form);
  ASSERT_EQ(form.request.returns_size(), 2);
  EXPECT_EQ(form.request.returns(0).attestations_size(), 1);
  EXPECT_FALSE(form.request.returns(0).attestations(0).affirmed());
  EXPECT_EQ(form.request.returns(1).district_code(), "440103");
  ASSERT_EQ(form.request.returns(1).vetoes_size(), 1);
  EXPECT_EQ(form.request.returns(1).vetoes(0).kind(), "admission_by_examination");
  EXPECT_EQ(form.request.returns(1).vetoes(0).evidence(), "督导通报");
  EXPECT_EQ(form.origins[1].line, 5);
}

}  // namespace
}  // namespace gzedu::cli
