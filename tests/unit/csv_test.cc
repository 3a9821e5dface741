#include <gtest/gtest.h>

#include "tools/gzedu/csv_reader.h"
#include "tools/gzedu/registry_csv.h"

namespace gzedu::cli {
namespace {

namespace v1 = registry::v1;

TEST(CsvReaderTest, ParsesQuotesEmbeddedNewlinesAndLineNumbers) {
  absl::StatusOr<CsvTable> table = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",3\r\n\r\n\"multi\nline\", 2 ,\n4,5,6");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_EQ(table->rows[0].cells, (std::vector<std::string>{"1", "x, \"y\"", "3"}));
  EXPECT_EQ(table->rows[0].line, 2);
  EXPECT_EQ(table->rows[1].cells, (std::vector<std::string>{"multi\nline", "2", ""}));
  EXPECT_EQ(table->rows[1].line, 4);
  EXPECT_EQ(table->rows[2].line, 6);
}

TEST(CsvReaderTest, ReportsTheLineOfAnUnclosedQuote) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b\n1,2\n3,\"open\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(std::string(table.status().message()).substr(0, 2), "3:");
}

TEST(CsvReaderTest, EmptyFileHasNoHeader) { EXPECT_FALSE(ParseCsv("").ok()); }

TEST(YuanTest, ParsesAmountsExactlyIntoFen) {
  int64_t fen = 0;
  ASSERT_TRUE(ParseYuanToFen("716587300", &fen));
  EXPECT_EQ(fen, 71658730000);
  ASSERT_TRUE(ParseYuanToFen("0.1", &fen));
  EXPECT_EQ(fen, 10);
  ASSERT_TRUE(ParseYuanToFen("8505.91", &fen));
  EXPECT_EQ(fen, 850591);
  ASSERT_TRUE(ParseYuanToFen("-3.05", &fen));
  EXPECT_EQ(fen, -305);
  EXPECT_FALSE(ParseYuanToFen("1.234", &fen));
  EXPECT_FALSE(ParseYuanToFen("1,000", &fen));
  EXPECT_FALSE(ParseYuanToFen("1.", &fen));
  EXPECT_FALSE(ParseYuanToFen("abc", &fen));
}

TEST(SchoolsCsvTest, ReadsChineseHeadersAndLabels) {
  const CsvTable table = *ParseCsv(
      "学校标识码,学校名称,区县代码,办学类型,办学性质,城乡分类,是否寄宿制学校,建校年份\n"
      "2144011406,狮岭联合学校,440114,九年一贯制学校,公办,镇区,是,2016\n");
  ParsedSchools parsed = ParseSchoolsCsv(table, "s.csv");
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].description;
  ASSERT_EQ(parsed.schools.size(), 1u);
  const v1::School& s = parsed.schools[0];
  EXPECT_EQ(s.school_code(), "2144011406");
  EXPECT_EQ(s.school_type(), v1::SCHOOL_TYPE_NINE_YEAR);
  EXPECT_EQ(s.ownership(), v1::OWNERSHIP_PUBLIC);
  EXPECT_EQ(s.locale(), v1::LOCALE_TOWN);
  EXPECT_TRUE(s.boarding());
  EXPECT_EQ(s.build_year(), 2016);
  EXPECT_EQ(parsed.origins[0].line, 2);
}

TEST(SchoolsCsvTest, ReadsEnglishHeadersAndEnumNames) {
  const CsvTable table = *ParseCsv(
      "school_code,name,district_code,school_type,ownership,locale,extra\n"
      "2144011406,X,440114,SCHOOL_TYPE_TEACHING_POINT,private,Rural,foo\n");
  ParsedSchools parsed = ParseSchoolsCsv(table, "s.csv");
  ASSERT_TRUE(parsed.problems.empty());
  EXPECT_EQ(parsed.schools[0].school_type(), v1::SCHOOL_TYPE_TEACHING_POINT);
  EXPECT_EQ(parsed.schools[0].ownership(), v1::OWNERSHIP_PRIVATE);
  EXPECT_EQ(parsed.schools[0].locale(), v1::LOCALE_RURAL);
  ASSERT_EQ(parsed.warnings.size(), 1u);  // the unknown column
}

TEST(SchoolsCsvTest, NamesTheLineAndColumnOfEveryUnreadableCell) {
  const CsvTable table = *ParseCsv(
      "school_code,name,district_code,school_type,ownership,locale,boarding\n"
      "2144011406,X,440114,castle,public,urban,maybe\n"
      "2144011407,Y,440114,primary,state,moon,no\n");
  ParsedSchools parsed = ParseSchoolsCsv(table, "s.csv");
  ASSERT_EQ(parsed.problems.size(), 4u);
  EXPECT_EQ(FormatProblem("s.csv", parsed.problems[0]).substr(0, 20), "s.csv:2: school_type");
  EXPECT_EQ(parsed.problems[1].column, "boarding");
  EXPECT_EQ(parsed.problems[2].line, 3);
  EXPECT_EQ(parsed.problems[2].column, "ownership");
  EXPECT_EQ(parsed.problems[3].column, "locale");
}

TEST(SchoolsCsvTest, MissingRequiredColumnIsAHeaderProblem) {
  ParsedSchools parsed = ParseSchoolsCsv(*ParseCsv("school_code,name\n1,2\n"), "s.csv");
  EXPECT_FALSE(parsed.header_ok);
  EXPECT_EQ(parsed.problems.size(), 4u);  // district_code, school_type, ownership, locale
  EXPECT_EQ(parsed.problems[0].line, 1);
  EXPECT_TRUE(parsed.schools.empty());
}

TEST(SchoolYearsCsvTest, BuildsSectionsOnlyForStagesPresent) {
  const CsvTable table = *ParseCsv(
      "school_code,school_year,primary_students,primary_classes,primary_class_sizes,junior_students,"
      "junior_classes,teaching_area_m2,equipment_value_yuan,music_room_areas_m2,art_room_areas_m2\n"
      "2144011406,2024,90,2,45;45,,,512.5,18000.50,96；100,90\n"
      "2144011407,2024,,,,100,2,1,0,,\n");
  ParsedSchoolYears parsed = ParseSchoolYearsCsv(table, "y.csv");
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems[0].description;
  ASSERT_EQ(parsed.records.size(), 2u);
  const v1::SchoolYearRecord& first = parsed.records[0];
  ASSERT_EQ(first.sections_size(), 1);
  EXPECT_EQ(first.sections(0).stage(), common::v1::STAGE_PRIMARY);
  EXPECT_EQ(first.sections(0).class_sizes_size(), 2);
  EXPECT_DOUBLE_EQ(first.facilities().teaching_area_m2(), 512.5);
  EXPECT_EQ(first.facilities().equipment_value_fen(), 1800050);
  EXPECT_EQ(first.facilities().music_room_areas_m2_size(), 2);
  ASSERT_EQ(parsed.records[1].sections_size(), 1);
  EXPECT_EQ(parsed.records[1].sections(0).stage(), common::v1::STAGE_JUNIOR);
  EXPECT_EQ(ColumnForField(parsed.origins[1], "sections[0].students"), "junior_students");
  EXPECT_EQ(ColumnForField(parsed.origins[0], "sections[0].class_sizes[1]"), "primary_class_sizes");
  EXPECT_EQ(ColumnForField(parsed.origins[0], "facilities.music_room_areas_m2[1]"), "music_room_areas_m2");
  EXPECT_EQ(ColumnForField(parsed.origins[0], "facilities.equipment_value_fen"), "equipment_value_yuan");
  EXPECT_EQ(ColumnForField(parsed.origins[0], "school_year"), "school_year");
}

}  // namespace
}  // namespace gzedu::cli
