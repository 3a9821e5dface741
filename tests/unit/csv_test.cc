#include <gtest/gtest.h>
#include <iconv.h>

#include <algorithm>

#include "tools/gzedu/csv_reader.h"
#include "tools/gzedu/ledger_csv.h"
#include "tools/gzedu/registry_csv.h"
#include "tools/gzedu/rotation_csv.h"
#include "tools/gzedu/text_encoding.h"

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

// `utf8` encoded as `encoding` by glibc's iconv, as a spreadsheet program
// saving in that encoding would write it.
std::string Encode(const std::string& utf8, const char* encoding) {
  iconv_t cd = iconv_open(encoding, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << encoding;
  std::string input = utf8;
  char* in = input.data();
  size_t in_left = input.size();
  std::string out(input.size() * 4 + 16, '\0');
  char* out_ptr = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

const char kChineseSchools[] =
    "学校标识码,学校名称,区县代码,办学类型,办学性质,城乡分类\n"
    "2144011406,狮岭联合学校,440114,九年一贯制学校,公办,镇区\n";

TEST(TextEncodingTest, ReadsUtf8AsItIsWithOrWithoutByteOrderMark) {
  absl::StatusOr<DecodedText> plain = DecodeToUtf8(kChineseSchools);
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->utf8, kChineseSchools);
  EXPECT_EQ(plain->encoding, "UTF-8");
  absl::StatusOr<DecodedText> marked = DecodeToUtf8(std::string("\xEF\xBB\xBF") + kChineseSchools);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->utf8, kChineseSchools);
  EXPECT_EQ(marked->encoding, "UTF-8 with BOM");
}

TEST(TextEncodingTest, ConvertsGbkAsAChineseExcelSavesIt) {
  for (const char* encoding : {"GBK", "GB18030"}) {
    const std::string bytes = Encode(kChineseSchools, encoding);
    ASSERT_FALSE(IsValidUtf8(bytes)) << "the test needs bytes that are not UTF-8";
    absl::StatusOr<DecodedText> decoded = DecodeToUtf8(bytes);
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(decoded->utf8, kChineseSchools) << encoding;
    EXPECT_EQ(decoded->encoding, "GB18030");
  }
}

TEST(TextEncodingTest, ConvertsUtf16WithAByteOrderMark) {
  const std::string bytes = "\xFF\xFE" + Encode(kChineseSchools, "UTF-16LE");
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->utf8, kChineseSchools);
  EXPECT_EQ(decoded->encoding, "UTF-16LE");
  // Without the mark the NUL bytes give it away.
  absl::StatusOr<DecodedText> unmarked = DecodeToUtf8(Encode(kChineseSchools, "UTF-16LE"));
  ASSERT_FALSE(unmarked.ok());
  EXPECT_NE(unmarked.status().message().find("UTF-16 without a byte-order mark"), absl::string_view::npos);
}

TEST(TextEncodingTest, RefusesDamagedUtf8NamingTheLineInsteadOfGuessingGbk) {
  std::string text = std::string(kChineseSchools) + "2144011407,花都区第二小学,440114,小学,公办,城区\n";
  text[text.rfind("第") + 1] = '\xFF';  // line 3
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(text);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message().substr(0, 2), "3:") << decoded.status();
  EXPECT_NE(decoded.status().message().find("UTF-8"), absl::string_view::npos) << decoded.status();
}

TEST(TextEncodingTest, RefusesBytesOfNeitherEncodingNamingBoth) {
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8("a,b\n1,2\n\xFF\xFF,3\n");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().message().substr(0, 2), "3:") << decoded.status();
  EXPECT_NE(decoded.status().message().find("neither UTF-8"), absl::string_view::npos) << decoded.status();
  EXPECT_NE(decoded.status().message().find("GB18030"), absl::string_view::npos) << decoded.status();
}

TEST(TextEncodingTest, ValidatesUtf8StrictlyAndFindsTheFirstBadByte) {
  size_t offset = 0;
  EXPECT_TRUE(IsValidUtf8("学校 school 😀"));
  EXPECT_FALSE(IsValidUtf8("ab\xC0\x80", &offset));  // overlong NUL
  EXPECT_EQ(offset, 2u);
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE5\xAD"));          // cut off
}

TEST(CsvReaderTest, RowsOfEmptyCellsAreBlankLines) {
  absl::StatusOr<CsvTable> table = ParseCsv("a,b,c\n1,2,3\n,,\n\n4,5,6\n,,\n,,\n");
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[1].line, 5);
}

TEST(CsvWidthTest, ARowWithFewerOrMoreCellsThanTheHeaderIsAProblemOfItsLine) {
  std::string header =
      "school_code,school_year,primary_students,primary_classes,primary_class_sizes,"
      "junior_students,junior_classes,junior_class_sizes,teaching_area_m2,sports_area_m2,"
      "equipment_value_yuan,multimedia_rooms,music_room_areas_m2,art_room_areas_m2\n";
  const CsvTable table = *ParseCsv(header +
                                   "2144011406,2024,90,2,45;45,,,,512.5,300,18000,4,,\n"
                                   "2144011407,2024,90,2,45;45\n"
                                   "2144011408,2024,90,2,45;45,,,,512.5,300,18000,4,,,99\n");
  ParsedSchoolYears parsed = ParseSchoolYearsCsv(table, "y.csv");
  ASSERT_EQ(parsed.problems.size(), 2u);
  EXPECT_EQ(FormatProblem("y.csv", parsed.problems[0]), "y.csv:3: has 5 cells, the header has 14");
  EXPECT_EQ(FormatProblem("y.csv", parsed.problems[1]), "y.csv:4: has 15 cells, the header has 14");
  ASSERT_EQ(parsed.records.size(), 1u);  // only the whole row is read
  EXPECT_EQ(parsed.origins[0].line, 2);
}

TEST(DateTest, ReadsTheFormsExcelWrites) {
  for (const char* text : {"2015-09-01", "2015-9-1", "2015/9/1", "2015/09/01", "2015.9.1", "2015年9月1日",
                           "2015年09月01日", "2015/9/1 0:00", "2015-09-01 00:00:00", " 2015/9/1 ", "42248"}) {
    EXPECT_EQ(ParseDate(text).value_or("refused"), "2015-09-01") << text;
  }
  // Excel's serial days, its phantom 1900-02-29 included.
  EXPECT_EQ(ParseDate("1").value_or(""), "1900-01-01");
  EXPECT_EQ(ParseDate("59").value_or(""), "1900-02-28");
  EXPECT_EQ(ParseDate("61").value_or(""), "1900-03-01");
  EXPECT_EQ(ParseDate("45536").value_or(""), "2024-09-01");
  for (const char* text : {"", "2015/2/29", "2015/13/1", "2015-09-01x", "2015/9-1", "15/9/1", "2015/9/1 8:30", "60",
                           "0", "123456", "2015年9月", "9/1/2015", "2015-009-01"}) {
    EXPECT_FALSE(ParseDate(text).has_value()) << text;
  }
  EXPECT_EQ(ParseDate("2016/2/29").value_or(""), "2016-02-29");
}

TEST(DateTest, TeacherAndRotationDatesGoThroughTheOneReader) {
  ParsedTeachers teachers = ParseTeachersCsv(
      *ParseCsv("teacher_id,district_code,school_code,stage,full_time,subject,highest_degree,certified,"
                "at_current_school_since,school_ownership\n"
                "HD-1,440114,2144011401,primary,yes,语文,本科,yes,2015年9月1日,公办\n"
                "HD-2,440114,2144011401,primary,yes,语文,本科,yes,2015/2/30,公办\n"),
      "t.csv");
  ASSERT_EQ(teachers.problems.size(), 1u);
  EXPECT_EQ(teachers.problems[0].line, 3);
  EXPECT_EQ(teachers.problems[0].column, "at_current_school_since");
  EXPECT_EQ(teachers.problems[0].description, "'2015/2/30' is no day of the calendar (2015 has no such date)");
  EXPECT_EQ(teachers.teachers[0].at_current_school_since(), "2015-09-01");
  ParsedRotations rotations =
      ParseRotationsCsv(*ParseCsv("教师编号,原学校标识码,交流学校标识码,交流形式,生效日期,结束日期,经办人\n"
                                  "HD-1,2144011401,2144011402,交流,45536,2025/8/31,hr\n"),
                        "r.csv");
  ASSERT_TRUE(rotations.problems.empty()) << rotations.problems[0].description;
  EXPECT_EQ(rotations.rows[0].rotation.effective_date(), "2024-09-01");
  EXPECT_EQ(rotations.rows[0].rotation.end_date(), "2025-08-31");
}

TEST(ProblemReportTest, GroupsRepeatedProblemsAfterTheFirstFew) {
  std::vector<CsvProblem> problems;
  for (int line = 50001; line >= 2; --line) {
    problems.push_back({line, "district_code", "'440199' is not one of Guangzhou's 11 district codes"});
  }
  problems.push_back({7, "name", "must have 1 to 100 characters"});
  const std::vector<std::string> lines = ProblemReportLines("s.csv", problems, {{"district_code", "区县代码"}});
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "s.csv:2: 区县代码: '440199' is not one of Guangzhou's 11 district codes");
  EXPECT_EQ(lines[4], "s.csv:6: 区县代码: '440199' is not one of Guangzhou's 11 district codes");
  EXPECT_EQ(lines[5], "s.csv:7: name: must have 1 to 100 characters");  // another kind, shown
  EXPECT_EQ(lines[6], "s.csv: … and 49995 more rows with the same problem as line 2 (区县代码): lines 7 to 50001");
}

TEST(ProblemReportTest, ProblemsDifferingOnlyInTheirValuesAreOneKind) {
  std::vector<CsvProblem> problems;
  for (int i = 0; i < 8; ++i) {
    problems.push_back({2 + i, "school_code", "school 21440000" + std::to_string(10 + i) + " is not registered"});
  }
  problems.push_back({20, "school_code", "'x' is not a school code"});
  const std::vector<std::string> lines = ProblemReportLines("y.csv", problems, {}, 5);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[5], "y.csv:20: school_code: 'x' is not a school code");
  EXPECT_EQ(lines[6], "y.csv: … and 3 more rows with the same problem as line 2 (school_code): lines 7 to 9");
}

TEST(ColumnLabelsTest, ProblemsNameColumnsAsTheFilesHeaderDoes) {
  ParsedSchools parsed =
      ParseSchoolsCsv(*ParseCsv(std::string(kChineseSchools) + "2144011407,X,440114,城堡,公办,镇区\n"), "s.csv");
  ASSERT_EQ(parsed.problems.size(), 1u);
  const std::vector<std::string> lines = ProblemReportLines("s.csv", parsed.problems, parsed.labels);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].rfind("s.csv:3: 办学类型: '城堡'", 0), 0u) << lines[0];
  // An English header keeps the English names.
  ParsedSchools english = ParseSchoolsCsv(
      *ParseCsv("school_code,name,district_code,school_type,ownership,locale\n2144011407,X,440114,castle,公办,镇区\n"),
      "e.csv");
  EXPECT_EQ(ProblemReportLines("e.csv", english.problems, english.labels)[0].rfind("e.csv:2: school_type: ", 0), 0u);
}

TEST(Utf8FieldsTest, NamesEveryStringFieldThatIsNotUtf8) {
  v1::SchoolYearRecord record;
  record.set_school_code("2144011406");
  EXPECT_TRUE(InvalidUtf8Fields(record).empty());
  v1::School school;
  school.set_name("\xB1\xEA\xCA\xB6");  // 标识 in GBK
  school.set_school_code("2144011406");
  EXPECT_EQ(InvalidUtf8Fields(school), std::vector<std::string>{"name"});
}

// Every transfer amount is checked before anything is sent: a zero or
// negative one is a problem of its line, like a malformed one.
TEST(LedgerCsvTest, AmountsOfZeroOrBelowAreProblemsOfTheirLines) {
  const auto table = ParseCsv(
      "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year\n"
      "t1,a,b,-5,2024\n"
      "t2,a,b,0.00,2024\n"
      "t3,a,b,12.50,2024\n"
      "t4,a,b,\"1,000.00\",2024\n"
      "t5,a,b,1.00,99999999999\n");
  ASSERT_TRUE(table.ok()) << table.status();
  const ParsedTransfers parsed = ParseTransfersCsv(*table, "t.csv");
  std::vector<int> lines;
  for (const CsvProblem& p : parsed.problems) {
    if (p.column == "amount_yuan") lines.push_back(p.line);
  }
  EXPECT_EQ(lines, (std::vector<int>{2, 3, 5}));
  // A whole number too large for its column is said to be so.
  bool too_large = false;
  for (const CsvProblem& p : parsed.problems) {
    too_large |= p.line == 6 && p.description == "'99999999999' is too large (at most 2147483647)";
  }
  EXPECT_TRUE(too_large);
}

}  // namespace
}  // namespace gzedu::cli
