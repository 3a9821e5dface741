// The report files checked in the programs their readers use: the workbook
// recalculated by LibreOffice (every CV formula against the engine's CV),
// the printable page rendered and printed by headless Chromium, the CSV
// read back. One LibreOffice run and one Chromium run in all.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/report/csv_report.h"
#include "services/indicator_evaluation/report/html_report.h"
#include "services/indicator_evaluation/report/report_file.h"
#include "services/indicator_evaluation/report/workbook.h"
#include "tests/report/report_support.h"
#include "tests/support/subprocess.h"

namespace gzedu::report {
namespace {

using engine::DistrictEvaluation;
using engine::Language;
using gzedu::testing::RunCommand;
using gzedu::testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// A CSV line split on commas, honouring double quotes.
std::vector<std::string> CsvFields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

TEST(WorkbookTest, TheSameEvaluationGivesTheSameBytes) {
  const std::vector<DistrictEvaluation> one = {testing::HuaduSample()};
  absl::StatusOr<std::string> first = RenderWorkbook(one, Language::kChinese);
  absl::StatusOr<std::string> second = RenderWorkbook(one, Language::kChinese);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(first->substr(0, 2), "PK");
  EXPECT_EQ(*first, *second);
  EXPECT_FALSE(RenderWorkbook({}, Language::kChinese).ok());
}

// LibreOffice recalculates every formula on load (the profile says so) and
// writes each sheet as CSV; every CV formula must give the engine's CV.
TEST(WorkbookTest, EveryCvFormulaRecalculatesInLibreOfficeToTheEnginesCv) {
  ASSERT_FALSE(std::string(GZEDU_SOFFICE).empty())
      << "LibreOffice (soffice) is needed: scripts/setup installs libreoffice-calc-nogui";
  const std::vector<DistrictEvaluation> city = testing::CityOfTwo();
  absl::StatusOr<std::string> workbook = RenderWorkbook(city, Language::kChinese);
  ASSERT_TRUE(workbook.ok()) << workbook.status();
  TempDir dir;
  const std::string xlsx = dir.path() + "/city.xlsx";
  WriteFile(xlsx, *workbook);
  // Recalculate always, for files from Excel and from LibreOffice alike.
  const std::string profile = dir.path() + "/profile";
  std::filesystem::create_directories(profile + "/user");
  WriteFile(profile + "/user/registrymodifications.xcu",
            R"(<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
)");
  std::string out, err;
  // Token 12 (-1): every sheet to its own file; token 9 (false): the values,
  // not as formatted.
  ASSERT_EQ(RunCommand({GZEDU_SOFFICE, "-env:UserInstallation=file://" + profile, "--headless", "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir",
                        dir.path() + "/csv", xlsx},
                       &out, &err),
            0)
      << out << err;
  for (const char* sheet : {"总览", "总表", "学段单元", "差异系数", "整改方案", "约定对照"}) {
    EXPECT_TRUE(std::filesystem::exists(dir.path() + "/csv/city-" + sheet + ".csv")) << sheet << "\n" << out << err;
  }
  const std::string cv_sheet = ReadFile(dir.path() + "/csv/city-差异系数.csv");
  std::vector<std::vector<double>> recalculated;  // one row of seven per district and stage
  for (absl::string_view line : absl::StrSplit(cv_sheet, '\n')) {
    const std::vector<std::string> fields = CsvFields(std::string(line));
    if (fields.size() < 2 || fields[1].find("（公式）") == std::string::npos) continue;
    std::vector<double> row;
    for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
      double value = -1;
      ASSERT_LT(static_cast<size_t>(4 + 2 * k), fields.size());
      EXPECT_TRUE(absl::SimpleAtod(fields[4 + 2 * k], &value)) << line;
      row.push_back(value);
    }
    recalculated.push_back(row);
  }
  size_t block = 0;
  int compared = 0;
  for (const DistrictEvaluation& e : city) {
    for (const engine::StageResult& s : e.stages) {
      if (s.section_results.empty()) continue;
      ASSERT_LT(block, recalculated.size()) << cv_sheet;
      for (int k = 0; k < engine::kResourceIndicatorCount; ++k) {
        EXPECT_NEAR(recalculated[block][k], s.cv[k], 1e-9)
            << e.district_code << " " << engine::IndicatorDefinitions()[k].id;
        ++compared;
      }
      ++block;
    }
  }
  EXPECT_EQ(block, recalculated.size());
  EXPECT_EQ(compared, 2 * 2 * engine::kResourceIndicatorCount);
  // The section sheet carries the engine's values.
  const std::string sections = ReadFile(dir.path() + "/csv/city-学段单元.csv");
  EXPECT_NE(sections.find("赤坭镇瑞岭小学"), std::string::npos);
  EXPECT_NE(sections.find("6项达标且另1项不低于85%"), std::string::npos);
}

TEST(HtmlReportTest, IsSelfContained) {
  const std::string html = RenderHtmlReport({testing::HuaduSample()}, Language::kChinese);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("@page { size: A4"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  // The only URL is SVG's namespace name, which is never fetched.
  EXPECT_EQ(absl::StrReplaceAll(html, {{"http://www.w3.org/2000/svg", ""}}).find("http"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

// Chromium lays the page out at A4 width, a script added for the test
// measures it, and the page is printed to PDF; the PDF's text must name
// every indicator and carry the engine's values.
TEST(HtmlReportTest, RendersInChromiumWithinA4AndPrintsEveryIndicator) {
  ASSERT_FALSE(std::string(GZEDU_CHROMIUM).empty()) << "Chromium is needed: scripts/setup installs chromium";
  ASSERT_FALSE(std::string(GZEDU_PDFTOTEXT).empty()) << "pdftotext is needed: scripts/setup installs poppler-utils";
  const DistrictEvaluation e = testing::HuaduSample();
  std::string html = RenderHtmlReport({e}, Language::kChinese);
  // 210 mm at 96 px per inch is 794 px: nothing may reach beyond it.
  const std::string probe = R"(<p id="probe"></p><script>
(function () {
  var limit = document.documentElement.clientWidth, widest = 0;
  document.querySelectorAll('body *').forEach(function (el) {
    widest = Math.max(widest, el.getBoundingClientRect().right);
  });
  var over = document.documentElement.scrollWidth > limit || widest > limit + 0.5;
  document.getElementById('probe').textContent = 'LAYOUT-' + (over ? 'OVERFLOWS' : 'FITS') + '-' + Math.round(widest);
})();
</script>)";
  html.insert(html.rfind("</body>"), probe);
  TempDir dir;
  const std::string page = dir.path() + "/huadu.html";
  const std::string pdf = dir.path() + "/huadu.pdf";
  WriteFile(page, html);
  std::string out, err;
  ASSERT_EQ(RunCommand({GZEDU_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--user-data-dir=" + dir.path() + "/chromium", "--window-size=794,1123",
                        "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + page},
                       &out, &err),
            0)
      << err;
  ASSERT_EQ(ReadFile(pdf).substr(0, 5), "%PDF-") << err;
  ASSERT_EQ(RunCommand({GZEDU_PDFTOTEXT, "-raw", "-enc", "UTF-8", pdf, "-"}, &out, &err), 0) << err;
  // Table cells wrap: compare without white space.
  std::string text = out;
  text.erase(std::remove_if(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); }), text.end());
  EXPECT_NE(text.find("LAYOUT-FITS"), std::string::npos)
      << text.substr(text.find("LAYOUT-") == std::string::npos ? 0 : text.find("LAYOUT-"), 40);
  for (const engine::IndicatorResult& r : e.indicators) {
    std::string name = engine::IndicatorName(r.indicator_id, Language::kChinese);
    name.erase(std::remove_if(name.begin(), name.end(), [](unsigned char c) { return std::isspace(c); }), name.end());
    EXPECT_NE(text.find(name), std::string::npos) << r.indicator_id << " " << name;
    if (r.value) {
      EXPECT_NE(text.find(engine::FormatIndicatorValue(r, r.value)), std::string::npos) << r.indicator_id;
    }
    if (r.cv_actual) {
      EXPECT_NE(text.find(absl::StrFormat("%.3f", *r.cv_actual)), std::string::npos) << r.indicator_id;
    }
  }
  EXPECT_NE(text.find("花都区（440114）2024学年"), std::string::npos);
}

TEST(SectionCsvTest, HasOneRowPerSectionWithUnroundedValues) {
  const DistrictEvaluation e = testing::HuaduSample();
  const std::string csv = RenderSectionCsv({e}, Language::kEnglish);
  const std::vector<std::string> lines = absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 1u + e.stages[0].section_results.size() + e.stages[1].section_results.size());
  EXPECT_EQ(lines[0].rfind("district_code,school_code,school_name,stage,students,R1,", 0), 0u) << lines[0];
  const std::vector<std::string> first = CsvFields(lines[1]);
  const engine::SectionResult& section = e.stages[0].section_results[0];
  EXPECT_EQ(first[1], section.school_code);
  double r1 = 0;
  ASSERT_TRUE(absl::SimpleAtod(first[5], &r1));
  EXPECT_EQ(r1, section.values[0]);  // exactly: %.17g round-trips
}

TEST(ReportFileTest, NamesEachFormatsFileAndMediaType) {
  const std::vector<DistrictEvaluation> one = {testing::HuaduSample()};
  absl::StatusOr<ReportFile> html = RenderReportFile(one, ReportFormat::kHtml, Language::kChinese);
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->file_name, "440114-2024.html");
  EXPECT_EQ(html->media_type, "text/html; charset=utf-8");
  absl::StatusOr<ReportFile> city = RenderReportFile(testing::CityOfTwo(), ReportFormat::kXlsx, Language::kEnglish);
  ASSERT_TRUE(city.ok());
  EXPECT_EQ(city->file_name, "guangzhou-2024.xlsx");
  ReportFormat format;
  EXPECT_TRUE(ParseReportFormat("csv", &format));
  EXPECT_EQ(format, ReportFormat::kCsv);
  EXPECT_FALSE(ParseReportFormat("pdf", &format));
}

}  // namespace
}  // namespace gzedu::report
