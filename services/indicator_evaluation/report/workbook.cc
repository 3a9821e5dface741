#include "services/indicator_evaluation/report/workbook.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::report {
namespace {

using engine::DistrictEvaluation;
using engine::IndicatorResult;
using engine::kResourceIndicatorCount;
using engine::Language;
using engine::SectionResult;
using engine::StageResult;

// R1-R3 and R7 are per 100 students; the others per student.
constexpr std::array<double, kResourceIndicatorCount> kScale = {100, 100, 100, 1, 1, 1, 100};

// "A1"-style reference of a zero-based row and column; `absolute` adds "$".
std::string Cell(int row, int col, bool absolute = false) {
  std::string letters;
  for (int c = col + 1; c > 0; c = (c - 1) / 26) letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
  const char* dollar = absolute ? "$" : "";
  return absl::StrCat(dollar, letters, dollar, row + 1);
}

std::string Range(int first_row, int last_row, int col) {
  return absl::StrCat(Cell(first_row, col, true), ":", Cell(last_row, col, true));
}

// The words of the workbook.
struct Sheets {
  const char* overview;
  const char* summary;
  const char* sections;
  const char* cv;
  const char* remediation;
  const char* conventions;
};
const Sheets kSheetsZh = {"总览", "总表", "学段单元", "差异系数", "整改方案", "约定对照"};
const Sheets kSheetsEn = {"Overview", "Summary", "Sections", "CV", "Remediation", "Conventions"};

std::string OutcomeText(engine::SectionOutcome outcome, Language language) {
  const bool zh = language == Language::kChinese;
  switch (outcome) {
    case engine::SectionOutcome::kMeetsAll:
      return zh ? "7项全部达标" : "meets all seven";
    case engine::SectionOutcome::kMeetsWithOne85:
      return zh ? "6项达标且另1项不低于85%" : "six meet, the seventh at >= 85%";
    case engine::SectionOutcome::kFails:
      return zh ? "未达标" : "fails";
    case engine::SectionOutcome::kIncomplete:
      return zh ? "数据不完整" : "incomplete";
    default:
      return zh ? "无在校生" : "no students";
  }
}

// Writes one workbook; keeps the formats it made.
class WorkbookWriter {
 public:
  WorkbookWriter(lxw_workbook* workbook, Language language, bool city)
      : workbook_(workbook),
        language_(language),
        zh_(language == Language::kChinese),
        city_(city),
        sheets_(zh_ ? kSheetsZh : kSheetsEn) {
    header_ = workbook_add_format(workbook_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xDDEBF7);
    format_set_text_wrap(header_);
    format_set_border(header_, LXW_BORDER_THIN);
    title_ = workbook_add_format(workbook_);
    format_set_bold(title_);
    two_ = workbook_add_format(workbook_);
    format_set_num_format(two_, "0.00");
    three_ = workbook_add_format(workbook_);
    format_set_num_format(three_, "0.000");
    precise_ = workbook_add_format(workbook_);
    format_set_num_format(precise_, "0.000000000");
    failing_ = workbook_add_format(workbook_);
    format_set_font_color(failing_, 0xC00000);
    format_set_bold(failing_);
  }

  void Write(const std::vector<DistrictEvaluation>& evaluations) {
    if (city_) WriteOverview(evaluations);
    lxw_worksheet* summary = workbook_add_worksheet(workbook_, sheets_.summary);
    lxw_worksheet* sections = workbook_add_worksheet(workbook_, sheets_.sections);
    lxw_worksheet* cv = workbook_add_worksheet(workbook_, sheets_.cv);
    lxw_worksheet* remediation = workbook_add_worksheet(workbook_, sheets_.remediation);
    lxw_worksheet* conventions = workbook_add_worksheet(workbook_, sheets_.conventions);
    WriteSummary(summary, evaluations);
    WriteSectionsAndCv(sections, cv, evaluations);
    WriteRemediation(remediation, evaluations);
    WriteConventions(conventions, evaluations);
  }

 private:
  void Header(lxw_worksheet* sheet, int row, const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      worksheet_write_string(sheet, row, static_cast<lxw_col_t>(c), cells[c].c_str(), header_);
    }
  }
  void Text(lxw_worksheet* sheet, int row, int col, const std::string& text, lxw_format* format = nullptr) {
    worksheet_write_string(sheet, row, col, text.c_str(), format);
  }
  void Number(lxw_worksheet* sheet, int row, int col, double value, lxw_format* format = nullptr) {
    worksheet_write_number(sheet, row, col, value, format);
  }
  void Optional(lxw_worksheet* sheet, int row, int col, const std::optional<double>& value, lxw_format* format) {
    if (value) Number(sheet, row, col, *value, format);
  }
  std::string StageName(gzedu::Stage stage) const { return engine::StageText(stage, language_); }
  std::string Verdict(engine::Verdict verdict) const { return engine::VerdictText(verdict, language_); }
  lxw_format* NumberFormat(const IndicatorResult& r) const {
    if (r.unit == "difference rate") return three_;
    if (r.unit == "oversize schools" || r.unit == "oversize classes" || r.unit == "schools funded short") {
      return nullptr;
    }
    return two_;
  }
  // The district columns of a row on the city's sheets; returns the next
  // column.
  int District(lxw_worksheet* sheet, int row, const DistrictEvaluation& e) {
    if (!city_) return 0;
    Text(sheet, row, 0, e.district_code);
    Text(sheet, row, 1, engine::DistrictName(e.district_code, language_));
    return 2;
  }
  std::vector<std::string> WithDistrict(std::vector<std::string> cells) const {
    if (city_) cells.insert(cells.begin(), {zh_ ? "区代码" : "code", zh_ ? "区" : "district"});
    return cells;
  }

  void WriteOverview(const std::vector<DistrictEvaluation>& evaluations) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook_, sheets_.overview);
    std::vector<std::string> header = {zh_ ? "区代码" : "code", zh_ ? "区" : "district", zh_ ? "总体结论" : "verdict",
                                       zh_ ? "小学学段单元" : "primary sections",
                                       zh_ ? "初中学段单元" : "junior sections"};
    // Then one column per indicator (and stage for R1-R7), its verdict.
    const DistrictEvaluation& first = evaluations.front();
    for (const IndicatorResult& r : first.indicators) {
      header.push_back(r.stage ? absl::StrCat(r.indicator_id, " ", StageName(*r.stage)) : r.indicator_id);
    }
    header.push_back(zh_ ? "未达标项" : "failing");
    Header(sheet, 0, header);
    int row = 1;
    for (const DistrictEvaluation& e : evaluations) {
      Text(sheet, row, 0, e.district_code);
      Text(sheet, row, 1, engine::DistrictName(e.district_code, language_));
      Text(sheet, row, 2, engine::OverallVerdictText(e.verdict, language_),
           e.verdict == engine::OverallVerdict::kDoesNotMeet ? failing_ : nullptr);
      Number(sheet, row, 3, e.primary_sections);
      Number(sheet, row, 4, e.junior_sections);
      int col = 5;
      for (const IndicatorResult& r : e.indicators) {
        Text(sheet, row, col++, Verdict(r.verdict), r.verdict == engine::Verdict::kDoesNotMeet ? failing_ : nullptr);
      }
      Text(sheet, row, col, absl::StrJoin(zh_ ? e.failing_indicators_zh : e.failing_indicators, zh_ ? "、" : ", "));
      ++row;
    }
    worksheet_set_column(sheet, 0, 0, 9, nullptr);
    worksheet_set_column(sheet, 1, 2, 14, nullptr);
    worksheet_freeze_panes(sheet, 1, 3);
  }

  void WriteSummary(lxw_worksheet* sheet, const std::vector<DistrictEvaluation>& evaluations) {
    Header(
        sheet, 0,
        WithDistrict({zh_ ? "指标" : "id", zh_ ? "学段" : "stage", zh_ ? "名称" : "indicator", zh_ ? "数值" : "value",
                      zh_ ? "单位" : "unit", zh_ ? "计算" : "computation", zh_ ? "标准" : "threshold",
                      zh_ ? "差异系数" : "CV", zh_ ? "上限" : "limit", zh_ ? "学段单元达标情况" : "sections",
                      zh_ ? "结论" : "verdict", zh_ ? "说明" : "notes", zh_ ? "依据" : "source"}));
    int row = 1;
    for (const DistrictEvaluation& e : evaluations) {
      for (const IndicatorResult& r : e.indicators) {
        int col = District(sheet, row, e);
        Text(sheet, row, col++, r.indicator_id);
        Text(sheet, row, col++, r.stage ? StageName(*r.stage) : "");
        Text(sheet, row, col++, engine::IndicatorName(r.indicator_id, language_));
        Optional(sheet, row, col++, r.value, NumberFormat(r));
        Text(sheet, row, col++, engine::ValueUnit(r, language_));
        Text(sheet, row, col++, engine::Computation(r, language_));
        Optional(sheet, row, col++, r.threshold, NumberFormat(r));
        Optional(sheet, row, col++, r.cv_actual, three_);
        Optional(sheet, row, col++, r.cv_max, two_);
        std::string counts;
        if (r.stage) {
          for (const StageResult& s : e.stages) {
            for (int k = 0; k < kResourceIndicatorCount; ++k) {
              if (s.stage == *r.stage && engine::IndicatorDefinitions()[k].id == r.indicator_id) {
                counts = engine::SectionsReaching(s, k, language_);
              }
            }
          }
        }
        Text(sheet, row, col++, counts);
        Text(sheet, row, col++, engine::HeadlineVerdict(r, language_),
             r.verdict == engine::Verdict::kDoesNotMeet ? failing_ : nullptr);
        Text(sheet, row, col++, absl::StrJoin(zh_ ? r.notes_zh : r.notes, zh_ ? "；" : "; "));
        Text(sheet, row, col++, engine::SourceClause(r.indicator_id, language_));
        ++row;
      }
    }
    const int base = city_ ? 2 : 0;
    worksheet_set_column(sheet, base + 2, base + 2, 40, nullptr);
    worksheet_set_column(sheet, base + 5, base + 5, 30, nullptr);
    worksheet_set_column(sheet, base + 9, base + 9, 24, nullptr);
    worksheet_set_column(sheet, base + 11, base + 12, 36, nullptr);
    worksheet_freeze_panes(sheet, 1, base + 2);
  }

  // 学段单元 and, over its values, 差异系数.
  void WriteSectionsAndCv(lxw_worksheet* sections, lxw_worksheet* cv,
                          const std::vector<DistrictEvaluation>& evaluations) {
    std::vector<std::string> header = {zh_ ? "学校代码" : "school code", zh_ ? "学校名称" : "school",
                                       zh_ ? "学段" : "stage", zh_ ? "在校生数" : "students"};
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      header.push_back(absl::StrCat(std::string(engine::IndicatorDefinitions()[k].id), zh_ ? " 分子" : " numerator"));
    }
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      header.push_back(absl::StrCat(std::string(engine::IndicatorDefinitions()[k].id), zh_ ? " 数值" : " value"));
    }
    header.push_back(zh_ ? "达到标准的指标数" : "indicators reaching the threshold");
    header.push_back(zh_ ? "每校要求（7项达标，或6项达标且另1项不低于85%）" : "per-section rule");
    Header(sections, 0, WithDistrict(header));
    const int base = city_ ? 2 : 0;
    const int students_col = base + 3;
    const int value_col = base + 4 + kResourceIndicatorCount;
    int row = 1;
    int cv_row = 0;
    for (const DistrictEvaluation& e : evaluations) {
      for (const StageResult& s : e.stages) {
        const int first = row;
        for (const SectionResult& section : s.section_results) {
          int col = District(sections, row, e);
          Text(sections, row, col++, section.school_code);
          Text(sections, row, col++, section.school_name);
          Text(sections, row, col++, StageName(section.stage));
          Number(sections, row, col++, section.students);
          int reaching = 0;
          for (int k = 0; k < kResourceIndicatorCount; ++k) {
            if (section.known[k]) Number(sections, row, col, section.values[k] * section.students / kScale[k], two_);
            ++col;
          }
          for (int k = 0; k < kResourceIndicatorCount; ++k) {
            if (section.known[k]) {
              Number(sections, row, col, section.values[k], section.reaches[k] ? two_ : failing_);
              if (section.reaches[k]) ++reaching;
            }
            ++col;
          }
          Number(sections, row, col++, reaching);
          Text(sections, row, col++, OutcomeText(section.outcome, language_),
               section.outcome == engine::SectionOutcome::kFails ? failing_ : nullptr);
          ++row;
        }
        if (row > first) cv_row = WriteCvBlock(cv, cv_row, e, s, first, row - 1, students_col, value_col);
      }
    }
    worksheet_set_column(sections, base + 1, base + 1, 30, nullptr);
    worksheet_set_column(sections, value_col + kResourceIndicatorCount + 1, value_col + kResourceIndicatorCount + 1, 24,
                         nullptr);
    worksheet_freeze_panes(sections, 1, base + 2);
    worksheet_set_column(cv, 0, 0, 14, nullptr);
    worksheet_set_column(cv, 1, 1, 30, nullptr);
  }

  // One stage's block on 差异系数: a row per section (its students, weight,
  // and per indicator its value and squared deviation, all formulas over
  // 学段单元 rows first..last), then X̄, S, the CV and the engine's CV.
  // Returns the next free row.
  int WriteCvBlock(lxw_worksheet* sheet, int row, const DistrictEvaluation& e, const StageResult& s, int first,
                   int last, int students_col, int value_col) {
    const std::string source = absl::StrCat("'", sheets_.sections, "'!");
    Text(sheet, row++, 0,
         absl::StrCat(engine::DistrictName(e.district_code, language_), " ", StageName(s.stage), " ",
                      zh_ ? "校际差异系数（按在校生数加权：X̄ = Σ P_i X_i / P，S = √Σ (P_i / P)(X_i − X̄)²，CV = S / X̄）"
                          : "inter-school CV (weighted by students: X̄ = Σ P_i X_i / P, S = √Σ (P_i / P)(X_i − X̄)², "
                            "CV = S / X̄)"),
         title_);
    std::vector<std::string> header = {zh_ ? "学校代码" : "school code", zh_ ? "学校名称" : "school",
                                       zh_ ? "在校生数 P_i" : "students P_i", zh_ ? "权重 P_i / P" : "weight P_i / P"};
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      const std::string id(engine::IndicatorDefinitions()[k].id);
      header.push_back(absl::StrCat(id, zh_ ? " 数值 X_i" : " value X_i"));
      header.push_back(absl::StrCat(id, " (X_i − X̄)²"));
    }
    Header(sheet, row++, header);
    const int top = row;
    const int count = last - first + 1;
    const int bottom = top + count - 1;
    const int total_row = bottom + 1;  // P and X̄
    for (int i = 0; i < count; ++i) {
      const int r = top + i;
      const SectionResult& section = s.section_results[static_cast<size_t>(i)];
      Text(sheet, r, 0, section.school_code);
      Text(sheet, r, 1, section.school_name);
      worksheet_write_formula(sheet, r, 2, absl::StrCat("=", source, Cell(first + i, students_col)).c_str(), nullptr);
      worksheet_write_formula(sheet, r, 3, absl::StrCat("=", Cell(r, 2), "/", Cell(total_row, 2, true)).c_str(),
                              precise_);
      for (int k = 0; k < kResourceIndicatorCount; ++k) {
        if (!s.sections_missing_input[k].empty()) continue;
        const int vcol = 4 + 2 * k;
        worksheet_write_formula(sheet, r, vcol, absl::StrCat("=", source, Cell(first + i, value_col + k)).c_str(),
                                two_);
        worksheet_write_formula(sheet, r, vcol + 1,
                                absl::StrCat("=(", Cell(r, vcol), "-", Cell(total_row, vcol, true), ")^2").c_str(),
                                precise_);
      }
    }
    const int sd_row = total_row + 1;
    const int cv_row = total_row + 2;
    const int engine_row = total_row + 3;
    const int limit_row = total_row + 4;
    const int verdict_row = total_row + 5;
    Text(sheet, total_row, 1, zh_ ? "合计 P / 均值 X̄" : "total P / mean X̄", title_);
    Text(sheet, sd_row, 1, zh_ ? "标准差 S" : "standard deviation S", title_);
    Text(sheet, cv_row, 1, zh_ ? "差异系数 CV = S / X̄（公式）" : "CV = S / X̄ (formula)", title_);
    Text(sheet, engine_row, 1, zh_ ? "差异系数（评估引擎）" : "CV (the engine's)", title_);
    Text(sheet, limit_row, 1, zh_ ? "上限" : "limit", title_);
    Text(sheet, verdict_row, 1, zh_ ? "差异系数结论" : "CV verdict", title_);
    worksheet_write_formula(sheet, total_row, 2, absl::StrCat("=SUM(", Range(top, bottom, 2), ")").c_str(), nullptr);
    worksheet_write_formula(sheet, total_row, 3, absl::StrCat("=SUM(", Range(top, bottom, 3), ")").c_str(), precise_);
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      const int vcol = 4 + 2 * k;
      if (!s.sections_missing_input[k].empty()) {
        Text(sheet, total_row, vcol, Verdict(engine::Verdict::kPending));
        continue;
      }
      worksheet_write_formula(sheet, total_row, vcol,
                              absl::StrCat("=SUMPRODUCT(", Range(top, bottom, 2), ",", Range(top, bottom, vcol), ")/",
                                           Cell(total_row, 2, true))
                                  .c_str(),
                              precise_);
      worksheet_write_formula(
          sheet, sd_row, vcol,
          absl::StrCat("=SQRT(SUMPRODUCT(", Range(top, bottom, 3), ",", Range(top, bottom, vcol + 1), "))").c_str(),
          precise_);
      worksheet_write_formula(
          sheet, cv_row, vcol,
          absl::StrCat("=IF(", Cell(total_row, vcol), ">0,", Cell(sd_row, vcol), "/", Cell(total_row, vcol), ",0)")
              .c_str(),
          precise_);
      Number(sheet, engine_row, vcol, s.cv[k], precise_);
      Number(sheet, limit_row, vcol, s.cv_max, two_);
      const bool within = s.cv_defined[k] && s.cv_within[k];
      Text(sheet, verdict_row, vcol, Verdict(within ? engine::Verdict::kMeets : engine::Verdict::kDoesNotMeet),
           within ? nullptr : failing_);
    }
    return verdict_row + 2;
  }

  void WriteRemediation(lxw_worksheet* sheet, const std::vector<DistrictEvaluation>& evaluations) {
    Header(sheet, 0,
           WithDistrict({zh_ ? "学校代码" : "school code", zh_ ? "学校名称" : "school", zh_ ? "学段" : "stage",
                         zh_ ? "在校生数" : "students", zh_ ? "指标" : "indicator", zh_ ? "当前值" : "current",
                         zh_ ? "目标值" : "target", zh_ ? "增加" : "add", zh_ ? "单位" : "unit",
                         zh_ ? "可仅达到标准85%的指标" : "kept at >= 85%",
                         zh_ ? "或者在校生减少（人）" : "or reduce enrolment by"}));
    int row = 1;
    for (const DistrictEvaluation& e : evaluations) {
      for (const engine::RemediationPlan& plan : e.plans) {
        for (const engine::RemediationStep& step : plan.steps) {
          int col = District(sheet, row, e);
          Text(sheet, row, col++, plan.school_code);
          Text(sheet, row, col++, plan.school_name);
          Text(sheet, row, col++, StageName(plan.stage));
          Number(sheet, row, col++, plan.students);
          Text(sheet, row, col++, step.indicator_id);
          Number(sheet, row, col++, step.current_value, two_);
          Number(sheet, row, col++, step.target_value, two_);
          Number(sheet, row, col++, step.addition, two_);
          Text(sheet, row, col++, engine::RemediationUnit(step, language_));
          Text(sheet, row, col++, plan.relaxed_indicator_id);
          if (plan.enrolment_reduction) Number(sheet, row, col, *plan.enrolment_reduction);
          ++row;
        }
      }
    }
    if (row == 1) {
      Text(sheet, 1, 0, zh_ ? "无：所有学段单元均符合每校要求。" : "None: every section passes the per-section rule.");
    }
    worksheet_set_column(sheet, (city_ ? 2 : 0) + 1, (city_ ? 2 : 0) + 1, 30, nullptr);
  }

  void WriteConventions(lxw_worksheet* sheet, const std::vector<DistrictEvaluation>& evaluations) {
    Header(sheet, 0,
           {zh_ ? "约定" : "convention", zh_ ? "国家标准严格口径（默认）" : "strict national reading (default)",
            zh_ ? "本次采用" : "applied", zh_ ? "是否默认" : "default"});
    int row = 1;
    for (const engine::ConventionRow& c : engine::ConventionRows(evaluations.front().conventions, language_)) {
      Text(sheet, row, 0, c.name);
      Text(sheet, row, 1, c.default_setting);
      Text(sheet, row, 2, c.applied_setting);
      Text(sheet, row, 3, c.is_default ? (zh_ ? "是" : "yes") : (zh_ ? "否" : "no"));
      ++row;
    }
    row += 1;
    Text(sheet, row++, 0, zh_ ? "不同约定下的结果（并列对照）" : "Under the other setting of each convention", title_);
    Header(sheet, row++,
           WithDistrict({zh_ ? "指标" : "id", zh_ ? "学段" : "stage", zh_ ? "约定" : "convention",
                         zh_ ? "当前数值" : "value now", zh_ ? "当前结论" : "verdict now",
                         zh_ ? "该约定下数值" : "value under it", zh_ ? "该约定下结论" : "verdict under it"}));
    for (const DistrictEvaluation& e : evaluations) {
      for (const IndicatorResult& r : e.indicators) {
        for (const engine::AlternativeResult& a : r.alternatives) {
          int col = District(sheet, row, e);
          Text(sheet, row, col++, r.indicator_id);
          Text(sheet, row, col++, r.stage ? StageName(*r.stage) : "");
          Text(sheet, row, col++, engine::ConventionText(a.convention, a.setting, language_));
          Optional(sheet, row, col++, r.value, NumberFormat(r));
          Text(sheet, row, col++, Verdict(r.verdict));
          Optional(sheet, row, col++, a.value, NumberFormat(r));
          Text(sheet, row, col++, Verdict(a.verdict), a.verdict != r.verdict ? failing_ : nullptr);
          ++row;
        }
      }
    }
    worksheet_set_column(sheet, 0, 0, 40, nullptr);
    worksheet_set_column(sheet, 1, 2, 44, nullptr);
  }

  lxw_workbook* workbook_;
  Language language_;
  bool zh_;
  bool city_;
  Sheets sheets_;
  lxw_format* header_;
  lxw_format* title_;
  lxw_format* two_;
  lxw_format* three_;
  lxw_format* precise_;
  lxw_format* failing_;
};

}  // namespace

absl::StatusOr<std::string> RenderWorkbook(const std::vector<DistrictEvaluation>& evaluations, Language language) {
  if (evaluations.empty()) return absl::InvalidArgumentError("no evaluation to write");
  // libxlsxwriter 1.1.4 writes to a file only: a private temporary one.
  std::error_code error;
  const std::filesystem::path dir = std::filesystem::temp_directory_path(error);
  if (error) return absl::InternalError(absl::StrCat("no temporary directory: ", error.message()));
  std::string path_template = (dir / "gzedu-workbook-XXXXXX").string();
  const int fd = mkstemp(path_template.data());
  if (fd < 0) return absl::InternalError("cannot create a temporary file for the workbook");
  close(fd);
  const std::string path = path_template;
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  std::string tmpdir = dir.string();
  options.tmpdir = tmpdir.data();
  lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
  if (workbook == nullptr) {
    std::remove(path.c_str());
    return absl::InternalError("libxlsxwriter cannot start a workbook");
  }
  // A fixed creation time (also the zip entries' time): the same
  // evaluation gives the same bytes.
  lxw_doc_properties properties = {};
  std::string title = evaluations.size() == 1
                          ? absl::StrCat(evaluations[0].district_code, " ", evaluations[0].school_year)
                          : absl::StrCat("Guangzhou ", evaluations[0].school_year);
  properties.title = title.data();
  properties.created = 946684800;  // 2000-01-01T00:00:00Z
  workbook_set_properties(workbook, &properties);
  WorkbookWriter(workbook, language, evaluations.size() > 1).Write(evaluations);
  const lxw_error closed = workbook_close(workbook);
  if (closed != LXW_NO_ERROR) {
    std::remove(path.c_str());
    return absl::InternalError(absl::StrCat("libxlsxwriter: ", lxw_strerror(closed)));
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::remove(path.c_str());
  if (!in) return absl::InternalError("cannot read the written workbook back");
  return bytes.str();
}

}  // namespace gzedu::report
