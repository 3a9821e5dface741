#include "services/indicator_evaluation/engine/report_content.h"

#include <cmath>
#include <regex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/domain/districts.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

bool Zh(Language language) { return language == Language::kChinese; }

bool IsPercent(const std::string& unit) { return unit.find("percent") != std::string::npos; }
bool IsCount(const std::string& unit) {
  return unit == "oversize schools" || unit == "oversize classes" || unit == "schools funded short";
}

// A number with at most two decimals and no trailing zeros: 898.4, 1476.
std::string Plain(double value) {
  std::string text = absl::StrFormat("%.2f", value);
  while (!text.empty() && text.back() == '0') text.pop_back();
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

// The regular expressions that turn the engine's English failing items
// into the reports' Chinese, in order (the first that matches applies; G3's
// problems are replaced wherever they occur).
struct Rewrite {
  std::regex pattern;
  std::string replacement;
};

const std::vector<Rewrite>& WholeItemRewrites() {
  static const std::vector<Rewrite> kRewrites = {
      {std::regex(R"(^(.*): (\d+) compulsory-stage students \(limit (\d+)\)$)"),
       "$1：义务教育阶段学生 $2 人（上限 $3 人）"},
      {std::regex(R"(^(.*) primary: (\d+) students in (\d+) classes, so at least one class above (\d+)$)"),
       "$1 小学：$2 名学生分 $3 个班，至少一个班超过 $4 人"},
      {std::regex(R"(^(.*) junior: (\d+) students in (\d+) classes, so at least one class above (\d+)$)"),
       "$1 初中：$2 名学生分 $3 个班，至少一个班超过 $4 人"},
      {std::regex(R"(^(.*) primary class (\d+): (\d+) students \(limit (\d+)\)$)"),
       "$1 小学 第$2班：$3 人（上限 $4 人）"},
      {std::regex(R"(^(.*) junior class (\d+): (\d+) students \(limit (\d+)\)$)"),
       "$1 初中 第$2班：$3 人（上限 $4 人）"},
      {std::regex(R"(^(.*): (\d+) students, operating funds ([\d.]+) yuan < ([\d.]+) yuan \(100 x base\)$)"),
       "$1：学生 $2 人，公用经费 $3 元，低于按 100 名学生核定的 $4 元"},
      {std::regex(R"(^(.*): ([\d.]+) yuan per student$)"), "$1：生均公用经费 $2 元"},
  };
  return kRewrites;
}

const std::vector<Rewrite>& RoomRewrites() {
  static const std::vector<Rewrite> kRewrites = {
      {std::regex(R"((\d+) music rooms for (\d+) classes \(needs (\d+)\))"),
       "音乐专用教室 $1 间，$2 个班（应有 $3 间）"},
      {std::regex(R"((\d+) art rooms for (\d+) classes \(needs (\d+)\))"), "美术专用教室 $1 间，$2 个班（应有 $3 间）"},
      {std::regex(R"(music room (\d+) has ([\d.]+) m2 \(< (\d+)\))"),
       "第 $1 间音乐专用教室 $2 平方米（不足 $3 平方米）"},
      {std::regex(R"(art room (\d+) has ([\d.]+) m2 \(< (\d+)\))"), "第 $1 间美术专用教室 $2 平方米（不足 $3 平方米）"},
  };
  return kRewrites;
}

}  // namespace

std::string StageText(Stage stage, Language language) {
  if (Zh(language)) return stage == Stage::kPrimary ? "小学" : "初中";
  return stage == Stage::kPrimary ? "primary" : "junior";
}

std::string VerdictText(Verdict verdict, Language language) {
  static const char* const kZh[] = {"达标", "未达标", "待定", "不适用"};
  static const char* const kEn[] = {"meets", "does not meet", "pending", "n/a"};
  return (Zh(language) ? kZh : kEn)[static_cast<int>(verdict)];
}

std::string OverallVerdictText(OverallVerdict verdict, Language language) {
  static const char* const kZh[] = {"达到优质均衡标准", "未达到标准", "数据不完整"};
  static const char* const kEn[] = {"MEETS THE STANDARD", "DOES NOT MEET", "INCOMPLETE"};
  return (Zh(language) ? kZh : kEn)[static_cast<int>(verdict)];
}

std::string DistrictName(const std::string& district_code, Language language) {
  const District* district = FindDistrict(district_code);
  if (district == nullptr) return district_code;
  return std::string(Zh(language) ? district->name_zh : district->name_en);
}

std::string IndicatorName(const std::string& indicator_id, Language language) {
  const IndicatorDefinition* d = FindIndicator(indicator_id);
  if (d == nullptr) return indicator_id;
  return std::string(Zh(language) ? d->name_zh : d->name_en);
}

std::string SourceClause(const std::string& indicator_id, Language language) {
  const IndicatorDefinition* d = FindIndicator(indicator_id);
  if (d == nullptr) return "";
  const std::string source(d->source);
  if (!Zh(language)) return source;
  static const std::regex kItem(R"(^(.*), (\S+) item (\d+)$)");
  static const std::regex kArea(R"(^(.*), (\S+)$)");
  if (std::regex_match(source, kItem)) return std::regex_replace(source, kItem, "$1 $2 第$3项");
  return std::regex_replace(source, kArea, "$1 $2");
}

std::string ValueUnit(const IndicatorResult& r, Language language) {
  const std::string& id = r.indicator_id;
  const bool zh = Zh(language);
  if (id == "R1" || id == "R2" || id == "R3") return zh ? "人" : "per 100 students";
  if (id == "R7") return zh ? "间" : "per 100 students";
  if (id == "R4" || id == "R5") return zh ? "平方米" : "m2 per student";
  if (id == "R6" || id == "G7") return zh ? "元" : "yuan per student";
  if (IsPercent(r.unit)) return "%";
  if (r.unit == "oversize schools" || r.unit == "schools funded short") return zh ? "所" : "schools";
  if (r.unit == "oversize classes") return zh ? "个班" : "classes";
  return "";
}

std::string FormatIndicatorValue(const IndicatorResult& r, const std::optional<double>& value) {
  if (!value) return "-";
  if (IsPercent(r.unit)) return absl::StrFormat("%.2f%%", *value);
  if (r.unit == "difference rate") return absl::StrFormat("%.3f", *value);
  if (IsCount(r.unit)) return absl::StrFormat("%.0f", *value);
  return absl::StrFormat("%.2f", *value);
}

std::string FormatYuan(double yuan, Language language) {
  const bool zh = Zh(language);
  const double magnitude = std::fabs(yuan);
  // Literal formats (clang checks them at compile time).
  if (magnitude >= 1e8) return zh ? absl::StrFormat("%.2f亿元", yuan / 1e8) : absl::StrFormat("%.2fm yuan", yuan / 1e6);
  if (magnitude >= 1e4) return zh ? absl::StrFormat("%.2f万元", yuan / 1e4) : absl::StrFormat("%.2fk yuan", yuan / 1e3);
  return zh ? absl::StrFormat("%.2f元", yuan) : absl::StrFormat("%.2f yuan", yuan);
}

std::string Computation(const IndicatorResult& r, Language language) {
  if (!r.numerator || !r.denominator) return "";
  const bool zh = Zh(language);
  const std::string& id = r.indicator_id;
  const double n = *r.numerator;
  const double d = *r.denominator;
  if (id == "R1" || id == "R2" || id == "R3" || id == "R7") return absl::StrCat(Plain(n), " ÷ ", Plain(d), " × 100");
  if (id == "R4" || id == "R5") return absl::StrCat(Plain(n), zh ? " 平方米" : " m2", " ÷ ", Plain(d));
  if (id == "R6" || id == "G7") return absl::StrCat(FormatYuan(n, language), " ÷ ", Plain(d));
  if (id == "G8") {
    // Pay is compared to the fen: shown in full, not in 万元.
    return zh ? absl::StrFormat("教师平均工资 %.2f元 ÷ 公务员平均工资 %.2f元 × 100", n, d)
              : absl::StrFormat("teachers %.2f yuan ÷ civil servants %.2f yuan × 100", n, d);
  }
  if (id == "G14") {
    return zh ? absl::StrCat("分配到初中的名额 ", Plain(n), " ÷ 优质高中招生名额 ", Plain(d), " × 100")
              : absl::StrCat("places allocated ", Plain(n), " ÷ quality senior-high places ", Plain(d), " × 100");
  }
  if (id == "Q4") return absl::StrCat(FormatYuan(n, language), " ÷ ", FormatYuan(d, language), " × 100");
  if (IsPercent(r.unit)) return absl::StrCat(Plain(n), " ÷ ", Plain(d), " × 100");
  if (IsCount(r.unit)) {
    const char* of = r.unit == "oversize classes" ? (zh ? "个班" : " classes") : (zh ? "所" : " schools");
    return zh ? absl::StrCat("共 ", Plain(d), " ", of, "中 ", Plain(n), " ", of)
              : absl::StrCat(Plain(n), " of ", Plain(d), of);
  }
  return absl::StrCat(Plain(n), " ÷ ", Plain(d));
}

bool HeadlineReaches(const IndicatorResult& r) {
  if (!r.value || !r.threshold) return false;
  if (IsCount(r.unit) || r.unit == "difference rate") return *r.value <= *r.threshold;
  return *r.value >= *r.threshold;
}

std::string HeadlineVerdict(const IndicatorResult& r, Language language) {
  std::string word = VerdictText(r.verdict, language);
  if (r.verdict != Verdict::kDoesNotMeet || !HeadlineReaches(r)) return word;
  // The value shown reaches its threshold: another part fails. For R1-R7
  // it is the CV over its limit; otherwise the engine's last note names it.
  if (r.stage && r.cv_actual && r.cv_max && *r.cv_actual > *r.cv_max) {
    return Zh(language) ? absl::StrFormat("%s（差异系数 %.3f 超过上限 %.2f）", word, *r.cv_actual, *r.cv_max)
                        : absl::StrFormat("%s (CV %.3f above the limit %.2f)", word, *r.cv_actual, *r.cv_max);
  }
  const std::vector<std::string>& notes = Zh(language) ? r.notes_zh : r.notes;
  const std::string part = notes.empty() ? std::string() : notes.back();
  return Zh(language) ? absl::StrCat(word, "（", part.empty() ? "另一部分未达标" : part, "）")
                      : absl::StrCat(word, " (", part.empty() ? "another part fails" : part, ")");
}

std::string FailingItem(const std::string& item, Language language) {
  if (!Zh(language)) return item;
  for (const Rewrite& rewrite : WholeItemRewrites()) {
    if (std::regex_match(item, rewrite.pattern)) return std::regex_replace(item, rewrite.pattern, rewrite.replacement);
  }
  std::string text = item;
  bool rooms = false;
  for (const Rewrite& rewrite : RoomRewrites()) {
    if (std::regex_search(text, rewrite.pattern)) {
      rooms = true;
      text = std::regex_replace(text, rewrite.pattern, rewrite.replacement);
    }
  }
  if (rooms) text = absl::StrReplaceAll(text, {{"; ", "；"}});
  // "CODE NAME: value" (R1-R7, Q4): the Chinese colon.
  const size_t colon = text.find(": ");
  if (colon != std::string::npos) text.replace(colon, 2, "：");
  return text;
}

std::string SectionsReaching(const StageResult& stage, int k, Language language) {
  return Zh(language) ? absl::StrCat(stage.sections, " 个学段单元中 ", stage.sections_meeting[k], " 个达到标准")
                      : absl::StrCat(stage.sections_meeting[k], " of ", stage.sections, " sections reach it");
}

std::string ConventionText(const std::string& name, const std::string& setting, Language language) {
  const bool zh = Zh(language);
  const bool on = setting == "on" || setting == "true";
  if (name == "quota_excludes_hk_macao_classes") {
    return zh ? (on ? "优质高中名额总数不含港澳班名额" : "优质高中名额总数含港澳班名额")
              : absl::StrCat("quality senior-high places ", on ? "exclude" : "include", " Hong Kong and Macao classes");
  }
  if (name == "disabled_enrolment_excludes_deferred") {
    return zh ? (on ? "残疾儿童少年入学率不计缓学人数" : "残疾儿童少年入学率计入缓学人数")
              : absl::StrCat("disabled enrolment ", on ? "excludes" : "includes", " deferred children");
  }
  if (name == "retention_formula") {
    const bool annual = setting == "annual_loss";
    return zh ? (annual ? "巩固率按年流失率计算" : "巩固率按三年前入学人数计算")
              : (annual ? "retention from the annual loss rate" : "retention from the cohort three years earlier");
  }
  if (name == "room_size_rule_applies_from_build_year") {
    if (setting == "0")
      return zh ? "音乐、美术专用教室面积要求适用于所有学校" : "room-size rule applies to every school";
    return zh ? absl::StrCat("音乐、美术专用教室面积要求仅适用于 ", setting, " 年及以后建设的学校")
              : absl::StrCat("room-size rule applies to schools built from ", setting);
  }
  if (name == "teaching_point_min_students") {
    if (setting == "0") return zh ? "所有教学点均计入" : "every teaching point counted";
    return zh ? absl::StrCat("学生少于 ", setting, " 人的教学点不计入")
              : absl::StrCat("teaching points below ", setting, " students not counted");
  }
  if (name == "shared_resource_apportionment") {
    const bool legacy = setting == "legacy_weights";
    return zh ? (legacy ? "共用资源按 1:1.1:1.32 折算分摊" : "共用资源按在校生人数分摊")
              : (legacy ? "shared resources apportioned 1:1.1:1.32" : "shared resources apportioned by enrolment");
  }
  if (name == "rotation_min_years_at_school") {
    return zh ? absl::StrCat("在同一学校任教满 ", setting, " 年的教师符合交流轮岗条件")
              : absl::StrCat("teachers eligible for rotation after ", setting, " years at a school");
  }
  return absl::StrCat(name, "=", setting);
}

std::vector<ConventionRow> ConventionRows(const Conventions& c, Language language) {
  const Conventions d;
  const auto on_off = [](bool on) { return std::string(on ? "on" : "off"); };
  const auto retention = [](RetentionFormula f) {
    return std::string(f == RetentionFormula::kAnnualLoss ? "annual_loss" : "cohort");
  };
  const auto apportionment = [](Apportionment a) {
    return std::string(a == Apportionment::kLegacyWeights ? "legacy_weights" : "enrolment_share");
  };
  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> settings = {
      {"quota_excludes_hk_macao_classes",
       {on_off(d.quota_excludes_hk_macao_classes), on_off(c.quota_excludes_hk_macao_classes)}},
      {"disabled_enrolment_excludes_deferred",
       {on_off(d.disabled_enrolment_excludes_deferred), on_off(c.disabled_enrolment_excludes_deferred)}},
      {"retention_formula", {retention(d.retention_formula), retention(c.retention_formula)}},
      {"room_size_rule_applies_from_build_year",
       {std::to_string(d.room_size_rule_applies_from_build_year),
        std::to_string(c.room_size_rule_applies_from_build_year)}},
      {"teaching_point_min_students",
       {std::to_string(d.teaching_point_min_students), std::to_string(c.teaching_point_min_students)}},
      {"shared_resource_apportionment",
       {apportionment(d.shared_resource_apportionment), apportionment(c.shared_resource_apportionment)}},
      {"rotation_min_years_at_school",
       {std::to_string(d.rotation_min_years_at_school), std::to_string(c.rotation_min_years_at_school)}},
  };
  std::vector<ConventionRow> rows;
  for (const auto& [name, values] : settings) {
    rows.push_back({name, ConventionText(name, values.second, language), ConventionText(name, values.first, language),
                    ConventionText(name, values.second, language), values.first == values.second});
  }
  return rows;
}

std::vector<std::string> ChangedConventions(const Conventions& conventions, Language language) {
  std::vector<std::string> changed;
  for (const ConventionRow& row : ConventionRows(conventions, language)) {
    if (!row.is_default) changed.push_back(row.applied_setting);
  }
  return changed;
}

std::string RemediationUnit(const RemediationStep& step, Language language) {
  if (!Zh(language)) return step.unit;
  static const std::vector<std::pair<std::string, std::string>> kUnitsZh = {
      {"R1", "名高于规定学历教师"},   {"R2", "名县级以上骨干教师"}, {"R3", "名体育、艺术专任教师"},
      {"R4", "平方米教学及辅助用房"}, {"R5", "平方米体育运动场馆"}, {"R6", "元教学仪器设备"},
      {"R7", "间网络多媒体教室"}};
  for (const auto& [id, unit] : kUnitsZh) {
    if (id == step.indicator_id) return unit;
  }
  return step.unit;
}

}  // namespace gzedu::engine
