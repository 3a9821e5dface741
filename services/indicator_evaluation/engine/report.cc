#include "services/indicator_evaluation/engine/report.h"

#include <cstdarg>
#include <cstdio>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/domain/districts.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

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
  const char* resource_header;
  const char* section_rule;
  const char* composite_cv;
  const char* invalid_sections;
  const char* excluded_sections;
  const char* vetoes;
  const char* none;
  const char* prerequisites;
  const char* alternatives;
  const char* remediation;
  const char* remediation_none;
  const char* add;
  const char* kept_at_85;
  const char* or_reduce;
  const char* cv_drivers;
  const char* city_header;
  std::array<const char*, 4> verdicts;          // meets, does not meet, pending, n/a
  std::array<const char*, 3> overall_verdicts;  // meets, does not meet, incomplete
  std::array<const char*, 2> stages;
};

const Words kChinese = {
    "%s（%s）%d学年 县域义务教育优质均衡发展督导评估（教督〔2017〕6号）",
    "总体结论",
    "未达标项",
    "缺少的数据",
    "评估单元：小学学段单元 %d 个，初中学段单元 %d 个",
    "约定：全部采用国家标准的严格口径（默认）",
    "约定（非默认）",
    {"一、资源配置", "二、政府保障程度", "三、教育质量", "四、社会认可度"},
    "  指标 学段  数值        标准      差异系数  上限   结论",
    "  %s：7项全部达标 %d 个，6项达标且另1项不低于85%% %d 个，未达标 %d 个（共 %d 个）",
    "  综合差异系数：小学 %.3f，初中 %.3f（仅供比较，不作判定）",
    "  无在校生、无法计算的学段单元：",
    "  因规模低于下限而不计的教学点：",
    "一票否决项",
    "无",
    "前提条件",
    "不同约定下的结果",
    "整改方案（一校一案）",
    "  无：所有学段单元均符合每校要求。",
    "增加",
    "可仅达到标准的85%",
    "或者在校生减少（人）",
    "差异系数超限的主要来源学段单元（占加权方差的比例）",
    "区代码  区        结论        未达标项                                    最接近上限的差异系数",
    {"达标", "未达标", "待定", "不适用"},
    {"达到优质均衡标准", "未达到标准", "数据不完整"},
    {"小学", "初中"},
};

const Words kEnglish = {
    "%s (%s), school year %d: evaluation against the quality-balanced standard (教督〔2017〕6号)",
    "Overall",
    "Failing",
    "Missing inputs",
    "Units of evaluation: %d primary sections, %d junior sections",
    "Conventions: the strict national reading (all defaults)",
    "Conventions (not default)",
    {"1. Resource allocation", "2. Government guarantee", "3. Education quality", "4. Social recognition"},
    "  id   stage   value       threshold CV        limit  verdict",
    "  %s: %d sections meet all seven, %d meet six with the seventh at >= 85%%, %d fail (of %d)",
    "  Composite CV: primary %.3f, junior %.3f (for comparison only; decides nothing)",
    "  Sections without students (no values): ",
    "  Teaching points below the size floor, not counted: ",
    "Vetoes",
    "none",
    "Prerequisites",
    "Under the other setting of each convention",
    "Remediation (one plan per school)",
    "  None: every section passes the per-section rule.",
    "add",
    "kept at >= 85% of its threshold",
    "or reduce enrolment by",
    "Sections driving a failing CV (share of the weighted variance)",
    "code    district  verdict     failing                                     CV nearest its limit",
    {"meets", "does not meet", "pending", "n/a"},
    {"MEETS THE STANDARD", "DOES NOT MEET", "INCOMPLETE"},
    {"primary", "junior"},
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

std::string DistrictName(const std::string& code, Language language) {
  const District* district = FindDistrict(code);
  if (district == nullptr) return code;
  return std::string(language == Language::kChinese ? district->name_zh : district->name_en);
}

// Values as indicators.md section 8 displays them.
std::string FormatValue(const IndicatorResult& r, const std::optional<double>& value) {
  if (!value) return "-";
  const std::string& unit = r.unit;
  if (unit.find("percent") != std::string::npos) return absl::StrFormat("%.2f%%", *value);
  if (unit == "difference rate") return absl::StrFormat("%.3f", *value);
  if (unit.find("schools") != std::string::npos || unit.find("classes") != std::string::npos) {
    return absl::StrFormat("%.0f", *value);
  }
  return absl::StrFormat("%.2f", *value);
}

std::string VerdictWord(Verdict verdict, const Words& w) { return w.verdicts[static_cast<int>(verdict)]; }

std::string Name(const IndicatorResult& r, Language language) {
  const IndicatorDefinition* d = FindIndicator(r.indicator_id);
  return std::string(language == Language::kChinese ? d->name_zh : d->name_en);
}

void AppendIndicator(std::string& out, const IndicatorResult& r, Language language, const Words& w) {
  absl::StrAppend(&out, absl::StrFormat("  %-4s %s\n", r.indicator_id, Name(r, language)));
  absl::StrAppend(
      &out, absl::StrFormat("       %-12s %-11s %s\n", FormatValue(r, r.value),
                            r.threshold ? FormatValue(r, r.threshold) : std::string("-"), VerdictWord(r.verdict, w)));
  const std::vector<std::string>& notes = language == Language::kChinese ? r.notes_zh : r.notes;
  for (const std::string& note : notes) absl::StrAppend(&out, "       ", note, "\n");
  constexpr size_t kListed = 10;
  for (size_t i = 0; i < r.failing.size() && i < kListed; ++i) absl::StrAppend(&out, "       - ", r.failing[i], "\n");
  if (r.failing.size() > kListed) absl::StrAppend(&out, "       - ... (", r.failing.size() - kListed, " more)\n");
}

}  // namespace

std::string RenderReport(const DistrictEvaluation& e, Language language) {
  const Words& w = For(language);
  std::string out;
  absl::StrAppend(
      &out, Format(w.title, DistrictName(e.district_code, language).c_str(), e.district_code.c_str(), e.school_year),
      "\n\n");
  absl::StrAppend(&out, w.overall, ": ", w.overall_verdicts[static_cast<int>(e.verdict)], "\n");
  if (!e.failing_indicators.empty()) {
    absl::StrAppend(&out, w.failing, ": ",
                    absl::StrJoin(language == Language::kChinese ? e.failing_indicators_zh : e.failing_indicators,
                                  language == Language::kChinese ? "、" : ", "),
                    "\n");
  }
  const std::vector<std::string>& missing = language == Language::kChinese ? e.missing_inputs_zh : e.missing_inputs;
  if (!missing.empty()) {
    absl::StrAppend(&out, w.missing, ":\n");
    for (const std::string& item : missing) absl::StrAppend(&out, "  - ", item, "\n");
  }
  absl::StrAppend(&out, Format(w.units, e.primary_sections, e.junior_sections), "\n");
  const Conventions defaults;
  const Conventions& c = e.conventions;
  std::vector<std::string> changed;
  if (c.quota_excludes_hk_macao_classes) changed.push_back("quota_excludes_hk_macao_classes=on");
  if (c.disabled_enrolment_excludes_deferred) changed.push_back("disabled_enrolment_excludes_deferred=on");
  if (c.retention_formula != defaults.retention_formula) changed.push_back("retention_formula=annual_loss");
  if (c.room_size_rule_applies_from_build_year != 0) {
    changed.push_back(
        absl::StrCat("room_size_rule_applies_from_build_year=", c.room_size_rule_applies_from_build_year));
  }
  if (c.teaching_point_min_students != 0) {
    changed.push_back(absl::StrCat("teaching_point_min_students=", c.teaching_point_min_students));
  }
  if (c.shared_resource_apportionment != defaults.shared_resource_apportionment) {
    changed.push_back("shared_resource_apportionment=legacy_weights");
  }
  if (c.rotation_min_years_at_school != defaults.rotation_min_years_at_school) {
    changed.push_back(absl::StrCat("rotation_min_years_at_school=", c.rotation_min_years_at_school));
  }
  absl::StrAppend(&out,
                  changed.empty() ? std::string(w.conventions_default)
                                  : absl::StrCat(w.conventions, ": ", absl::StrJoin(changed, ", ")),
                  "\n\n");

  // 1. Resource allocation: the table, then the per-section rule.
  absl::StrAppend(&out, w.areas[0], "\n", w.resource_header, "\n");
  for (const IndicatorResult& r : e.indicators) {
    if (!r.stage) continue;
    absl::StrAppend(
        &out, absl::StrFormat("  %-4s %-7s %-11s %-9s %-9s %-6s %s\n", r.indicator_id, w.stages[StageIndex(*r.stage)],
                              FormatValue(r, r.value), absl::StrFormat("%.2f", *r.threshold),
                              r.cv_actual ? absl::StrFormat("%.3f", *r.cv_actual) : "-",
                              absl::StrFormat("%.2f", *r.cv_max), VerdictWord(r.verdict, w)));
  }
  for (const StageResult& s : e.stages) {
    absl::StrAppend(&out,
                    Format(w.section_rule, w.stages[StageIndex(s.stage)], s.sections_meeting_all,
                           s.sections_with_one_at_85, s.sections_failing, s.sections),
                    "\n");
    if (!s.invalid_sections.empty()) {
      absl::StrAppend(&out, w.invalid_sections, absl::StrJoin(s.invalid_sections, "; "), "\n");
    }
    if (!s.excluded_sections.empty()) {
      absl::StrAppend(&out, w.excluded_sections, absl::StrJoin(s.excluded_sections, "; "), "\n");
    }
  }
  absl::StrAppend(&out, Format(w.composite_cv, e.stages[0].composite_cv, e.stages[1].composite_cv), "\n\n");

  // 2-4. The other areas, in the order of the definitions.
  for (int area = 1; area <= 3; ++area) {
    absl::StrAppend(&out, w.areas[area], "\n");
    for (const IndicatorResult& r : e.indicators) {
      if (r.stage || static_cast<int>(FindIndicator(r.indicator_id)->area) != area) continue;
      AppendIndicator(out, r, language, w);
    }
    absl::StrAppend(&out, "\n");
  }

  absl::StrAppend(&out, w.vetoes, ": ");
  if (e.vetoes.empty()) absl::StrAppend(&out, w.none);
  for (const Veto& veto : e.vetoes) absl::StrAppend(&out, "\n  - ", veto.kind, ": ", veto.evidence);
  absl::StrAppend(&out, "\n", w.prerequisites, ": ", VerdictWord(e.prerequisites, w), "\n");
  for (const std::string& note : language == Language::kChinese ? e.prerequisite_notes_zh : e.prerequisite_notes) {
    absl::StrAppend(&out, "  ", note, "\n");
  }

  absl::StrAppend(&out, "\n", w.alternatives, ":\n");
  for (const IndicatorResult& r : e.indicators) {
    for (const AlternativeResult& a : r.alternatives) {
      // The resource alternatives are listed only where they change a verdict.
      if (r.stage && a.verdict == r.verdict) continue;
      absl::StrAppend(&out, absl::StrFormat("  %-4s %-7s %s=%s: %s %s (%s: %s %s)\n", r.indicator_id,
                                            r.stage ? w.stages[StageIndex(*r.stage)] : "", a.convention, a.setting,
                                            FormatValue(r, a.value), VerdictWord(a.verdict, w),
                                            language == Language::kChinese ? "当前" : "now", FormatValue(r, r.value),
                                            VerdictWord(r.verdict, w)));
    }
  }

  // The district steps first: one per failing indicator, in its own unit.
  const bool zh = language == Language::kChinese;
  if (!e.district_plan.empty()) {
    absl::StrAppend(&out, "\n", zh ? "全区整改（每项未达标指标）" : "District remediation (per failing indicator)",
                    ":\n");
    for (const DistrictRemediationStep& step : e.district_plan) {
      absl::StrAppend(&out, "  ", step.indicator_id,
                      step.stage ? absl::StrCat(" ", w.stages[StageIndex(*step.stage)]) : "", ": ",
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
                        target.stage ? absl::StrCat(" ", w.stages[StageIndex(*target.stage)]) : "", ": ", amount,
                        amount.empty() ? "" : " ", "(", zh ? target.note_zh : target.note, ")\n");
      }
    }
  }

  absl::StrAppend(&out, "\n", w.remediation, ":\n");
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
  std::string out = absl::StrCat(w.city_header, "\n");
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
    std::string failing = failing_list.empty() ? "-" : absl::StrJoin(failing_list, ", ");
    if (failing.size() > 42) {
      // Cut on a UTF-8 character boundary (the Chinese list is multi-byte).
      size_t cut = 39;
      while (cut > 0 && (static_cast<unsigned char>(failing[cut]) & 0xC0) == 0x80) --cut;
      failing = failing.substr(0, cut) + "...";
    }
    absl::StrAppend(
        &out, absl::StrFormat("%-7s %-9s %-11s %-43s %s\n", e.district_code, DistrictName(e.district_code, language),
                              w.overall_verdicts[static_cast<int>(e.verdict)], failing, worst));
  }
  return out;
}

}  // namespace gzedu::engine
