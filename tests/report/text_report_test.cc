// The text report: display-width alignment, Chinese throughout under
// Language::kChinese, computations and headlines that agree with verdicts.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "services/indicator_evaluation/engine/report.h"
#include "services/indicator_evaluation/engine/text_layout.h"
#include "tests/report/report_support.h"

namespace gzedu::engine {
namespace {

TEST(DisplayWidthTest, CountsChineseCharactersAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("从化区"), 6);
  EXPECT_EQ(DisplayWidth("R7 小学"), 7);
  EXPECT_EQ(DisplayWidth("（一）"), 6);
  EXPECT_EQ(DisplayWidth(""), 0);
  // Broken UTF-8 still has a width: one column per byte.
  EXPECT_EQ(DisplayWidth("\xE4\xB8"), 2);
}

TEST(DisplayWidthTest, PadsToDisplayColumns) {
  EXPECT_EQ(PadToWidth("区", 4), "区  ");
  EXPECT_EQ(PadLeftToWidth("1.00", 6), "  1.00");
  EXPECT_EQ(PadToWidth("增城区增城区", 4), "增城区增城区");
}

// The display column at which `needle` starts on `line`.
int ColumnOf(const std::string& line, const std::string& needle) {
  const size_t at = line.find(needle);
  return at == std::string::npos ? -1 : DisplayWidth(line.substr(0, at));
}

TEST(TextTableTest, AlignsColumnsByDisplayWidthWhateverTheScript) {
  TextTable table(0, 2);
  table.AddRow({"区", "结论", "x"});
  table.AddRow({"增城区", "未达到标准", "y"});
  table.AddRow({"Zengcheng", "DOES NOT MEET", "z"});
  const std::vector<std::string> lines = absl::StrSplit(table.Render(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(ColumnOf(lines[0], "x"), ColumnOf(lines[1], "y"));
  EXPECT_EQ(ColumnOf(lines[1], "y"), ColumnOf(lines[2], "z"));
}

TEST(CitySummaryTest, AlignsEveryColumnAndListsEveryFailureWhole) {
  const std::vector<DistrictEvaluation> city = report::testing::CityOfTwo();
  const std::string summary = RenderCitySummary(city, Language::kChinese);
  const std::vector<std::string> lines = absl::StrSplit(summary, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u) << summary;
  // The CV column starts at one display column on every row.
  const int header = ColumnOf(lines[0], "最接近上限的差异系数");
  EXPECT_EQ(ColumnOf(lines[1], "R"), header) << summary;
  EXPECT_EQ(ColumnOf(lines[2], "R"), header) << summary;
  EXPECT_EQ(summary.find("..."), std::string::npos);
  for (const std::string& failing : city[0].failing_indicators_zh) {
    EXPECT_NE(lines[1].find(failing), std::string::npos) << failing;
  }
}

TEST(TextReportTest, ChineseReportHasNoEnglishListsOrConventionNames) {
  DistrictInput input = report::testing::HuaduSampleInput();
  input.conventions.room_size_rule_applies_from_build_year = 2016;
  const std::string zh = RenderReport(Evaluate(input), Language::kChinese);
  // G5's classes and the convention, in the reports' words.
  EXPECT_NE(zh.find("小学 第1班：46 人（上限 45 人）"), std::string::npos) << zh;
  EXPECT_NE(zh.find("音乐、美术专用教室面积要求仅适用于 2016 年及以后建设的学校"), std::string::npos);
  for (const char* english : {"students (limit", "room_size_rule_applies_from_build_year", "more)", "classes (needs",
                              "primary", "junior", "yuan", "m2"}) {
    EXPECT_EQ(zh.find(english), std::string::npos) << english;
  }
}

TEST(TextReportTest, ResourceTableNamesEachIndicatorWithItsUnitAndComputation) {
  const DistrictEvaluation e = report::testing::HuaduSample();
  const std::string zh = RenderReport(e, Language::kChinese);
  EXPECT_NE(zh.find("每百名学生拥有高于规定学历教师数"), std::string::npos);
  EXPECT_NE(zh.find("5.30人 = 200 ÷ 3777 × 100"), std::string::npos) << zh.substr(0, 3000);
  EXPECT_NE(zh.find("2274.04元 = 858.90万元 ÷ 3777"), std::string::npos) << zh.substr(0, 3000);
  EXPECT_NE(zh.find("5 个学段单元中 4 个达到标准"), std::string::npos);
  // Every section below a threshold is listed.
  EXPECT_NE(zh.find("2144011406 狮岭镇联合学校：5.48"), std::string::npos);
  EXPECT_NE(zh.find("2144011407 邝维煜纪念中学：5.60"), std::string::npos);
  const std::string en = RenderReport(e, Language::kEnglish);
  EXPECT_NE(en.find("5.30 per 100 students = 200 ÷ 3777 × 100"), std::string::npos) << en.substr(0, 3000);
  EXPECT_EQ(en.find("达标"), std::string::npos);
}

TEST(HeadlineTest, ShowsTheFailingPartWhenTheValueShownReachesItsThreshold) {
  IndicatorResult g8;
  g8.indicator_id = "G8";
  g8.unit = "percent of civil-servant pay";
  g8.value = 100.63;
  g8.threshold = 100;
  g8.verdict = Verdict::kDoesNotMeet;
  g8.notes = {"the performance-pay total is not fully approved"};
  g8.notes_zh = {"绩效工资总量未足额核定"};
  EXPECT_EQ(HeadlineVerdict(g8, Language::kChinese), "未达标（绩效工资总量未足额核定）");
  EXPECT_EQ(HeadlineVerdict(g8, Language::kEnglish), "does not meet (the performance-pay total is not fully approved)");
  g8.value = 99.0;  // the value itself fails: the word alone
  EXPECT_EQ(HeadlineVerdict(g8, Language::kChinese), "未达标");
}

TEST(FormatTest, MoneyIsWrittenInYuanWanYuanAndYiYuanAsTheReportsDo) {
  EXPECT_EQ(FormatYuan(3697, Language::kChinese), "3697.00元");
  EXPECT_EQ(FormatYuan(390300, Language::kChinese), "39.03万元");
  EXPECT_EQ(FormatYuan(280000000, Language::kChinese), "2.80亿元");
}

TEST(SourceClauseTest, IsWrittenInChineseForTheChineseReports) {
  EXPECT_EQ(SourceClause("R1", Language::kChinese), "教督〔2017〕6号 资源配置 第1项");
  EXPECT_EQ(SourceClause("S1", Language::kChinese), "教督〔2017〕6号 社会认可度");
  EXPECT_EQ(SourceClause("R1", Language::kEnglish), "教督〔2017〕6号, 资源配置 item 1");
}

TEST(FailingItemTest, TranslatesEveryKindTheEngineWrites) {
  const Language zh = Language::kChinese;
  EXPECT_EQ(FailingItem("1 学校: 2600 compulsory-stage students (limit 2000)", zh),
            "1 学校：义务教育阶段学生 2600 人（上限 2000 人）");
  EXPECT_EQ(FailingItem("1 学校 junior: 520 students in 10 classes, so at least one class above 50", zh),
            "1 学校 初中：520 名学生分 10 个班，至少一个班超过 50 人");
  EXPECT_EQ(FailingItem("1 学校: 80 students, operating funds 90000.00 yuan < 115000.00 yuan (100 x base)", zh),
            "1 学校：学生 80 人，公用经费 90000.00 元，低于按 100 名学生核定的 115000.00 元");
  EXPECT_EQ(FailingItem("1 学校: 5800.00 yuan per student", zh), "1 学校：生均公用经费 5800.00 元");
  EXPECT_EQ(FailingItem("1 学校: 1 music rooms for 24 classes (needs 2); art room 1 has 80.0 m2 (< 90)", zh),
            "1 学校：音乐专用教室 1 间，24 个班（应有 2 间）；第 1 间美术专用教室 80.0 平方米（不足 90 平方米）");
  EXPECT_EQ(FailingItem("1 学校 primary class 3: 46 students (limit 45)", Language::kEnglish),
            "1 学校 primary class 3: 46 students (limit 45)");
}

}  // namespace
}  // namespace gzedu::engine
