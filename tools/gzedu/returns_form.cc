#include "tools/gzedu/returns_form.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/domain/districts.h"
#include "common/domain/input_bounds.h"
#include "services/indicator_evaluation/domain/district_return.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/grpc/conversions.h"
#include "tools/gzedu/csv_reader.h"

namespace gzedu::cli {
namespace {

namespace v1 = ::gzedu::indicators::v1;

// How a field is written on the form.
enum class Kind {
  kMoneyYuan,  // yuan with at most two decimals; fen on the wire
  kCount,      // a whole number of people or places
  kYear,       // a calendar year
  kBool,       // 是/否, yes/no
  kPercent,    // 0..100, "92" or "92%"
  kRate,       // 0..1, "0.1" or "10%"
};

// One field of DistrictFacts on the form.
struct FactField {
  const char* api;  // the DistrictFacts field
  const char* en;   // its name on an English form
  const char* zh;   // its name on a Chinese form
  Kind kind;
  const char* note_en;
  const char* note_zh;
};

// Every DistrictFacts field, in the order of the contract.
const std::vector<FactField>& FactFields() {
  static const std::vector<FactField> kFields = {
      {"operating_base_per_student_primary_fen", "operating_base_per_student_primary_yuan",
       "小学生均公用经费基准定额（元）", Kind::kMoneyYuan, "G2, G6: per-student operating-fund base, primary",
       "G2、G6：小学生均公用经费基准定额"},
      {"operating_base_per_student_junior_fen", "operating_base_per_student_junior_yuan",
       "初中生均公用经费基准定额（元）", Kind::kMoneyYuan, "G2, G6: per-student operating-fund base, junior",
       "G2、G6：初中生均公用经费基准定额"},
      {"teacher_average_pay_fen", "teacher_average_pay_yuan", "教师平均工资收入（元）", Kind::kMoneyYuan,
       "G8: teachers' average pay, on the same basis (month or year) as the civil servants'; empty: the "
       "ledger's payroll average",
       "G8：教师平均工资收入，与公务员口径相同（月或年）；不填则用经费账的工资平均数"},
      {"civil_servant_average_pay_fen", "civil_servant_average_pay_yuan", "当地公务员平均工资收入（元）",
       Kind::kMoneyYuan, "G8: local civil servants' average pay", "G8：当地公务员平均工资收入"},
      {"performance_pay_fully_approved", "performance_pay_fully_approved", "绩效工资是否足额核定", Kind::kBool,
       "G8: the performance pay was approved in full", "G8：绩效工资是否足额核定"},
      {"zoned_admission_primary", "zoned_admission_primary", "小学就近划片入学人数", Kind::kCount,
       "G13: primary admissions by nearby zoning (public urban and town schools, boarding excluded)",
       "G13：城区和镇区公办小学就近划片入学人数（寄宿制除外）"},
      {"admission_primary_total", "admission_primary_total", "小学招生总人数", Kind::kCount,
       "G13: all primary admissions counted with it", "G13：同口径小学招生总人数"},
      {"zoned_admission_junior", "zoned_admission_junior", "初中就近划片入学人数", Kind::kCount,
       "G13: junior admissions by nearby zoning", "G13：城区和镇区公办初中就近划片入学人数"},
      {"admission_junior_total", "admission_junior_total", "初中招生总人数", Kind::kCount,
       "G13: all junior admissions counted with it", "G13：同口径初中招生总人数"},
      {"quota_total_places", "quota_total_places", "优质普通高中招生名额总数", Kind::kCount,
       "G14: quality senior-high enrolment places in total", "G14：优质普通高中招生名额总数"},
      {"quota_hk_macao_class_places", "quota_hk_macao_class_places", "其中港澳班名额", Kind::kCount,
       "G14: places of Hong Kong and Macao classes among them", "G14：其中港澳班招生名额"},
      {"quota_allocated_places", "quota_allocated_places", "分配到初中的名额", Kind::kCount,
       "G14: places allocated to junior schools", "G14：合理分配到区域内初中的名额"},
      {"left_behind_care_system", "left_behind_care_system", "是否建立留守儿童关爱体系", Kind::kBool,
       "G15: a care system for left-behind children exists", "G15：是否建立留守儿童关爱体系"},
      {"migrant_children_eligible", "migrant_children_eligible", "符合条件的随迁子女数", Kind::kCount,
       "G15: migrant children eligible for compulsory education", "G15：符合条件的随迁子女数"},
      {"migrant_children_in_public_schools", "migrant_children_in_public_schools", "在公办学校就读的随迁子女数",
       Kind::kCount, "G15: of them, in public schools", "G15：其中在公办学校就读的人数"},
      {"migrant_children_in_purchased_places", "migrant_children_in_purchased_places", "政府购买学位就读的随迁子女数",
       Kind::kCount, "G15: of them, in places the government buys at private schools",
       "G15：其中在政府购买学位就读的人数"},
      {"junior_graduates", "junior_graduates", "初中毕业生数", Kind::kCount, "Q1: junior graduates this year",
       "Q1：本年初中毕业生数"},
      {"junior_cohort_enrolled", "junior_cohort_enrolled", "三年前初一入学人数", Kind::kCount,
       "Q1: the cohort enrolled three years earlier", "Q1：该届学生三年前初一入学人数"},
      {"junior_transferred_in", "junior_transferred_in", "初中转入人数", Kind::kCount,
       "Q1: transferred into the cohort", "Q1：该届转入人数"},
      {"junior_transferred_out", "junior_transferred_out", "初中转出人数", Kind::kCount,
       "Q1: transferred out of the cohort", "Q1：该届转出人数"},
      {"junior_deaths", "junior_deaths", "初中死亡人数", Kind::kCount, "Q1: deaths in the cohort", "Q1：该届死亡人数"},
      {"junior_dropouts", "junior_dropouts", "初中辍学人数", Kind::kCount, "Q1: dropouts from the cohort",
       "Q1：该届辍学人数"},
      {"disabled_school_age_children", "disabled_school_age_children", "适龄残疾儿童少年数", Kind::kCount,
       "Q2: school-age children with disabilities", "Q2：适龄残疾儿童少年数"},
      {"disabled_deferred", "disabled_deferred", "其中缓学人数", Kind::kCount, "Q2: of them, deferred",
       "Q2：其中缓学人数"},
      {"disabled_enrolled", "disabled_enrolled", "其中入学人数", Kind::kCount, "Q2: of them, enrolled (in any form)",
       "Q2：其中入学人数（各种形式）"},
      {"operating_budget_fen", "operating_budget_yuan", "区公用经费预算总额（元）", Kind::kMoneyYuan,
       "Q4: the district's operating-fund budget, used when no school account carries its own",
       "Q4：区公用经费预算总额（学校账户未单列时使用）"},
      {"training_budget_fen", "training_budget_yuan", "教师培训经费预算（元）", Kind::kMoneyYuan,
       "Q4: the district's teacher-training budget", "Q4：教师培训经费预算"},
      {"monitoring_level_iii_or_above", "monitoring_level_iii_or_above", "质量监测是否达到III级以上", Kind::kBool,
       "Q9: national quality monitoring at level III or above", "Q9：国家义务教育质量监测是否达到III级以上"},
      {"monitoring_difference_rate", "monitoring_difference_rate", "质量监测校际差异率", Kind::kRate,
       "Q9: the monitoring's inter-school difference rate: a fraction (0.1) or a percentage (10%)",
       "Q9：质量监测校际差异率，小数（0.1）或百分数（10%）"},
      {"social_recognition_percent", "social_recognition_percent", "社会认可度（%）", Kind::kPercent,
       "S1: the social recognition survey, percent (92 or 92%)", "S1：社会认可度调查结果，百分数（92 或 92%）"},
      {"basic_balanced_recognised_year", "basic_balanced_recognised_year", "通过基本均衡认定年份", Kind::kYear,
       "prerequisite: the year basic balanced development was recognised", "前提：通过基本均衡发展认定的年份"},
      {"monitoring_kept_high", "monitoring_kept_high", "基本均衡监测是否持续保持高位", Kind::kBool,
       "prerequisite: basic balance monitoring has stayed high since", "前提：基本均衡监测是否持续保持高位"},
  };
  return kFields;
}

// A name on the form in both languages.
struct Name {
  const char* en;
  const char* zh;
  const char* In(FormLanguage language) const { return language == FormLanguage::kChinese ? zh : en; }
};

constexpr Name kDistrictCode{"district_code", "区县代码"};
constexpr Name kSchoolYear{"school_year", "学年"};
constexpr Name kFacts{"facts", "区县数据"};
constexpr Name kAttestations{"attestations", "认定"};
constexpr Name kVetoes{"vetoes", "一票否决"};
constexpr Name kReturns{"returns", "区县填报"};
constexpr Name kVetoKind{"kind", "类型"};
constexpr Name kVetoEvidence{"evidence", "依据"};
// The CSV form's veto row: "kind: evidence".
constexpr Name kVetoRow{"veto", "一票否决"};

// The parts of an attestation, with their API field names.
struct AttestationPart {
  const char* api;
  Name name;
};
const std::vector<AttestationPart>& AttestationParts() {
  static const std::vector<AttestationPart> kParts = {
      {"affirmed", {"affirmed", "是否达到"}},
      {"document", {"document", "佐证材料"}},
      {"url", {"url", "公开网址"}},
      {"date", {"date", "日期"}},
      {"attested_by", {"attested_by", "认定单位"}},
  };
  return kParts;
}

bool IsChinese(const std::string& name) {
  return std::any_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

const char* Say(FormLanguage language, const char* en, const char* zh) {
  return language == FormLanguage::kChinese ? zh : en;
}

// Say with a format: both formats are literals checked at compile time.
template <typename... Args>
std::string SayF(FormLanguage language, const absl::FormatSpec<Args...>& en, const absl::FormatSpec<Args...>& zh,
                 const Args&... args) {
  return language == FormLanguage::kChinese ? absl::StrFormat(zh, args...) : absl::StrFormat(en, args...);
}

// Removes every occurrence of `what` from `text`.
void Erase(std::string& text, absl::string_view what) {
  for (size_t pos; (pos = text.find(what.data(), 0, what.size())) != std::string::npos;) text.erase(pos, what.size());
}

// A number as people write it, without spaces or thousands separators.
std::string CleanNumber(const std::string& text) {
  std::string s(absl::StripAsciiWhitespace(text));
  for (absl::string_view separator : {",", "，", " ", "\u00a0"}) Erase(s, separator);
  return s;
}

// Drops a trailing `suffix`; true when it was there.
bool DropSuffix(std::string& text, absl::string_view suffix) {
  if (!absl::EndsWith(text, suffix)) return false;
  text.resize(text.size() - suffix.size());
  return true;
}

bool AllDigits(absl::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Parses yuan into fen exactly (never through floating point). Fills
// `problem` (in `language`) when it is not an amount, has more than two
// decimals (other than trailing zeros), is negative or above the bound.
std::optional<int64_t> ParseMoney(const std::string& text, FormLanguage language, std::string* problem) {
  std::string s = CleanNumber(text);
  if (absl::StartsWith(s, "¥")) s = s.substr(std::string("¥").size());
  if (absl::StartsWith(s, "￥")) s = s.substr(std::string("￥").size());
  DropSuffix(s, "元");
  const bool negative = absl::StartsWith(s, "-");
  if (negative || absl::StartsWith(s, "+")) s = s.substr(1);
  const size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string decimals = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (!AllDigits(whole) || (dot != std::string::npos && !AllDigits(decimals))) {
    *problem =
        SayF(language, "'%s' is not an amount of yuan (e.g. 1234.56)", "“%s”不是以元为单位的金额（如 1234.56）", text);
    return std::nullopt;
  }
  while (decimals.size() > 2 && decimals.back() == '0') decimals.pop_back();
  if (decimals.size() > 2) {
    *problem = SayF(language, "'%s' has more than two decimals: yuan are written to the fen (0.01)",
                    "“%s”超过两位小数：金额以元为单位，精确到分（0.01）", text);
    return std::nullopt;
  }
  if (negative) {
    *problem = SayF(language, "'%s' is negative", "“%s”不能为负数", text);
    return std::nullopt;
  }
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  const int64_t max_yuan = bounds::kMaxAmountFen / 100;
  int64_t fen = 0;
  if (whole.size() > 13 || !ParseYuanToFen(decimals.empty() ? whole : whole + "." + decimals, &fen) ||
      fen > bounds::kMaxAmountFen) {
    *problem = SayF(language, "'%s' is above the limit of %d yuan", "“%s”超过上限 %d 元", text, max_yuan);
    return std::nullopt;
  }
  return fen;
}

// A whole number of at most `max`.
std::optional<int32_t> ParseCount(const std::string& text, int64_t max, FormLanguage language, std::string* problem) {
  std::string s = CleanNumber(text);
  DropSuffix(s, "人");
  if (absl::StartsWith(s, "-") && AllDigits(s.substr(1))) {
    *problem = SayF(language, "'%s' is negative", "“%s”不能为负数", text);
    return std::nullopt;
  }
  if (!AllDigits(s)) {
    *problem = SayF(language, "'%s' is not a whole number", "“%s”不是整数", text);
    return std::nullopt;
  }
  s.erase(0, std::min(s.find_first_not_of('0'), s.size() - 1));
  int64_t value = 0;
  if (s.size() > 12 || !absl::SimpleAtoi(s, &value) || value > max) {
    *problem = SayF(language, "'%s' is above the limit of %d", "“%s”超过上限 %d", text, max);
    return std::nullopt;
  }
  return static_cast<int32_t>(value);
}

// A percentage ("92", "92%") or, for a rate, a fraction ("0.1") or a
// percentage ("10%"). The decimal point is moved in the text, so "10%" is
// exactly the double nearest 0.1.
std::optional<double> ParseShare(const std::string& text, Kind kind, FormLanguage language, std::string* problem) {
  std::string s = CleanNumber(text);
  const bool percent_sign = DropSuffix(s, "%") || DropSuffix(s, "％");
  if (kind == Kind::kRate && percent_sign) s += "e-2";
  double value = 0;
  const bool plain = !s.empty() && s.find_first_not_of("0123456789.-+e") == std::string::npos;
  if (!plain || !absl::SimpleAtod(s, &value) || !std::isfinite(value)) {
    *problem = kind == Kind::kRate
                   ? SayF(language, "'%s' is not a fraction (0.1) or a percentage (10%%)",
                          "“%s”不是小数（0.1）或百分数（10%%）", text)
                   : SayF(language, "'%s' is not a percentage (92 or 92%%)", "“%s”不是百分数（92 或 92%%）", text);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ParseYesNo(const std::string& text, FormLanguage language, std::string* problem) {
  const std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (key == "是" || key == "yes" || key == "y" || key == "true" || key == "1" || key == "有") return true;
  if (key == "否" || key == "no" || key == "n" || key == "false" || key == "0" || key == "无") return false;
  *problem = SayF(language, "'%s' is not 是/否 (yes/no)", "“%s”应填“是”或“否”", text);
  return std::nullopt;
}

// Builds a form while it is read, whatever the file's syntax.
class FormBuilder {
 public:
  explicit FormBuilder(ReturnsForm& form) : form_(form) {}

  // Decides the form's language from the first known name.
  void SawName(const std::string& name) {
    if (!language_decided_) {
      form_.language = IsChinese(name) ? FormLanguage::kChinese : FormLanguage::kEnglish;
      language_decided_ = true;
    }
  }
  FormLanguage language() const { return form_.language; }

  void Problem(int line, const std::string& field, const std::string& description) {
    form_.problems.push_back({line, field, description});
  }

  // Starts a new return at `line`.
  v1::DistrictReturn* Begin(int line) {
    form_.origins.push_back({line, {}});
    return form_.request.add_returns();
  }
  v1::DistrictReturn* current() {
    return form_.request.returns().empty() ? nullptr : form_.request.mutable_returns(form_.request.returns_size() - 1);
  }
  ReturnOrigin& origin() { return form_.origins.back(); }

  // Records where `path` (below the current return) was written; a problem
  // when it was already. Returns false for a repeat.
  bool Record(const std::string& path, int line, const std::string& name) {
    auto [it, inserted] = origin().fields.emplace(path, std::make_pair(line, name));
    if (!inserted) {
      Problem(line, name,
              SayF(language(), "given twice (first on line %d)", "重复填写（首次在第 %d 行）", it->second.first));
    }
    return inserted;
  }

  void DistrictCode(const std::string& value, int line, const std::string& name) {
    if (!Record("district_code", line, name)) return;
    std::string code(absl::StripAsciiWhitespace(value));
    // People write the district's name as often as its code.
    for (const District& d : kDistricts) {
      const std::string zh(d.name_zh);
      if (code == zh || code == zh.substr(0, zh.size() - std::string("区").size()) ||
          absl::EqualsIgnoreCase(code, d.name_en)) {
        code = std::string(d.code);
      }
    }
    current()->set_district_code(code);
  }

  void SchoolYear(const std::string& value, int line, const std::string& name) {
    if (!Record("school_year", line, name)) return;
    std::string problem;
    std::string s = CleanNumber(value);
    DropSuffix(s, "学年");
    DropSuffix(s, "年");
    // "2024-2025": the school year starting in 2024.
    int second = 0;
    if (s.size() == 9 && (s[4] == '-' || s[4] == '/') && absl::SimpleAtoi(s.substr(5), &second) &&
        second == std::atoi(s.substr(0, 4).c_str()) + 1) {
      s = s.substr(0, 4);
    }
    int year = 0;
    if (s.size() != 4 || !AllDigits(s) || !absl::SimpleAtoi(s, &year)) {
      Problem(line, name,
              SayF(language(), "'%s' is not a year (the year the school year starts in, e.g. 2024)",
                   "“%s”不是年份（学年开始的年份，如 2024）", value));
      return;
    }
    current()->set_school_year(year);
  }

  // A facts field: `value` empty means not reported.
  void Fact(const FactField& field, const std::string& value, int line, const std::string& name) {
    if (!Record(absl::StrCat("facts.", field.api), line, name)) return;
    if (absl::StripAsciiWhitespace(value).empty()) return;
    v1::DistrictFacts* facts = current()->mutable_facts();
    const auto* descriptor = facts->GetDescriptor()->FindFieldByName(field.api);
    const auto* reflection = facts->GetReflection();
    std::string problem;
    switch (field.kind) {
      case Kind::kMoneyYuan:
        if (auto fen = ParseMoney(value, language(), &problem)) reflection->SetInt64(facts, descriptor, *fen);
        break;
      case Kind::kCount:
        if (auto count = ParseCount(value, bounds::kMaxDistrictCount, language(), &problem)) {
          reflection->SetInt32(facts, descriptor, *count);
        }
        break;
      case Kind::kYear: {
        std::string year_text = CleanNumber(value);
        DropSuffix(year_text, "年");
        if (auto year = ParseCount(year_text, 9999, language(), &problem)) {
          reflection->SetInt32(facts, descriptor, *year);
        }
        break;
      }
      case Kind::kBool:
        if (auto yes = ParseYesNo(value, language(), &problem)) reflection->SetBool(facts, descriptor, *yes);
        break;
      case Kind::kPercent:
      case Kind::kRate:
        if (auto share = ParseShare(value, field.kind, language(), &problem)) {
          reflection->SetDouble(facts, descriptor, *share);
        }
        break;
    }
    if (!problem.empty()) Problem(line, name, problem);
  }

  // One attestation: its parts by API name, each with line and name; kept
  // only when any part is filled. `line`/`name`: where the indicator is.
  struct Part {
    std::string value;
    int line = 0;
    std::string name;
  };
  void Attestation(const std::string& indicator, int line, const std::string& name,
                   const std::map<std::string, Part>& parts) {
    bool any = false;
    for (const auto& [api, part] : parts) any = any || !absl::StripAsciiWhitespace(part.value).empty();
    if (!any) return;
    const int index = current()->attestations_size();
    const std::string at = absl::StrCat("attestations[", index, "]");
    v1::Attestation* a = current()->add_attestations();
    a->set_indicator_id(indicator);
    origin().fields.emplace(at + ".indicator_id", std::make_pair(line, name));
    origin().fields.emplace(at, std::make_pair(line, name));
    for (const auto& [api, part] : parts) {
      origin().fields.emplace(absl::StrCat(at, ".", api), std::make_pair(part.line, part.name));
    }
    // A part left out is named as the form would name it, at the indicator.
    for (const AttestationPart& part : AttestationParts()) {
      origin().fields.emplace(absl::StrCat(at, ".", part.api),
                              std::make_pair(line, absl::StrCat(indicator, ".", part.name.In(language()))));
    }
    const auto get = [&](const char* api) {
      auto it = parts.find(api);
      return it == parts.end() ? std::string() : std::string(absl::StripAsciiWhitespace(it->second.value));
    };
    auto affirmed = parts.find("affirmed");
    std::string problem;
    if (get("affirmed").empty()) {
      const int at_line = affirmed == parts.end() ? line : affirmed->second.line;
      const std::string at_name = affirmed == parts.end()
                                      ? absl::StrCat(name, ".", Name{"affirmed", "是否达到"}.In(language()))
                                      : affirmed->second.name;
      Problem(at_line, at_name,
              Say(language(), "required when the attestation is filled: 是/否 (yes/no)", "填写认定时必填：“是”或“否”"));
    } else if (auto yes = ParseYesNo(get("affirmed"), language(), &problem)) {
      a->set_affirmed(*yes);
    } else {
      Problem(affirmed->second.line, affirmed->second.name, problem);
    }
    a->set_document(get("document"));
    a->set_url(get("url"));
    // Dates as spreadsheets write them, through the imports' one date
    // reader; anything else goes as written and the validation names it.
    a->set_date(get("date").empty() ? "" : ParseDate(get("date")).value_or(get("date")));
    a->set_attested_by(get("attested_by"));
  }

  void Veto(const std::string& kind, const std::string& evidence, int line, const std::string& name) {
    const int index = current()->vetoes_size();
    v1::Veto* veto = current()->add_vetoes();
    veto->set_kind(std::string(absl::StripAsciiWhitespace(kind)));
    veto->set_evidence(std::string(absl::StripAsciiWhitespace(evidence)));
    origin().fields.emplace(absl::StrCat("vetoes[", index, "]"), std::make_pair(line, name));
    origin().fields.emplace(absl::StrCat("vetoes[", index, "].kind"), std::make_pair(line, name));
  }

 private:
  ReturnsForm& form_;
  bool language_decided_ = false;
};

const FactField* FindFact(const std::string& name) {
  for (const FactField& field : FactFields()) {
    if (name == field.en || name == field.zh || name == field.api) return &field;
  }
  return nullptr;
}

bool Is(const std::string& name, const Name& expected) { return name == expected.en || name == expected.zh; }

bool IsAttestedIndicator(const std::string& id) {
  for (const std::string& attested : indicators::AttestedIndicators()) {
    if (attested == id) return true;
  }
  return false;
}

// ---- YAML ----

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

std::string ScalarOf(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : std::string(); }

class YamlReader {
 public:
  explicit YamlReader(FormBuilder& builder) : b_(builder) {}

  void ReadReturn(const YAML::Node& node, int line) {
    b_.Begin(line);
    if (!node.IsMap()) {
      b_.Problem(line, Say(b_.language(), "return", "区县填报"),
                 Say(b_.language(), "each return is a mapping of fields", "每个区县填报应为“项目: 值”的映射"));
      return;
    }
    for (const auto& entry : node) {
      const std::string key = ScalarOf(entry.first);
      const int key_line = LineOf(entry.first);
      const YAML::Node& value = entry.second;
      if (Is(key, kDistrictCode) || Is(key, kSchoolYear) || Is(key, kFacts) || Is(key, kAttestations) ||
          Is(key, kVetoes)) {
        b_.SawName(key);
      }
      if (Is(key, kDistrictCode)) {
        if (Scalar(value, key, key_line)) b_.DistrictCode(value.Scalar(), key_line, key);
      } else if (Is(key, kSchoolYear)) {
        if (Scalar(value, key, key_line)) b_.SchoolYear(value.Scalar(), key_line, key);
      } else if (Is(key, kFacts)) {
        ReadFacts(value, key, key_line);
      } else if (Is(key, kAttestations)) {
        ReadAttestations(value, key, key_line);
      } else if (Is(key, kVetoes)) {
        ReadVetoes(value, key, key_line);
      } else {
        Unknown(key, key_line);
      }
    }
  }

 private:
  void Unknown(const std::string& key, int line) {
    b_.Problem(line, key,
               Say(b_.language(), "not a field of the district return form (gzedu returns template lists them)",
                   "不是区县填报表的项目（见 gzedu returns template）"));
  }

  // True for a scalar or an empty value; a problem otherwise.
  bool Scalar(const YAML::Node& value, const std::string& key, int line) {
    if (value.IsScalar() || value.IsNull()) return true;
    b_.Problem(line, key, Say(b_.language(), "expected a single value", "应填写单个值"));
    return false;
  }

  void ReadFacts(const YAML::Node& node, const std::string& key, int line) {
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      b_.Problem(line, key, Say(b_.language(), "expected the facts, one per line", "应逐行填写各项数据"));
      return;
    }
    for (const auto& entry : node) {
      const std::string name = ScalarOf(entry.first);
      const int name_line = LineOf(entry.first);
      const FactField* field = FindFact(name);
      if (field == nullptr) {
        Unknown(name, name_line);
        continue;
      }
      b_.SawName(name);
      if (Scalar(entry.second, name, name_line)) b_.Fact(*field, ScalarOf(entry.second), name_line, name);
    }
  }

  void ReadAttestations(const YAML::Node& node, const std::string& key, int line) {
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      b_.Problem(line, key,
                 Say(b_.language(), "expected one entry per indicator (G1: ...)", "应按指标逐项填写（G1: ...）"));
      return;
    }
    std::map<std::string, int> seen;
    // Sent in the order of the indicator ids (as the contract JSON of the
    // bundled data has them), whatever the order on the form.
    std::map<std::string, std::pair<int, std::map<std::string, FormBuilder::Part>>> by_indicator;
    for (const auto& entry : node) {
      const std::string id = ScalarOf(entry.first);
      const int id_line = LineOf(entry.first);
      if (!IsAttestedIndicator(id)) {
        b_.Problem(id_line, id,
                   Say(b_.language(), "not an attested indicator: G1, G2, G10, Q3, Q5, Q6, Q7 or Q8",
                       "不是需认定的指标：G1、G2、G10、Q3、Q5、Q6、Q7、Q8"));
        continue;
      }
      if (auto [it, inserted] = seen.emplace(id, id_line); !inserted) {
        b_.Problem(id_line, id,
                   SayF(b_.language(), "given twice (first on line %d)", "重复填写（首次在第 %d 行）", it->second));
        continue;
      }
      if (entry.second.IsNull()) continue;
      if (!entry.second.IsMap()) {
        b_.Problem(id_line, id,
                   Say(b_.language(), "expected affirmed, document, url, date, attested_by",
                       "应填写是否达到、佐证材料、公开网址、日期、认定单位"));
        continue;
      }
      std::map<std::string, FormBuilder::Part> parts;
      for (const auto& part : entry.second) {
        const std::string name = ScalarOf(part.first);
        const int part_line = LineOf(part.first);
        const AttestationPart* match = nullptr;
        for (const AttestationPart& p : AttestationParts()) {
          if (Is(name, p.name)) match = &p;
        }
        if (match == nullptr) {
          Unknown(name, part_line);
          continue;
        }
        const std::string qualified = absl::StrCat(id, ".", name);
        if (parts.count(match->api) != 0) {
          b_.Problem(part_line, qualified,
                     SayF(b_.language(), "given twice (first on line %d)", "重复填写（首次在第 %d 行）",
                          parts[match->api].line));
          continue;
        }
        if (!Scalar(part.second, qualified, part_line)) continue;
        parts[match->api] = {ScalarOf(part.second), part_line, qualified};
      }
      by_indicator[id] = {id_line, std::move(parts)};
    }
    for (const auto& [id, entry] : by_indicator) b_.Attestation(id, entry.first, id, entry.second);
  }

  void ReadVetoes(const YAML::Node& node, const std::string& key, int line) {
    if (node.IsNull()) return;
    if (!node.IsSequence()) {
      b_.Problem(line, key,
                 Say(b_.language(), "expected a list of vetoes (- kind: ... evidence: ...)",
                     "应逐项列出（- 类型: ... 依据: ...）"));
      return;
    }
    for (const auto& item : node) {
      const int item_line = LineOf(item);
      if (!item.IsMap()) {
        b_.Problem(item_line, key,
                   Say(b_.language(), "each veto has a kind and its evidence", "每项一票否决应填写类型和依据"));
        continue;
      }
      std::string kind, evidence;
      for (const auto& part : item) {
        const std::string name = ScalarOf(part.first);
        if (Is(name, kVetoKind)) {
          kind = ScalarOf(part.second);
        } else if (Is(name, kVetoEvidence)) {
          evidence = ScalarOf(part.second);
        } else {
          Unknown(name, LineOf(part.first));
        }
      }
      b_.Veto(kind, evidence, item_line, absl::StrCat(key, ".", kVetoKind.In(b_.language())));
    }
  }

  FormBuilder& b_;
};

// ---- CSV ----

constexpr Name kCsvField{"field", "项目"};
constexpr Name kCsvNote{"note", "说明"};
constexpr Name kCsvValue{"value", "填报值"};

// The attestation part a CSV field name ("G1.affirmed", "G1.是否达到")
// stands for.
bool SplitAttestationField(const std::string& name, std::string* indicator, const AttestationPart** part) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos) return false;
  *indicator = name.substr(0, dot);
  const std::string rest = name.substr(dot + 1);
  for (const AttestationPart& p : AttestationParts()) {
    if (Is(rest, p.name)) {
      *part = &p;
      return IsAttestedIndicator(*indicator);
    }
  }
  return false;
}

}  // namespace

ReturnsForm ReadReturnsYaml(absl::string_view text) {
  ReturnsForm form;
  FormBuilder builder(form);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    // Not a YAML document: the parser's own words, at its line, with the
    // usual cause of a hand-edited form named.
    const bool zh = std::string(text).find("区县") != std::string::npos;
    form.language = zh ? FormLanguage::kChinese : FormLanguage::kEnglish;
    std::string description = absl::StrCat(zh ? "格式错误：" : "", e.msg);
    std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
    for (int line = std::max(0, e.mark.line - 1); line <= e.mark.line && line < static_cast<int>(lines.size());
         ++line) {
      if (absl::StrContains(
              lines[static_cast<size_t>(line)].substr(0, lines[static_cast<size_t>(line)].find_first_not_of(" \t")),
              "\t")) {
        absl::StrAppend(&description,
                        zh ? "（缩进不能用制表符 Tab，请用空格）" : " (indentation must be spaces, not tabs)");
        break;
      }
    }
    // A full-width colon (an input method's) makes "key：value" a plain
    // scalar, which the parser only notices lines later: name its line.
    for (size_t line = 0; line < lines.size(); ++line) {
      const absl::string_view content = lines[line].substr(0, lines[line].find('#'));
      if (absl::StrContains(content, "：") && !absl::StrContains(content, ":")) {
        form.problems.push_back({static_cast<int>(line) + 1, "YAML",
                                 zh ? "这一行用了全角冒号“：”：字段名与数值之间请用半角冒号“:”加一个空格"
                                    : "this line has a full-width colon '：': write a half-width ':' and a space "
                                      "between the field and its value"});
      }
    }
    form.problems.push_back({e.mark.line + 1, "YAML", description});
    return form;
  }
  if (!root.IsMap()) {
    form.problems.push_back({1, "YAML",
                             "the form is a mapping of fields (district_code: ..., 区县代码: ...); see gzedu returns "
                             "template"});
    return form;
  }
  YamlReader reader(builder);
  // A handle, copied: the iteration's entries are temporaries, so a pointer
  // into one would dangle after the loop (the fuzzer found it).
  std::optional<YAML::Node> list;
  std::string list_key;
  int list_line = 1;
  for (const auto& entry : root) {
    const std::string key = ScalarOf(entry.first);
    if (Is(key, kReturns)) {
      builder.SawName(key);
      list = entry.second;
      list_key = key;
      list_line = LineOf(entry.first);
    }
  }
  if (!list) {
    reader.ReadReturn(root, LineOf(root));
  } else if (!list->IsSequence()) {
    form.problems.push_back({list_line, list_key,
                             Say(form.language, "expected a list of returns (- district_code: ...)",
                                 "应逐项列出各区县填报（- 区县代码: ...）")});
  } else {
    for (const auto& entry : root) {
      const std::string key = ScalarOf(entry.first);
      if (!Is(key, kReturns)) {
        form.problems.push_back(
            {LineOf(entry.first), key,
             Say(form.language, "not a field of the district return form", "不是区县填报表的项目")});
      }
    }
    for (const auto& item : *list) reader.ReadReturn(item, LineOf(item));
  }
  return form;
}

ReturnsForm ReadReturnsCsv(absl::string_view text) {
  ReturnsForm form;
  FormBuilder builder(form);
  auto table = ParseCsv(text);
  if (!table.ok()) {
    // "LINE: problem"
    std::vector<std::string> parts = absl::StrSplit(table.status().message(), absl::MaxSplits(": ", 1));
    int line = 1;
    if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &line)) parts = {"1", std::string(table.status().message())};
    form.problems.push_back({line, "CSV", parts[1]});
    return form;
  }
  // The header names the three columns, in either language.
  int field_column = -1, value_column = -1;
  for (size_t i = 0; i < table->header.size(); ++i) {
    const std::string& cell = table->header[i];
    if (Is(cell, kCsvField)) field_column = static_cast<int>(i);
    if (Is(cell, kCsvValue) || cell == "填写值" || cell == "值") value_column = static_cast<int>(i);
    if (i == 0) builder.SawName(cell);
  }
  if (field_column < 0 || value_column < 0) {
    form.problems.push_back({1, Say(form.language, "header", "表头"),
                             Say(form.language, "the header is field,note,value (or 项目,说明,填报值)",
                                 "表头应为“项目,说明,填报值”（或 field,note,value）")});
    return form;
  }
  const auto cell = [](const CsvRow& row, int column) {
    return static_cast<size_t>(column) < row.cells.size() ? row.cells[static_cast<size_t>(column)] : std::string();
  };
  // Attestation parts gathered per return, then per indicator.
  struct Pending {
    std::map<std::string, std::pair<int, std::map<std::string, FormBuilder::Part>>> by_indicator;
  };
  Pending pending;
  const auto flush = [&] {
    for (auto& [indicator, entry] : pending.by_indicator) {
      builder.Attestation(indicator, entry.first, indicator, entry.second);
    }
    pending.by_indicator.clear();
  };
  for (const CsvRow& row : table->rows) {
    const std::string name = cell(row, field_column);
    const std::string value = cell(row, value_column);
    if (name.empty() || absl::StartsWith(name, "#")) continue;
    if (row.cells.size() > table->header.size()) {
      builder.Problem(row.line, name,
                      SayF(form.language,
                           "%d cells where the header has %d: write numbers without thousands "
                           "separators, or put the cell in double quotes",
                           "有 %d 个单元格，表头只有 %d 个：数字不要用千位分隔符，或把该格放在双引号内",
                           row.cells.size(), table->header.size()));
      continue;
    }
    if (Is(name, kDistrictCode)) {
      if (builder.current() == nullptr || !builder.current()->district_code().empty() ||
          builder.origin().fields.count("district_code") != 0) {
        flush();
        builder.Begin(row.line);
      }
      builder.DistrictCode(value, row.line, name);
      continue;
    }
    if (builder.current() == nullptr) builder.Begin(row.line);
    std::string indicator;
    const AttestationPart* part = nullptr;
    if (Is(name, kSchoolYear)) {
      builder.SchoolYear(value, row.line, name);
    } else if (const FactField* field = FindFact(name)) {
      builder.Fact(*field, value, row.line, name);
    } else if (SplitAttestationField(name, &indicator, &part)) {
      auto& entry = pending.by_indicator[indicator];
      if (entry.first == 0) entry.first = row.line;
      if (entry.second.count(part->api) != 0) {
        builder.Problem(row.line, name,
                        SayF(form.language, "given twice (first on line %d)", "重复填写（首次在第 %d 行）",
                             entry.second[part->api].line));
        continue;
      }
      entry.second[part->api] = {value, row.line, name};
    } else if (Is(name, kVetoRow)) {
      if (value.empty()) continue;
      // "kind: evidence" (a full-width colon too).
      std::string normalized = absl::StrReplaceAll(value, {{"：", ":"}});
      std::vector<std::string> kv = absl::StrSplit(normalized, absl::MaxSplits(':', 1));
      builder.Veto(kv[0], kv.size() > 1 ? kv[1] : "", row.line, name);
    } else {
      builder.Problem(row.line, name,
                      Say(form.language, "not a field of the district return form (gzedu returns template lists them)",
                          "不是区县填报表的项目（见 gzedu returns template）"));
    }
  }
  flush();
  return form;
}

CsvProblem LocateViolation(const ReturnsForm& form, const FieldViolation& violation) {
  // "returns[3].facts.junior_graduates" -> 3, "facts.junior_graduates".
  int index = -1;
  std::string path = violation.field;
  if (absl::StartsWith(path, "returns[")) {
    const size_t close = path.find(']');
    if (close != std::string::npos && absl::SimpleAtoi(path.substr(8, close - 8), &index)) {
      path = close + 2 <= path.size() ? path.substr(close + 2) : "";
    }
  }
  if (index < 0 || static_cast<size_t>(index) >= form.origins.size()) {
    return {1, violation.field, violation.description};
  }
  const ReturnOrigin& origin = form.origins[static_cast<size_t>(index)];
  for (std::string at = path; !at.empty();) {
    auto it = origin.fields.find(at);
    if (it != origin.fields.end()) return {it->second.first, it->second.second, violation.description};
    // "attestations[0].date" -> "attestations[0]".
    const size_t cut = at.find_last_of(".");
    at = cut == std::string::npos ? "" : at.substr(0, cut);
  }
  // A field the form left out: named in the form's language, at the
  // return's first line.
  std::string name = path;
  if (absl::StartsWith(path, "facts.")) {
    for (const FactField& field : FactFields()) {
      if (path == absl::StrCat("facts.", field.api)) name = field.zh;
      if (path == absl::StrCat("facts.", field.api) && form.language == FormLanguage::kEnglish) name = field.en;
    }
  } else if (path == "district_code") {
    name = kDistrictCode.In(form.language);
  } else if (path == "school_year") {
    name = kSchoolYear.In(form.language);
  }
  return {origin.line, name, violation.description};
}

void ValidateReturnsForm(ReturnsForm& form) {
  FieldViolations violations;
  std::map<std::pair<std::string, int32_t>, int> seen;
  for (int i = 0; i < form.request.returns_size(); ++i) {
    const v1::DistrictReturn& r = form.request.returns(i);
    const std::string path = absl::StrCat("returns[", i, "]");
    indicators::ValidateDistrictReturn(indicators::FromProto(r), path, violations);
    if (auto [it, inserted] = seen.emplace(std::make_pair(r.district_code(), r.school_year()), i); !inserted) {
      violations.Add(
          path + ".district_code",
          absl::StrFormat("district %s year %d is filled twice in the file", r.district_code(), r.school_year()),
          absl::StrFormat("区县 %s 的 %d 学年在文件中重复填报", r.district_code(), r.school_year()));
    }
  }
  for (const FieldViolation& v : violations.list()) {
    CsvProblem problem = LocateViolation(form, v);
    // The service's own words in the form's language (each violation carries both).
    if (form.language == FormLanguage::kChinese) problem.description = v.description_zh;
    form.problems.push_back(std::move(problem));
  }
}

namespace {

// A CSV cell, quoted when it must be (RFC 4180).
std::string CsvCell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  return absl::StrCat("\"", absl::StrReplaceAll(text, {{"\"", "\"\""}}), "\"");
}

// The shortest decimal text that reads back as `value`.
std::string ShortestDouble(double value) {
  for (int precision = 1; precision <= 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    double back = 0;
    if (absl::SimpleAtod(text, &back) && back == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

std::string YuanText(int64_t fen) {
  const int64_t whole = fen / 100, cents = fen % 100;
  return cents == 0 ? absl::StrCat(whole) : absl::StrFormat("%d.%02d", whole, cents);
}

// The value of `field` in `facts` as the form writes it; empty when absent.
std::string FactText(const FactField& field, const v1::DistrictFacts& facts, bool zh) {
  const auto* descriptor = facts.GetDescriptor()->FindFieldByName(field.api);
  const auto* reflection = facts.GetReflection();
  if (!reflection->HasField(facts, descriptor)) return "";
  switch (field.kind) {
    case Kind::kMoneyYuan:
      return YuanText(reflection->GetInt64(facts, descriptor));
    case Kind::kCount:
    case Kind::kYear:
      return absl::StrCat(reflection->GetInt32(facts, descriptor));
    case Kind::kBool:
      return reflection->GetBool(facts, descriptor) ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    case Kind::kPercent:
    case Kind::kRate:
      return ShortestDouble(reflection->GetDouble(facts, descriptor));
  }
  return "";
}

// A YAML scalar as written on the form: quoted when YAML would read it
// otherwise than as the text.
std::string YamlScalar(const std::string& text) {
  if (text.empty()) return "";
  YAML::Emitter out;
  out << text;
  return out.c_str();
}

std::string IndicatorName(const std::string& id, bool zh) {
  const engine::IndicatorDefinition* d = engine::FindIndicator(id);
  if (d == nullptr) return id;
  return std::string(zh ? d->name_zh : d->name_en);
}

}  // namespace

std::string ReturnsTemplate(const ReturnsTemplateOptions& options, const v1::DistrictReturn* filled) {
  const bool zh = options.language == "zh";
  const FormLanguage language = zh ? FormLanguage::kChinese : FormLanguage::kEnglish;
  const std::string district = filled != nullptr ? filled->district_code() : options.district;
  const int year = filled != nullptr ? filled->school_year() : options.school_year;
  const District* d = FindDistrict(district);
  const std::string district_note = d == nullptr ? std::string(zh ? "6位区县代码，如 440114（花都区）"
                                                                  : "the 6-digit district code, e.g. 440114 (Huadu)")
                                                 : std::string(zh ? d->name_zh : d->name_en);
  const std::string year_note =
      zh ? absl::StrFormat("学年开始的年份：%d 即 %d年9月至%d年8月", year, year, year + 1)
         : absl::StrFormat("the year the school year starts in: %d = %d-09 .. %d-08", year, year, year + 1);
  const v1::DistrictFacts empty_facts;
  const v1::DistrictFacts& facts = filled != nullptr ? filled->facts() : empty_facts;
  const auto attestation_of = [&](const std::string& id) -> const v1::Attestation* {
    if (filled == nullptr) return nullptr;
    for (const v1::Attestation& a : filled->attestations()) {
      if (a.indicator_id() == id) return &a;
    }
    return nullptr;
  };
  const auto part_text = [&](const v1::Attestation* a, const AttestationPart& part) -> std::string {
    if (a == nullptr) return "";
    const std::string api = part.api;
    if (api == "affirmed") return a->affirmed() ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    if (api == "document") return a->document();
    if (api == "url") return a->url();
    if (api == "date") return a->date();
    return a->attested_by();
  };
  const auto part_note = [&](const AttestationPart& part) -> std::string {
    const std::string api = part.api;
    if (api == "affirmed")
      return zh ? "是 / 否（否：本区声明未达到）" : "yes / no (no: the district states it is not met)";
    if (api == "document")
      return zh ? "佐证材料的文号或标题（填“是”时必填）" : "number or title of the evidence (required with yes)";
    if (api == "url") return zh ? "佐证材料公开网址（如有）" : "where the evidence is published, if anywhere";
    if (api == "date") return zh ? "佐证材料日期，YYYY-MM-DD" : "the evidence's date, YYYY-MM-DD";
    return zh ? "认定单位（机构名称，不填个人身份信息）" : "who attests (an office, never a person's ID)";
  };
  const char* kMoneyRule = zh ? "元，最多两位小数" : "yuan, at most two decimals";

  std::string out;
  if (options.format == "csv") {
    absl::StrAppend(&out, kCsvField.In(language), ",", kCsvNote.In(language), ",", kCsvValue.In(language), "\n");
    const auto row = [&](const std::string& name, const std::string& note, const std::string& value) {
      absl::StrAppend(&out, CsvCell(name), ",", CsvCell(note), ",", CsvCell(value), "\n");
    };
    row(kDistrictCode.In(language), district_note, district);
    row(kSchoolYear.In(language), year_note, absl::StrCat(year));
    for (const FactField& field : FactFields()) {
      std::string note = zh ? field.note_zh : field.note_en;
      if (field.kind == Kind::kMoneyYuan) absl::StrAppend(&note, zh ? "；" : "; ", kMoneyRule);
      row(zh ? field.zh : field.en, note, FactText(field, facts, zh));
    }
    for (const std::string& id : indicators::AttestedIndicators()) {
      const v1::Attestation* a = attestation_of(id);
      for (const AttestationPart& part : AttestationParts()) {
        std::string note = part_note(part);
        if (std::string(part.api) == "affirmed")
          note = absl::StrCat(id, " ", IndicatorName(id, zh), zh ? "：" : ": ", note);
        row(absl::StrCat(id, ".", part.name.In(language)), note, part_text(a, part));
      }
    }
    const std::string veto_note = zh ? "一票否决事项（如有），“类型: 依据”，每项一行"
                                     : "a veto (一票否决), if any, as \"kind: evidence\", one row each";
    if (filled != nullptr) {
      for (const v1::Veto& veto : filled->vetoes()) {
        row(kVetoRow.In(language), veto_note, absl::StrCat(veto.kind(), ": ", veto.evidence()));
      }
    }
    row(kVetoRow.In(language), veto_note, "");
    return out;
  }

  // YAML: a comment for every field, values after the colon.
  const auto line = [&](int indent, const std::string& key, const std::string& value, const std::string& comment) {
    std::string text = absl::StrCat(std::string(static_cast<size_t>(indent), ' '), key, ":");
    if (!value.empty()) absl::StrAppend(&text, " ", YamlScalar(value));
    if (!comment.empty()) absl::StrAppend(&text, "  # ", comment);
    absl::StrAppend(&out, text, "\n");
  };
  if (zh) {
    absl::StrAppend(&out,
                    "# 区县义务教育优质均衡发展填报表（导入：gzedu import returns 本文件；先检查：加 --dry-run）\n"
                    "# 填写说明：在冒号后填写；金额以元为单位，最多两位小数（如 1234.56）；人数填整数；\n"
                    "# 是否项填“是”或“否”；百分数可写 92 或 92%；未填报的项留空，相关指标显示为待定。\n");
  } else {
    absl::StrAppend(&out,
                    "# District return (import: gzedu import returns THIS_FILE; check first: add --dry-run)\n"
                    "# Fill in after the colons; money in yuan with at most two decimals (1234.56); counts as\n"
                    "# whole numbers; yes/no fields yes or no (是/否); percentages 92 or 92%. Leave a field\n"
                    "# empty when it is not reported: the indicators that need it are then pending.\n");
  }
  line(0, kDistrictCode.In(language), district, district_note);
  line(0, kSchoolYear.In(language), absl::StrCat(year), year_note);
  line(0, kFacts.In(language), "", zh ? "区县统计数据" : "district statistics");
  for (const FactField& field : FactFields()) {
    std::string note = zh ? field.note_zh : field.note_en;
    if (field.kind == Kind::kMoneyYuan) absl::StrAppend(&note, zh ? "；" : "; ", kMoneyRule);
    absl::StrAppend(&out, "  # ", note, "\n");
    line(2, zh ? field.zh : field.en, FactText(field, facts, zh), "");
  }
  line(0, kAttestations.In(language), "",
       zh ? "认定事项：本区逐项说明是否达到，并注明佐证材料；整项留空即未填报"
          : "attestations: whether each requirement is met, with its evidence; leave one empty if not reported");
  for (const std::string& id : indicators::AttestedIndicators()) {
    absl::StrAppend(&out, "  # ", id, " ", IndicatorName(id, zh), "\n");
    line(2, id, "", "");
    const v1::Attestation* a = attestation_of(id);
    for (const AttestationPart& part : AttestationParts())
      line(4, part.name.In(language), part_text(a, part), part_note(part));
  }
  line(0, kVetoes.In(language), "",
       zh ? "一票否决事项（如有），每项写成：- 类型: ...  换行  依据: ..."
          : "vetoes (一票否决), if any, each as: - kind: ...  newline  evidence: ...");
  if (filled != nullptr) {
    for (const v1::Veto& veto : filled->vetoes()) {
      absl::StrAppend(&out, "  - ", kVetoKind.In(language), ": ", YamlScalar(veto.kind()), "\n");
      absl::StrAppend(&out, "    ", kVetoEvidence.In(language), ": ", YamlScalar(veto.evidence()), "\n");
    }
  }
  return out;
}

}  // namespace gzedu::cli
