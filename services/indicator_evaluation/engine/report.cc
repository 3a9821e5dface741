#include "services/indicator_evaluation/engine/report.h"

#include <cstdarg>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/engine/text_layout.h"

namespace gzedu::engine {
namespace {

// The words of a report in one language.
struct Words {
  const char* title;
  const char* overall;
  const char* failing;
  const char* missing;
  const char* units;
  const char* conventions_default;
  const char* conventions;
  std::array<const char*, 4> areas;
  std::array<const char*, 9> resource_header;
  const char* section_rule;
  const char* composite_cv;
  const char* invalid_sections;
  const char* excluded_sections;
  const char* sections_missing_input;
  std::array<const char*, 3> other_header;
  const char* vetoes;
  const char* none;
  const char* prerequisites;
  const char* alternatives;
  const char* now;
  const char* remediation;
  const char* remediation_none;
  const char* add;
  const char* kept_at_85;
  const char* or_reduce;
  const char* cv_drivers;
  std::array<const char*, 5> city_header;
  std::array<const char*, 4> verdicts;          // meets, does not meet, pending, n/a
  std::array<const char*, 3> overall_verdicts;  // meets, does not meet, incomplete
  std::array<const char*, 2> stages;
  const char* list_separator;
  const char* colon;
};

const Words kChinese = {
    "%s（%s）%d学年 县域义务教育优质均衡发展督导评估（教督〔2017〕6号）",
    "总体结论",
    "未达标项",
    "缺少的数据",
    "评估单元：小学学段单元 %d 个，初中学段单元 %d 个",
    "约定：全部采用国家标准的严格口径（默认）",
    "约定（非默认）",
    {"（一）资源配置 7 项指标", "（二）政府保障程度 15 项指标", "（三）教育质量 9 项指标", "（四）社会认可度"},
    {"指标", "学段", "名称", "数值 = 计算", "标准", "差异系数", "上限", "学段单元达标情况", "结论"},
    "  %s：7项全部达标 %d 个，6项达标且另1项不低于85%% %d 个，未达标 %d 个（共 %d 个）",
    "  综合差异系数：小学 %.3f，初中 %.3f（仅供比较，不作判定）",
    "  无在校生、无法计算的学段单元：",
    "  缺少数据的学段单元：",
    "  数据不完整、无法判定每校要求的学段单元 %d 个",
    {"数值", "标准", "结论"},
    "一票否决项",
    "无",
    "前提条件",
    "不同约定下的结果",
    "当前",
    "整改方案（一校一案）",
    "  无：所有学段单元均符合每校要求。",
    "增加",
    "可仅达到标准的85%",
    "或者在校生减少（人）",
    "差异系数超限的主要来源学段单元（占加权方差的比例）",
    {"区代码", "区", "结论", "最接近上限的差异系数", "未达标项"},
    {"达标", "未达标", "待定", "不适用"},
    {"达到优质均衡标准", "未达到标准", "数据不完整"},
    {"小学", "初中"},
    "、",
    "：",
};

const Words kEnglish = {
    "%s (%s), school year %d: evaluation against the quality-balanced standard (教督〔2017〕6号)",
    "Overall",
    "Failing",
    "Missing inputs",
    "Units of evaluation: %d primary sections, %d junior sections",
    "Conventions: the strict national reading (all defaults)",
    "Conventions (not default)",
    {"1. Resource allocation (7 indicators)", "2. Government guarantee (15 indicators)",
     "3. Education quality (9 indicators)", "4. Social recognition"},
    {"id", "stage", "indicator", "value = computation", "threshold", "CV", "limit", "sections", "verdict"},
    "  %s: %d sections meet all seven, %d meet six with the seventh at >= 85%%, %d fail (of %d)",
    "  Composite CV: primary %.3f, junior %.3f (for comparison only; decides nothing)",
    "  Sections without students (no values): ",
    "  Teaching points below the size floor, not counted: ",
    "  %d sections with incomplete inputs: the per-section rule is undecided for them",
    {"value", "threshold", "verdict"},
    "Vetoes",
    "none",
    "Prerequisites",
    "Under the other setting of each convention",
    "now",
    "Remediation (one plan per school)",
    "  None: every section passes the per-section rule.",
    "add",
    "kept at >= 85% of its threshold",
    "or reduce enrolment by",
    "Sections driving a failing CV (share of the weighted variance)",
    {"code", "district", "verdict", "CV nearest its limit", "failing"},
    {"meets", "does not meet", "pending", "n/a"},
    {"MEETS THE STANDARD", "DOES NOT MEET", "INCOMPLETE"},
    {"primary", "junior"},
    ", ",
    ": ",
};

const Words& For(Language language) { return language == Language::kChinese ? kChinese : kEnglish; }

// printf-style formatting for the per-language format strings above (absl's
// StrFormat needs formats known at compile time).
std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* format, ...) {
  va_list args;
  va_start(args, format);
  char buffer[1024];
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  return buffer;
}

int StageIndex(Stage stage) { return stage == Stage::kPrimary ? 0 : 1; }

std::string VerdictWord(Verdict verdict, const Words& w) { return w.verdicts[static_cast<int>(verdict)]; }

// "5.67 人" (the value and its unit), or "-".
std::string ValueWithUnit(const IndicatorResult& r, const std::optional<double>& value, Language language) {
  const std::string text = FormatIndicatorValue(r, value);
  const std::string unit = ValueUnit(r, language);
  if (!value || unit.empty() || unit == "%") return text;
  return absl::StrCat(text, language == Language::kChinese ? "" : " ", unit);
}

// "5.67人 = 1476 ÷ 26040 × 100".
std::string ValueAndComputation(const IndicatorResult& r, Language language) {
  const std::string computation = Computation(r, language);
  const std::string value = ValueWithUnit(r, r.value, language);
  return computation.empty() || !r.value ? value : absl::StrCat(value, " = ", computation);
}

// One indicator of areas 2-4: its name, then value, threshold and verdict
// as a table row, its notes and every failing item.
void AppendIndicator(std::string& out, const IndicatorResult& r, Language language, const Words& w) {
  absl::StrAppend(&out, "  ", PadToWidth(r.indicator_id, 5), IndicatorName(r.indicator_id, language), "\n");
  TextTable table(7, 2);
  table.AddRow({absl::StrCat(w.other_header[0], w.colon, ValueAndComputation(r, language)),
                absl::StrCat(w.other_header[1], w.colon,
                             r.threshold ? ValueWithUnit(r, r.threshold, language) : std::string("-")),
                absl::StrCat(w.other_header[2], w.colon, HeadlineVerdict(r, language))});
  absl::StrAppend(&out, table.Render());
  const std::vector<std::string>& notes = language == Language::kChinese ? r.notes_zh : r.notes;
  for (const std::string& note : notes) absl::StrAppend(&out, "       ", note, "\n");
  // Every failing item: a reviewer checks them one by one.
  for (const std::string& item : r.failing) absl::StrAppend(&out, "       - ", FailingItem(item, language), "\n");
}

// The stage result of `stage`, or nullptr.
const StageResult* FindStage(const DistrictEvaluation& e, Stage stage) {
  for (const StageResult& s : e.stages) {
    if (s.stage == stage) return &s;
  }
  return nullptr;
}

int ResourceIndex(const std::string& id) {
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    if (IndicatorDefinitions()[k].id == id) return k;
  }
  return -1;
}

}  // namespace

std::string RenderReport(const DistrictEvaluation& e, Language language) {
  const Words& w = For(language);
  const bool zh = language == Language::kChinese;
  std::string out;
  absl::StrAppend(
      &out, Format(w.title, DistrictName(e.district_code, language).c_str(), e.district_code.c_str(), e.school_year),
      "\n\n");
  absl::StrAppend(&out, w.overall, w.colon, w.overall_verdicts[static_cast<int>(e.verdict)], "\n");
  if (!e.failing_indicators.empty()) {
    absl::StrAppend(&out, w.failing, w.colon,
                    absl::StrJoin(zh ? e.failing_indicators_zh : e.failing_indicators, w.list_separator), "\n");
  }
  const std::vector<std::string>& missing = zh ? e.missing_inputs_zh : e.missing_inputs;
  if (!missing.empty()) {
    absl::StrAppend(&out, w.missing, w.colon, "\n");
    for (const std::string& item : missing) absl::StrAppend(&out, "  - ", item, "\n");
  }
  absl::StrAppend(&out, Format(w.units, e.primary_sections, e.junior_sections), "\n");
  const std::vector<std::string> changed = ChangedConventions(e.conventions, language);
  absl::StrAppend(&out,
                  changed.empty() ? std::string(w.conventions_default)
                                  : absl::StrCat(w.conventions, w.colon, absl::StrJoin(changed, zh ? "；" : "; ")),
                  "\n\n");

  // 1. Resource allocation: every indicator with its unit and computation,
  // then the per-section rule.
  absl::StrAppend(&out, w.areas[0], "\n");
  TextTable resources(2, 2);
  for (size_t column : {4, 5, 6}) resources.SetAlign(column, TextTable::Align::kRight);
  resources.AddRow({w.resource_header.begin(), w.resource_header.end()});
  for (const IndicatorResult& r : e.indicators) {
    if (!r.stage) continue;
    const StageResult* stage = FindStage(e, *r.stage);
    const int k = ResourceIndex(r.indicator_id);
    resources.AddRow({r.indicator_id, w.stages[StageIndex(*r.stage)], IndicatorName(r.indicator_id, language),
                      ValueAndComputation(r, language),
                      r.threshold ? absl::StrFormat("%.2f", *r.threshold) : std::string("-"),
                      r.cv_actual ? absl::StrFormat("%.3f", *r.cv_actual) : std::string("-"),
                      r.cv_max ? absl::StrFormat("%.2f", *r.cv_max) : std::string("-"),
                      stage != nullptr && k >= 0 ? SectionsReaching(*stage, k, language) : std::string("-"),
                      HeadlineVerdict(r, language)});
  }
  absl::StrAppend(&out, resources.Render());
  for (const IndicatorResult& r : e.indicators) {
    if (!r.stage || r.failing.empty()) continue;
    absl::StrAppend(&out, "  ", r.indicator_id, " ", w.stages[StageIndex(*r.stage)], " ",
                    zh ? "未达到标准的学段单元" : "sections below the threshold", w.colon, "\n");
    for (const std::string& item : r.failing) absl::StrAppend(&out, "    - ", FailingItem(item, language), "\n");
  }
  for (const StageResult& s : e.stages) {
    absl::StrAppend(&out,
                    Format(w.section_rule, w.stages[StageIndex(s.stage)], s.sections_meeting_all,
                           s.sections_with_one_at_85, s.sections_failing, s.sections),
                    "\n");
    if (s.sections_incomplete > 0) absl::StrAppend(&out, Format(w.sections_missing_input, s.sections_incomplete), "\n");
    if (!s.invalid_sections.empty()) {
      absl::StrAppend(&out, w.invalid_sections, absl::StrJoin(s.invalid_sections, zh ? "；" : "; "), "\n");
    }
    if (!s.excluded_sections.empty()) {
      absl::StrAppend(&out, w.excluded_sections, absl::StrJoin(s.excluded_sections, zh ? "；" : "; "), "\n");
    }
  }
  if (e.stages.size() >= 2) {
    absl::StrAppend(&out, Format(w.composite_cv, e.stages[0].composite_cv, e.stages[1].composite_cv), "\n");
  }
  absl::StrAppend(&out, "\n");

  // 2-4. The other areas, in the order of the definitions.
  for (int area = 1; area <= 3; ++area) {
    absl::StrAppend(&out, w.areas[area], "\n");
    for (const IndicatorResult& r : e.indicators) {
      if (r.stage || static_cast<int>(FindIndicator(r.indicator_id)->area) != area) continue;
      AppendIndicator(out, r, language, w);
    }
    absl::StrAppend(&out, "\n");
  }

  absl::StrAppend(&out, w.vetoes, w.colon);
  if (e.vetoes.empty()) absl::StrAppend(&out, w.none);
  for (const Veto& veto : e.vetoes) absl::StrAppend(&out, "\n  - ", veto.kind, w.colon, veto.evidence);
  absl::StrAppend(&out, "\n", w.prerequisites, w.colon, VerdictWord(e.prerequisites, w), "\n");
  for (const std::string& note : zh ? e.prerequisite_notes_zh : e.prerequisite_notes) {
    absl::StrAppend(&out, "  ", note, "\n");
  }

  absl::StrAppend(&out, "\n", w.alternatives, w.colon, "\n");
  TextTable alternatives(2, 2);
  for (const IndicatorResult& r : e.indicators) {
    for (const AlternativeResult& a : r.alternatives) {
      // The resource alternatives are listed only where they change a verdict.
      if (r.stage && a.verdict == r.verdict) continue;
      alternatives.AddRow(
          {r.indicator_id, r.stage ? w.stages[StageIndex(*r.stage)] : "",
           ConventionText(a.convention, a.setting, language),
           absl::StrCat(FormatIndicatorValue(r, a.value), " ", VerdictWord(a.verdict, w)),
           absl::StrCat("(", w.now, w.colon, FormatIndicatorValue(r, r.value), " ", VerdictWord(r.verdict, w), ")")});
    }
  }
  absl::StrAppend(&out, alternatives.Render());

  // The district steps first: one per failing indicator, in its own unit.
  if (!e.district_plan.empty()) {
    absl::StrAppend(&out, "\n",
                    zh ? "全区整改（每项未达标指标）：" : "District remediation (per failing indicator):", "\n");
    for (const DistrictRemediationStep& step : e.district_plan) {
      // A veto's step has no indicator: under Chinese it is named as such.
      const std::string id = zh && step.kind == "veto" ? "一票否决" : step.indicator_id;
      absl::StrAppend(&out, "  ", id, step.stage ? absl::StrCat(" ", w.stages[StageIndex(*step.stage)]) : "", w.colon,
                      zh ? step.summary_zh : step.summary, "\n");
      if (!step.computable) {
        absl::StrAppend(&out, "    ",
                        zh ? "无法计算整改数量：须由本区整改并出具认定"
                           : "no plan can be computed: the district must act and attest",
                        "\n");
      }
      for (const RemediationTarget& target : step.targets) {
        std::string amount;
        if (target.amount) {
          amount = step.kind == "cv" ? absl::StrFormat("%.1f%%", 100 * *target.amount)
                                     : absl::StrCat(*target.amount == static_cast<int64_t>(*target.amount)
                                                        ? absl::StrFormat("%.0f", *target.amount)
                                                        : absl::StrFormat("%.2f", *target.amount),
                                                    " ", zh ? step.unit_zh : step.unit);
        }
        absl::StrAppend(&out, "    ", target.label,
                        target.stage ? absl::StrCat(" ", w.stages[StageIndex(*target.stage)]) : "", w.colon, amount,
                        amount.empty() ? "" : " ", zh ? "（" : "(", zh ? target.note_zh : target.note,
                        zh ? "）\n" : ")\n");
      }
    }
  }

  absl::StrAppend(&out, "\n", w.remediation, w.colon, "\n");
  if (e.plans.empty()) absl::StrAppend(&out, w.remediation_none, "\n");
  for (const RemediationPlan& plan : e.plans) {
    absl::StrAppend(&out, absl::StrFormat("  %s %s %s (%d):\n", plan.school_code, plan.school_name,
                                          w.stages[StageIndex(plan.stage)], plan.students));
    for (const RemediationStep& step : plan.steps) {
      // The resources' own units, in the report's language.
      static const std::map<std::string, std::string> kUnitsZh = {
          {"R1", "名高于规定学历教师"},   {"R2", "名县级以上骨干教师"}, {"R3", "名体育、艺术专任教师"},
          {"R4", "平方米教学及辅助用房"}, {"R5", "平方米体育运动场馆"}, {"R6", "元教学仪器设备"},
          {"R7", "间网络多媒体教室"}};
      const std::string unit = language == Language::kChinese ? kUnitsZh.at(step.indicator_id) : step.unit;
      absl::StrAppend(&out, absl::StrFormat("    %s %s %s (%s %.2f -> %.2f)\n", w.add,
                                            step.addition == static_cast<int64_t>(step.addition)
                                                ? absl::StrFormat("%.0f", step.addition)
                                                : absl::StrFormat("%.2f", step.addition),
                                            unit, step.indicator_id, step.current_value, step.target_value));
    }
    absl::StrAppend(&out, "    ", plan.relaxed_indicator_id, ": ", w.kept_at_85, "\n");
    if (plan.enrolment_reduction) {
      absl::StrAppend(&out, "    ", w.or_reduce, " ", *plan.enrolment_reduction, "\n");
    }
  }
  if (!e.cv_drivers.empty()) {
    absl::StrAppend(&out, "\n", w.cv_drivers, ":\n");
    for (const CvDriver& driver : e.cv_drivers) {
      std::vector<std::string> top;
      for (const auto& [section, share] : driver.top_sections) {
        top.push_back(absl::StrFormat("%s %.1f%%", section, 100 * share));
      }
      absl::StrAppend(&out, "  ", driver.indicator_id, " ", w.stages[StageIndex(driver.stage)], ": ",
                      absl::StrJoin(top, "; "), "\n");
    }
  }
  return out;
}

std::string RenderCitySummary(const std::vector<DistrictEvaluation>& evaluations, Language language) {
  const Words& w = For(language);
  // The failing list comes last so it is never cut: a row is as long as it
  // needs to be, and the columns before it align by display width.
  TextTable table(0, 2);
  table.AddRow({w.city_header.begin(), w.city_header.end()});
  for (const DistrictEvaluation& e : evaluations) {
    std::string worst = "-";
    double worst_ratio = -1;
    for (const StageResult& s : e.stages) {
      for (int k = 0; k < kResourceIndicatorCount; ++k) {
        if (s.sections == 0 || s.cv[k] / s.cv_max <= worst_ratio) continue;
        worst_ratio = s.cv[k] / s.cv_max;
        worst = absl::StrFormat("%s %s %.3f / %.2f", IndicatorDefinitions()[k].id, w.stages[StageIndex(s.stage)],
                                s.cv[k], s.cv_max);
      }
    }
    const std::vector<std::string>& failing_list = language == Language::kChinese && !e.failing_indicators_zh.empty()
                                                       ? e.failing_indicators_zh
                                                       : e.failing_indicators;
    table.AddRow({e.district_code, DistrictName(e.district_code, language),
                  w.overall_verdicts[static_cast<int>(e.verdict)], worst,
                  failing_list.empty() ? "-" : absl::StrJoin(failing_list, w.list_separator)});
  }
  return table.Render();
}

}  // namespace gzedu::engine
