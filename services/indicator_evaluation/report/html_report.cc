#include "services/indicator_evaluation/report/html_report.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::report {
namespace {

using engine::DistrictEvaluation;
using engine::IndicatorResult;
using engine::kResourceIndicatorCount;
using engine::Language;
using engine::StageResult;
using engine::Verdict;

// The page: A4 portrait, 15 mm margins (180 mm of line), printable as it
// is shown; fixed table layouts wrap long words instead of overflowing.
constexpr const char* kStyle = R"(
@page { size: A4 portrait; margin: 15mm; }
* { box-sizing: border-box; }
html { background: #fff; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
  font-size: 9pt; color: #111; margin: 0 auto; max-width: 180mm; line-height: 1.45; }
h1 { font-size: 15pt; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; border-bottom: 1px solid #999; page-break-after: avoid; }
h3 { font-size: 10pt; margin: 8pt 0 3pt; page-break-after: avoid; }
p { margin: 2pt 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 4pt 0 8pt; }
th, td { border: 1px solid #bbb; padding: 1.5pt 3pt; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #e8eef6; font-weight: 600; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr { page-break-inside: avoid; }
.meets { color: #1a7f37; }
.fails { color: #c00000; font-weight: 700; }
.pending { color: #9a6700; }
.verdict { font-size: 12pt; font-weight: 700; }
.small { font-size: 7.5pt; color: #444; }
figure { margin: 4pt 0 8pt; page-break-inside: avoid; }
figcaption { font-size: 8.5pt; font-weight: 600; margin-bottom: 2pt; }
svg { display: block; width: 100%; height: auto; }
.grid td { text-align: center; padding: 1pt 0; font-size: 7pt; }
.grid th { font-size: 6.5pt; text-align: center; padding: 1pt 0; overflow-wrap: anywhere; }
.c-meets { background: #cdebd3; } .c-fails { background: #f4b6b6; } .c-pending { background: #f6e2a8; }
.c-na { background: #eee; }
.district { page-break-before: always; }
.district:first-of-type { page-break-before: auto; }
)";

// Text made safe for HTML.
std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* VerdictClass(Verdict verdict) {
  switch (verdict) {
    case Verdict::kMeets:
      return "meets";
    case Verdict::kDoesNotMeet:
      return "fails";
    case Verdict::kPending:
      return "pending";
    default:
      return "na";
  }
}

const char* OverallClass(engine::OverallVerdict verdict) {
  switch (verdict) {
    case engine::OverallVerdict::kMeets:
      return "meets";
    case engine::OverallVerdict::kDoesNotMeet:
      return "fails";
    default:
      return "pending";
  }
}

// The words of the page.
struct Words {
  const char* title_city;
  const char* overall;
  const char* failing;
  const char* missing;
  const char* units;
  const char* conventions_default;
  const char* conventions;
  std::array<const char*, 4> areas;
  std::array<const char*, 9> resource_header;
  std::array<const char*, 6> other_header;
  const char* cv_chart;
  const char* values_chart;
  const char* section_rule;
  const char* vetoes;
  const char* none;
  const char* prerequisites;
  const char* alternatives;
  std::array<const char*, 5> alternatives_header;
  const char* remediation;
  std::array<const char*, 6> remediation_header;
  const char* remediation_none;
  const char* overview;
  const char* city_table;
  std::array<const char*, 4> city_header;
  const char* legend;
  const char* limit;
  const char* threshold;
  const char* failing_sections;
};

const Words kChinese = {
    "广州市 %d学年 县域义务教育优质均衡发展督导评估",
    "总体结论",
    "未达标项",
    "缺少的数据",
    "评估单元：小学学段单元 %d 个，初中学段单元 %d 个",
    "约定：全部采用国家标准的严格口径（默认）",
    "约定（非默认）",
    {"（一）资源配置 7 项指标", "（二）政府保障程度 15 项指标", "（三）教育质量 9 项指标", "（四）社会认可度"},
    {"指标", "学段", "名称", "数值 = 计算", "标准", "差异系数", "上限", "学段单元达标情况", "结论"},
    {"指标", "名称", "数值 = 计算", "标准", "结论", "说明"},
    "%s 各项指标校际差异系数与上限（%.2f）",
    "%s %s %s：各学段单元数值与标准（%.2f），未达标的学段单元以红色标出",
    "%s：7项全部达标 %d 个，6项达标且另1项不低于85%% %d 个，未达标 %d 个（共 %d 个）",
    "一票否决项",
    "无",
    "前提条件",
    "不同约定下的结果",
    {"指标", "学段", "约定", "该约定下", "当前"},
    "整改方案（一校一案）",
    {"学校", "学段", "在校生", "指标", "当前值 → 目标值", "增加"},
    "无：所有学段单元均符合每校要求。",
    "各区各项指标达标情况",
    "各区结论",
    {"区代码", "区", "结论", "未达标项"},
    "绿色：达标；红色：未达标；黄色：待定；灰色：不适用",
    "上限",
    "标准",
    "未达标学段单元",
};

const Words kEnglish = {
    "Guangzhou, school year %d: evaluation against the quality-balanced standard",
    "Overall",
    "Failing",
    "Missing inputs",
    "Units of evaluation: %d primary sections, %d junior sections",
    "Conventions: the strict national reading (all defaults)",
    "Conventions (not default)",
    {"1. Resource allocation (7 indicators)", "2. Government guarantee (15 indicators)",
     "3. Education quality (9 indicators)", "4. Social recognition"},
    {"id", "stage", "indicator", "value = computation", "threshold", "CV", "limit", "sections", "verdict"},
    {"id", "indicator", "value = computation", "threshold", "verdict", "notes"},
    "%s: each indicator's inter-school CV against its limit (%.2f)",
    "%s %s %s: section values against the threshold (%.2f); failing sections in red",
    "%s: %d sections meet all seven, %d meet six with the seventh at >= 85%%, %d fail (of %d)",
    "Vetoes",
    "none",
    "Prerequisites",
    "Under the other setting of each convention",
    {"id", "stage", "convention", "under it", "now"},
    "Remediation (one plan per school)",
    {"school", "stage", "students", "indicator", "current → target", "add"},
    "None: every section passes the per-section rule.",
    "Districts × indicators",
    "District verdicts",
    {"code", "district", "verdict", "failing"},
    "green: meets; red: does not meet; yellow: pending; grey: n/a",
    "limit",
    "threshold",
    "failing sections",
};

// printf-style formatting for the per-language format strings above.
std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Format(const char* format, ...) {
  va_list args;
  va_start(args, format);
  char buffer[1024];
  std::vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  return buffer;
}

std::string ValueAndComputation(const IndicatorResult& r, Language language) {
  std::string value = engine::FormatIndicatorValue(r, r.value);
  const std::string unit = engine::ValueUnit(r, language);
  if (r.value && !unit.empty() && unit != "%") absl::StrAppend(&value, language == Language::kChinese ? "" : " ", unit);
  const std::string computation = engine::Computation(r, language);
  return computation.empty() || !r.value ? value : absl::StrCat(value, " = ", computation);
}

std::string VerdictCell(const IndicatorResult& r, Language language) {
  return absl::StrCat("<td class=\"", VerdictClass(r.verdict), "\">", Escape(engine::HeadlineVerdict(r, language)),
                      "</td>");
}

int ResourceIndex(const std::string& id) {
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    if (engine::IndicatorDefinitions()[k].id == id) return k;
  }
  return -1;
}

const StageResult* FindStage(const DistrictEvaluation& e, Stage stage) {
  for (const StageResult& s : e.stages) {
    if (s.stage == stage) return &s;
  }
  return nullptr;
}

// Horizontal bars: each indicator's CV against the stage's limit (a dashed
// line); bars over the limit red.
std::string CvChart(const StageResult& s, Language language, const Words& w) {
  constexpr double kWidth = 680, kLeft = 46, kRight = 60, kRow = 18, kTop = 8;
  const double height = kTop + kRow * kResourceIndicatorCount + 20;
  double max = s.cv_max * 1.25;
  for (int k = 0; k < kResourceIndicatorCount; ++k) max = std::max(max, s.cv[k] * 1.1);
  const double plot = kWidth - kLeft - kRight;
  const auto x = [&](double v) { return kLeft + plot * v / max; };
  std::string svg = absl::StrFormat(
      "<svg viewBox=\"0 0 %.0f %.0f\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-size=\"10\">", kWidth,
      height);
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double y = kTop + kRow * k;
    const bool pending = !s.sections_missing_input[k].empty() || s.students == 0;
    const bool within = s.cv_defined[k] && s.cv_within[k];
    const char* colour = pending ? "#d9b650" : within ? "#4a9a5b" : "#c00000";
    absl::StrAppend(&svg,
                    absl::StrFormat("<text x=\"0\" y=\"%.1f\">%s</text>", y + 12,
                                    std::string(engine::IndicatorDefinitions()[k].id)),
                    absl::StrFormat("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" fill=\"%s\"/>", kLeft,
                                    y + 2, std::max(0.5, x(s.cv[k]) - kLeft), colour),
                    absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\">%s</text>", x(s.cv[k]) + 4, y + 12,
                                    pending ? Escape(engine::VerdictText(Verdict::kPending, language))
                                            : absl::StrFormat("%.3f", s.cv[k])));
  }
  const double limit_x = x(s.cv_max);
  absl::StrAppend(&svg,
                  absl::StrFormat("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" "
                                  "stroke-dasharray=\"4 3\"/>",
                                  limit_x, kTop, limit_x, kTop + kRow * kResourceIndicatorCount),
                  absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s %.2f</text>", limit_x,
                                  height - 4, Escape(w.limit), s.cv_max),
                  "</svg>");
  return svg;
}

// One bar per section (sorted by value) against the threshold (a dashed
// line); sections below it red.
std::string SectionChart(const StageResult& s, int k, double threshold, Language language, const Words& w) {
  struct Bar {
    double value;
    bool reaches;
  };
  std::vector<Bar> bars;
  for (const engine::SectionResult& section : s.section_results) {
    if (section.known[k]) bars.push_back({section.values[k], section.reaches[k]});
  }
  std::sort(bars.begin(), bars.end(), [](const Bar& a, const Bar& b) { return a.value < b.value; });
  constexpr double kWidth = 680, kHeight = 110, kLeft = 44, kBottom = 14, kTop = 6;
  double max = threshold * 1.2;
  for (const Bar& bar : bars) max = std::max(max, bar.value * 1.05);
  const double plot_h = kHeight - kTop - kBottom;
  const auto y = [&](double v) { return kTop + plot_h * (1 - v / max); };
  const double step = bars.empty() ? 0 : (kWidth - kLeft - 4) / static_cast<double>(bars.size());
  std::string svg = absl::StrFormat(
      "<svg viewBox=\"0 0 %.0f %.0f\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" font-size=\"9\">", kWidth,
      kHeight);
  absl::StrAppend(&svg, absl::StrFormat("<text x=\"0\" y=\"%.1f\">%.2f</text>", kTop + 8, max),
                  absl::StrFormat("<text x=\"0\" y=\"%.1f\">0</text>", kTop + plot_h));
  int failing = 0;
  for (size_t i = 0; i < bars.size(); ++i) {
    if (!bars[i].reaches) ++failing;
    absl::StrAppend(&svg, absl::StrFormat("<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>",
                                          kLeft + step * static_cast<double>(i) + step * 0.1, y(bars[i].value),
                                          std::max(0.5, step * 0.8), kTop + plot_h - y(bars[i].value),
                                          bars[i].reaches ? "#7aa6d6" : "#c00000"));
  }
  const double t = y(threshold);
  absl::StrAppend(&svg,
                  absl::StrFormat("<line x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#333\" "
                                  "stroke-dasharray=\"4 3\"/>",
                                  kLeft, t, kWidth - 4, t),
                  absl::StrFormat("<text x=\"%.1f\" y=\"%.2f\" text-anchor=\"end\">%s %.2f</text>", kWidth - 4, t - 3,
                                  Escape(w.threshold), threshold),
                  absl::StrFormat("<text x=\"%.1f\" y=\"%.1f\">%s %d / %zu</text>", kLeft, kHeight - 2,
                                  Escape(w.failing_sections), failing, bars.size()),
                  "</svg>");
  (void)language;
  return svg;
}

void AppendDistrict(std::string& out, const DistrictEvaluation& e, Language language, const Words& w) {
  const bool zh = language == Language::kChinese;
  const std::string name = engine::DistrictName(e.district_code, language);
  absl::StrAppend(&out, "<section class=\"district\">\n<h1>",
                  Escape(zh ? absl::StrFormat("%s（%s）%d学年 县域义务教育优质均衡发展督导评估", name, e.district_code,
                                              e.school_year)
                            : absl::StrFormat("%s (%s), school year %d: evaluation against the quality-balanced "
                                              "standard",
                                              name, e.district_code, e.school_year)),
                  "</h1>\n<p class=\"small\">", zh ? "依据：教督〔2017〕6号" : "Source: 教督〔2017〕6号", "</p>\n");
  absl::StrAppend(&out, "<p>", w.overall, zh ? "：" : ": ", "<span class=\"verdict ", OverallClass(e.verdict), "\">",
                  Escape(engine::OverallVerdictText(e.verdict, language)), "</span></p>\n");
  if (!e.failing_indicators.empty()) {
    absl::StrAppend(&out, "<p>", w.failing, zh ? "：" : ": ",
                    Escape(absl::StrJoin(zh ? e.failing_indicators_zh : e.failing_indicators, zh ? "、" : ", ")),
                    "</p>\n");
  }
  const std::vector<std::string>& missing = zh ? e.missing_inputs_zh : e.missing_inputs;
  if (!missing.empty()) {
    absl::StrAppend(&out, "<p>", w.missing, zh ? "：" : ": ", "</p><ul>");
    for (const std::string& item : missing) absl::StrAppend(&out, "<li>", Escape(item), "</li>");
    absl::StrAppend(&out, "</ul>\n");
  }
  absl::StrAppend(&out, "<p>", Escape(Format(w.units, e.primary_sections, e.junior_sections)), "</p>\n");
  const std::vector<std::string> changed = engine::ChangedConventions(e.conventions, language);
  absl::StrAppend(
      &out, "<p>",
      Escape(changed.empty() ? std::string(w.conventions_default)
                             : absl::StrCat(w.conventions, zh ? "：" : ": ", absl::StrJoin(changed, zh ? "；" : "; "))),
      "</p>\n");

  // 1. Resources: the table, the CV charts, the section charts.
  absl::StrAppend(&out, "<h2>", w.areas[0], "</h2>\n<table><colgroup>",
                  "<col style=\"width:5%\"><col style=\"width:5%\"><col style=\"width:19%\"><col style=\"width:23%\">"
                  "<col style=\"width:8%\"><col style=\"width:9%\"><col style=\"width:6%\"><col style=\"width:15%\">"
                  "<col style=\"width:10%\"></colgroup><tr>");
  for (const char* h : w.resource_header) absl::StrAppend(&out, "<th>", h, "</th>");
  absl::StrAppend(&out, "</tr>\n");
  for (const IndicatorResult& r : e.indicators) {
    if (!r.stage) continue;
    const StageResult* stage = FindStage(e, *r.stage);
    const int k = ResourceIndex(r.indicator_id);
    absl::StrAppend(&out, "<tr><td>", r.indicator_id, "</td><td>", Escape(engine::StageText(*r.stage, language)),
                    "</td><td>", Escape(engine::IndicatorName(r.indicator_id, language)), "</td><td>",
                    Escape(ValueAndComputation(r, language)), "</td><td class=\"n\">",
                    r.threshold ? absl::StrFormat("%.2f", *r.threshold) : "-", "</td><td class=\"n\">",
                    r.cv_actual ? absl::StrFormat("%.3f", *r.cv_actual) : "-", "</td><td class=\"n\">",
                    r.cv_max ? absl::StrFormat("%.2f", *r.cv_max) : "-", "</td><td>",
                    stage != nullptr && k >= 0 ? Escape(engine::SectionsReaching(*stage, k, language)) : "-", "</td>",
                    VerdictCell(r, language), "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n");
  for (const StageResult& s : e.stages) {
    absl::StrAppend(&out, "<p>",
                    Escape(Format(w.section_rule, engine::StageText(s.stage, language).c_str(), s.sections_meeting_all,
                                  s.sections_with_one_at_85, s.sections_failing, s.sections)),
                    "</p>\n");
  }
  for (const StageResult& s : e.stages) {
    if (s.sections == 0) continue;
    absl::StrAppend(&out, "<figure><figcaption>",
                    Escape(Format(w.cv_chart, engine::StageText(s.stage, language).c_str(), s.cv_max)), "</figcaption>",
                    CvChart(s, language, w), "</figure>\n");
  }
  for (const StageResult& s : e.stages) {
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      if (s.sections == 0) continue;
      const engine::IndicatorDefinition& d = engine::IndicatorDefinitions()[k];
      const double threshold = s.stage == Stage::kPrimary ? *d.threshold_primary : *d.threshold_junior;
      const std::string id(d.id);
      absl::StrAppend(&out, "<figure><figcaption>",
                      Escape(Format(w.values_chart, id.c_str(), engine::StageText(s.stage, language).c_str(),
                                    engine::IndicatorName(id, language).c_str(), threshold)),
                      "</figcaption>", SectionChart(s, k, threshold, language, w), "</figure>\n");
    }
  }

  // 2-4. The other areas.
  for (int area = 1; area <= 3; ++area) {
    absl::StrAppend(&out, "<h2>", w.areas[area], "</h2>\n<table><colgroup>",
                    "<col style=\"width:6%\"><col style=\"width:26%\"><col style=\"width:22%\">"
                    "<col style=\"width:9%\"><col style=\"width:10%\"><col style=\"width:27%\"></colgroup><tr>");
    for (const char* h : w.other_header) absl::StrAppend(&out, "<th>", h, "</th>");
    absl::StrAppend(&out, "</tr>\n");
    for (const IndicatorResult& r : e.indicators) {
      const engine::IndicatorDefinition* d = engine::FindIndicator(r.indicator_id);
      if (r.stage || d == nullptr || static_cast<int>(d->area) != area) continue;
      std::vector<std::string> notes;
      for (const std::string& note : zh ? r.notes_zh : r.notes) notes.push_back(Escape(note));
      for (const std::string& item : r.failing) notes.push_back(Escape(engine::FailingItem(item, language)));
      std::string threshold = "-";
      if (r.threshold) {
        threshold = engine::FormatIndicatorValue(r, r.threshold);
        const std::string unit = engine::ValueUnit(r, language);
        if (!unit.empty() && unit != "%") absl::StrAppend(&threshold, zh ? "" : " ", unit);
      }
      absl::StrAppend(&out, "<tr><td>", r.indicator_id, "</td><td>",
                      Escape(engine::IndicatorName(r.indicator_id, language)), "</td><td>",
                      Escape(ValueAndComputation(r, language)), "</td><td class=\"n\">", Escape(threshold), "</td>",
                      VerdictCell(r, language), "<td class=\"small\">", absl::StrJoin(notes, "<br>"), "</td></tr>\n");
    }
    absl::StrAppend(&out, "</table>\n");
  }

  absl::StrAppend(&out, "<h2>", w.vetoes, "</h2>\n<p>");
  if (e.vetoes.empty()) absl::StrAppend(&out, w.none);
  for (const engine::Veto& veto : e.vetoes) {
    absl::StrAppend(&out, Escape(veto.kind), zh ? "：" : ": ", Escape(veto.evidence), "<br>");
  }
  absl::StrAppend(&out, "</p>\n<p>", w.prerequisites, zh ? "：" : ": ",
                  Escape(engine::VerdictText(e.prerequisites, language)), "</p>\n");
  for (const std::string& note : zh ? e.prerequisite_notes_zh : e.prerequisite_notes) {
    absl::StrAppend(&out, "<p class=\"small\">", Escape(note), "</p>\n");
  }

  absl::StrAppend(&out, "<h2>", w.alternatives,
                  "</h2>\n<table><colgroup><col style=\"width:7%\">"
                  "<col style=\"width:8%\"><col style=\"width:45%\"><col style=\"width:20%\"><col style=\"width:20%\">"
                  "</colgroup><tr>");
  for (const char* h : w.alternatives_header) absl::StrAppend(&out, "<th>", h, "</th>");
  absl::StrAppend(&out, "</tr>\n");
  for (const IndicatorResult& r : e.indicators) {
    for (const engine::AlternativeResult& a : r.alternatives) {
      if (r.stage && a.verdict == r.verdict) continue;
      absl::StrAppend(&out, "<tr><td>", r.indicator_id, "</td><td>",
                      r.stage ? Escape(engine::StageText(*r.stage, language)) : "", "</td><td>",
                      Escape(engine::ConventionText(a.convention, a.setting, language)), "</td><td class=\"",
                      VerdictClass(a.verdict), "\">", Escape(engine::FormatIndicatorValue(r, a.value)), " ",
                      Escape(engine::VerdictText(a.verdict, language)), "</td><td class=\"", VerdictClass(r.verdict),
                      "\">", Escape(engine::FormatIndicatorValue(r, r.value)), " ",
                      Escape(engine::VerdictText(r.verdict, language)), "</td></tr>\n");
    }
  }
  absl::StrAppend(&out, "</table>\n");

  absl::StrAppend(&out, "<h2>", w.remediation, "</h2>\n");
  if (e.plans.empty()) {
    absl::StrAppend(&out, "<p>", w.remediation_none, "</p>\n");
  } else {
    absl::StrAppend(&out,
                    "<table><colgroup><col style=\"width:30%\"><col style=\"width:8%\">"
                    "<col style=\"width:9%\"><col style=\"width:8%\"><col style=\"width:20%\">"
                    "<col style=\"width:25%\"></colgroup><tr>");
    for (const char* h : w.remediation_header) absl::StrAppend(&out, "<th>", h, "</th>");
    absl::StrAppend(&out, "</tr>\n");
    for (const engine::RemediationPlan& plan : e.plans) {
      for (const engine::RemediationStep& step : plan.steps) {
        absl::StrAppend(&out, "<tr><td>", Escape(plan.school_code), " ", Escape(plan.school_name), "</td><td>",
                        Escape(engine::StageText(plan.stage, language)), "</td><td class=\"n\">", plan.students,
                        "</td><td>", step.indicator_id, "</td><td class=\"n\">",
                        absl::StrFormat("%.2f → %.2f", step.current_value, step.target_value), "</td><td>",
                        absl::StrFormat("%.2f ", step.addition), Escape(engine::RemediationUnit(step, language)),
                        "</td></tr>\n");
      }
    }
    absl::StrAppend(&out, "</table>\n");
  }
  absl::StrAppend(&out, "</section>\n");
}

// The city: districts × indicators, each cell coloured by its verdict.
void AppendCityGrid(std::string& out, const std::vector<DistrictEvaluation>& evaluations, Language language,
                    const Words& w) {
  const bool zh = language == Language::kChinese;
  absl::StrAppend(&out, "<section class=\"district\">\n<h1>",
                  Escape(Format(w.title_city, evaluations.front().school_year)), "</h1>\n<h2>", w.overview,
                  "</h2>\n<p class=\"small\">", w.legend, "</p>\n<table class=\"grid\"><tr><th style=\"width:8%\">",
                  zh ? "区" : "district", "</th>");
  for (const IndicatorResult& r : evaluations.front().indicators) {
    absl::StrAppend(
        &out, "<th>", r.indicator_id,
        r.stage ? (*r.stage == Stage::kPrimary ? (zh ? "<br>小" : "<br>p") : (zh ? "<br>初" : "<br>j")) : "", "</th>");
  }
  // The per-section rule of each stage, which is no indicator but decides.
  absl::StrAppend(&out, zh ? "<th>每校<br>小</th><th>每校<br>初</th>" : "<th>rule<br>p</th><th>rule<br>j</th>",
                  "</tr>\n");
  for (const DistrictEvaluation& e : evaluations) {
    absl::StrAppend(&out, "<tr><th>", Escape(engine::DistrictName(e.district_code, language)), "</th>");
    for (const IndicatorResult& r : e.indicators) {
      const char* mark = r.verdict == Verdict::kMeets         ? "✓"
                         : r.verdict == Verdict::kDoesNotMeet ? "✗"
                         : r.verdict == Verdict::kPending     ? "?"
                                                              : "–";
      absl::StrAppend(&out, "<td class=\"c-", VerdictClass(r.verdict), "\" title=\"",
                      Escape(absl::StrCat(r.indicator_id, " ", engine::FormatIndicatorValue(r, r.value))), "\">", mark,
                      "</td>");
    }
    for (const StageResult& s : e.stages) {
      const Verdict rule = s.sections_failing > 0      ? Verdict::kDoesNotMeet
                           : s.sections_incomplete > 0 ? Verdict::kPending
                                                       : Verdict::kMeets;
      absl::StrAppend(&out, "<td class=\"c-", VerdictClass(rule), "\" title=\"", s.sections_failing, "\">",
                      rule == Verdict::kMeets         ? "✓"
                      : rule == Verdict::kDoesNotMeet ? "✗"
                                                      : "?",
                      "</td>");
    }
    absl::StrAppend(&out, "</tr>\n");
  }
  absl::StrAppend(&out, "</table>\n<h2>", w.city_table,
                  "</h2>\n<table><colgroup><col style=\"width:10%\">"
                  "<col style=\"width:10%\"><col style=\"width:18%\"><col style=\"width:62%\"></colgroup><tr>");
  for (const char* h : w.city_header) absl::StrAppend(&out, "<th>", h, "</th>");
  absl::StrAppend(&out, "</tr>\n");
  for (const DistrictEvaluation& e : evaluations) {
    absl::StrAppend(&out, "<tr><td>", e.district_code, "</td><td>",
                    Escape(engine::DistrictName(e.district_code, language)), "</td><td class=\"",
                    OverallClass(e.verdict), "\">", Escape(engine::OverallVerdictText(e.verdict, language)),
                    "</td><td>",
                    Escape(e.failing_indicators.empty()
                               ? std::string("-")
                               : absl::StrJoin(zh ? e.failing_indicators_zh : e.failing_indicators, zh ? "、" : ", ")),
                    "</td></tr>\n");
  }
  absl::StrAppend(&out, "</table>\n</section>\n");
}

}  // namespace

std::string RenderHtmlReport(const std::vector<DistrictEvaluation>& evaluations, Language language) {
  const Words& w = language == Language::kChinese ? kChinese : kEnglish;
  std::string title;
  if (evaluations.size() == 1) {
    title = absl::StrCat(engine::DistrictName(evaluations[0].district_code, language), " ", evaluations[0].school_year);
  } else if (!evaluations.empty()) {
    title = Format(w.title_city, evaluations[0].school_year);
  }
  std::string out =
      absl::StrCat("<!DOCTYPE html>\n<html lang=\"", language == Language::kChinese ? "zh-CN" : "en",
                   "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width\">\n"
                   "<title>",
                   Escape(title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n");
  if (evaluations.size() > 1) AppendCityGrid(out, evaluations, language, w);
  for (const DistrictEvaluation& e : evaluations) AppendDistrict(out, e, language, w);
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

}  // namespace gzedu::report
