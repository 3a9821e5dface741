#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_CONTENT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_CONTENT_H_

// The words and figures every report of an evaluation shares (text,
// workbook, printable page, CSV), in the language the districts' own
// self-evaluation reports use (section 三) or in English. Pure functions;
// thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::engine {

enum class Language { kChinese, kEnglish };

// 小学 / 初中, or primary / junior.
std::string StageText(Stage stage, Language language);
// 达标, 未达标, 待定, 不适用 (or the English words).
std::string VerdictText(Verdict verdict, Language language);
std::string OverallVerdictText(OverallVerdict verdict, Language language);
// The district's name (荔湾区, Liwan), or the code when unknown.
std::string DistrictName(const std::string& district_code, Language language);
// The indicator's official name (Chinese) or its English name.
std::string IndicatorName(const std::string& indicator_id, Language language);
// The unit a value is written with: 人, 平方米, 元, 间, %, 所, 个 (or English).
std::string ValueUnit(const IndicatorResult& result, Language language);

// The indicator's source clause: "教督〔2017〕6号 资源配置 第1项" (Chinese) or
// as the definition has it ("教督〔2017〕6号, 资源配置 item 1").
std::string SourceClause(const std::string& indicator_id, Language language);

// A value as docs/indicators.md section 8.3 shows it: 2 decimals,
// percentages with "%", difference rates 3 decimals, counts whole; "-" when
// absent.
std::string FormatIndicatorValue(const IndicatorResult& result, const std::optional<double>& value);
// An amount of yuan as the reports write it: 元 below 10,000, then 万元,
// then 亿元 (2 decimals); English: "yuan", "10k yuan", "100m yuan".
std::string FormatYuan(double yuan, Language language);

// How the value was computed, from its numerator and denominator, e.g.
// "4397 ÷ 75935 × 100" for R1, "8332.80万元 ÷ 26040" for R6; empty when the
// result has none.
std::string Computation(const IndicatorResult& result, Language language);

// Whether the headline value alone reaches its threshold (at most, for the
// counts and Q9's difference rate). False without a value or threshold.
bool HeadlineReaches(const IndicatorResult& result);

// The verdict as the headline shows it: the verdict word, and when the
// headline value reaches its threshold yet the indicator fails, the part
// that fails (e.g. G8's performance pay), so a headline never contradicts
// its verdict.
std::string HeadlineVerdict(const IndicatorResult& result, Language language);

// One item of IndicatorResult::failing (the engine writes them in English)
// in `language`: G3 rooms, G4 school sizes, G5 classes, G6 and G7 funds.
std::string FailingItem(const std::string& item, Language language);

// The per-section counts of one indicator in the reports' words, e.g. "45
// 个学段单元中 43 个达到标准".
std::string SectionsReaching(const StageResult& stage, int indicator, Language language);

// A convention and its setting in words ("音乐、美术专用教室面积要求仅适用于 2016
// 年及以后建设的学校"); `setting` as AlternativeResult has it.
std::string ConventionText(const std::string& name, const std::string& setting, Language language);
// The conventions that differ from the strict national reading, in words.
std::vector<std::string> ChangedConventions(const Conventions& conventions, Language language);
// Every convention: its name, the strict default and the setting applied,
// in words (for the side-by-side sheet).
struct ConventionRow {
  std::string name;  // e.g. "room_size_rule_applies_from_build_year"
  std::string description;
  std::string default_setting;
  std::string applied_setting;
  bool is_default = true;
};
std::vector<ConventionRow> ConventionRows(const Conventions& conventions, Language language);

// What a remediation step adds, in the resource's unit ("名县级以上骨干教师",
// "平方米教学及辅助用房"; English: step.unit).
std::string RemediationUnit(const RemediationStep& step, Language language);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_REPORT_CONTENT_H_
