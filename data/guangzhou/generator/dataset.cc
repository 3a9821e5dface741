#include "data/guangzhou/generator/dataset.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/engine.h"

namespace gzedu::dataset {
namespace {

using engine::DistrictInput;
using engine::SchoolInput;
using engine::SchoolType;
using engine::SectionInput;

constexpr int kYear = 2024;
constexpr int kPrimary = 0;
constexpr int kJunior = 1;

// A deterministic pseudo-random sequence (SplitMix64): the same on every
// platform, unlike the standard library's distributions.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }  // [0, 1)
  double Between(double low, double high) { return low + (high - low) * Uniform(); }
  int Int(int low, int high) { return low + static_cast<int>(Next() % static_cast<uint64_t>(high - low + 1)); }
  // A permutation of 0..n-1.
  std::vector<size_t> Permutation(size_t n) {
    std::vector<size_t> p(n);
    std::iota(p.begin(), p.end(), 0);
    for (size_t i = n; i > 1; --i) std::swap(p[i - 1], p[Next() % i]);
    return p;
  }

 private:
  uint64_t state_;
};

// Splits `total` into integers proportional to `weights`, each at least
// its minimum (largest remainder: the parts add up exactly).
std::vector<int64_t> SplitInteger(int64_t total, const std::vector<double>& weights,
                                  const std::vector<int64_t>& minimums) {
  std::vector<int64_t> parts = minimums;
  const int64_t remaining = total - std::accumulate(minimums.begin(), minimums.end(), int64_t{0});
  const double weight_sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < parts.size() && weight_sum > 0 && remaining > 0; ++i) {
    const double exact = remaining * weights[i] / weight_sum;
    const auto whole = static_cast<int64_t>(std::floor(exact));
    parts[i] += whole;
    given += whole;
    remainders.push_back({exact - whole, i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < remaining && k < remainders.size(); ++k, ++given) ++parts[remainders[k].second];
  return parts;
}

// ------------------------------------------------------------ the specs --

// How one stage of a district is to look.
struct StageSpec {
  int64_t students = 0;
  int64_t classes = 0;
  int64_t full_time = 0;
  // Totals of the seven numerators, in their units: teachers (R1-R3), m2
  // (R4, R5), yuan (R6), rooms (R7).
  std::array<double, 7> numerator{};
  std::array<double, 7> cv{};  // targets
};

// Sections fixed at a share of a threshold (weak: between 85% and 100%;
// failing: below 85%), by section index within the stage.
struct FixedSections {
  int indicator = 0;  // 0-based R1..R7
  std::vector<size_t> sections;
  double share = 0.87;
};

struct Spec {
  std::string code;
  std::string name_zh;  // 花都区
  std::string town;     // a town name used in school names
  std::string profile;  // what the district shows
  int primary = 0, teaching_points = 0, junior = 0, nine_year = 0, twelve_year = 0, complete = 0, special = 0;
  int private_primary = 0, private_junior = 0, private_nine = 0, private_complete = 0;
  std::array<StageSpec, 2> stage;
  std::vector<int> teaching_point_students;  // fixed sizes; the first < 100 is a rural village point (G6)
  int oversize_primary = 0, oversize_junior = 0, oversize_nine = 0;  // G4
  int g5_primary_count = 0, g5_primary_size = 0, g5_junior_count = 0, g5_junior_size = 0;
  std::vector<FixedSections> fixed_primary, fixed_junior;
  int music_rooms = 0, art_rooms = 0;                         // totals to reach (at least what G3 needs)
  int eligible = 0, rotated = 0, rotated_backbone = 0;        // G11
  int64_t operating_budget_fen = 0, training_budget_fen = 0;  // Q4
  std::vector<int64_t> special_funds_fen;                     // per special-education school (G7)
  std::vector<int> special_students;
  int q4_short_schools = 0;  // schools budgeting only 3% for training
  engine::DistrictFacts facts;
};

double Threshold(int k, int stage) {
  return engine::ResourceThreshold(k, stage == kPrimary ? Stage::kPrimary : Stage::kJunior);
}

// Numerator units per (value x student): value = 100 x teachers / students,
// m2 / student, yuan / student, 100 x rooms / students.
constexpr std::array<double, 7> kPerValueStudent = {0.01, 0.01, 0.01, 1, 1, 1, 0.01};
// The integer grain the numerators are generated in, per natural unit:
// whole teachers, tenths of m2, fen, tenths of rooms.
constexpr std::array<double, 7> kGrain = {1, 1, 1, 10, 10, 100, 10};

// Facts every evaluation needs that the reports do not print: values that
// meet.
void SetUsualFacts(engine::DistrictFacts& f) {
  f.performance_pay_fully_approved = true;
  f.zoned_admission_primary = 1000;
  f.admission_primary_total = 1000;
  f.zoned_admission_junior = 980;
  f.admission_junior_total = 1000;
  f.left_behind_care_system = true;
  f.monitoring_level_iii_or_above = true;
  f.monitoring_difference_rate = 0.10;
  f.social_recognition_percent = 92;
  f.basic_balanced_recognised_year = 2015;
  f.monitoring_kept_high = true;
}

Spec Liwan() {
  Spec s;
  s.code = "440103";
  s.name_zh = "荔湾区";
  s.town = "芳村";
  s.profile =
      "Published inputs of the 2024 self-evaluation report (78 schools; enrolment, teachers, R1-R7 numerators, "
      "G7, G8, G11, G14, G15, Q1, Q2, Q4). CVs are not published (only composites 0.260 / 0.311); the spread "
      "aims at those composites. Meets the standard.";
  s.primary = 44;
  s.junior = 12;
  s.nine_year = 14;
  s.twelve_year = 3;
  s.complete = 5;
  s.special = 2;
  s.private_primary = 1;
  s.private_junior = 1;
  s.private_nine = 11;
  s.stage[kPrimary] = {75935,
                       1899,
                       4406,
                       {4397, 1314, 873, 390300, 581700, 280000000, 2438},
                       {0.25, 0.35, 0.25, 0.14, 0.05, 0.45, 0.33}};
  s.stage[kJunior] = {
      28713, 709, 2429, {2423, 770, 330, 209000, 302000, 169000000, 1258}, {0.25, 0.42, 0.30, 0.30, 0.10, 0.42, 0.38}};
  s.music_rooms = 243;
  s.art_rooms = 223;
  s.eligible = 1753;
  s.rotated = 247;
  s.rotated_backbone = 113;
  s.operating_budget_fen = 20247950000;
  s.training_budget_fen = 1048200000;
  s.special_funds_fen = {269925000, 269925000};
  s.special_students = {273, 273};
  engine::DistrictFacts& f = s.facts;
  SetUsualFacts(f);
  f.operating_base_per_student_primary_fen = 200000;
  f.operating_base_per_student_junior_fen = 340000;
  f.teacher_average_pay_yuan = 266196;
  f.civil_servant_average_pay_yuan = 265512;
  f.quota_total_places = 3428;
  f.quota_allocated_places = 1715;
  f.migrant_children_eligible = 28898;
  f.migrant_children_in_public_schools = 16584;
  f.migrant_children_in_purchased_places = 12314;
  f.junior_graduates = 9540;
  f.junior_cohort_enrolled = 9850;
  f.junior_transferred_in = 170;
  f.junior_transferred_out = 479;
  f.junior_deaths = 1;
  f.disabled_school_age_children = 154;
  f.disabled_deferred = 0;
  f.disabled_enrolled = 154;
  f.operating_budget_fen = s.operating_budget_fen;
  f.training_budget_fen = s.training_budget_fen;
  return s;
}

Spec Huadu() {
  Spec s;
  s.code = "440114";
  s.name_zh = "花都区";
  s.town = "新华";
  s.profile =
      "Published inputs of the 2024 self-evaluation report (196 schools, 167 primary and 58 junior sections, "
      "R1-R7 numerators and CVs, G4 and G5 violations, G6, G7, G8, G11, G14, G15, Q1, Q2, Q4). Strictly it "
      "does not meet: G4, G5, G14 (48.23%) and Q2 (93.61%); under its own conventions G14 and Q2 meet.";
  s.primary = 134;
  s.teaching_points = 4;
  s.junior = 23;
  s.nine_year = 28;
  s.twelve_year = 1;
  s.complete = 6;
  s.special = 1;
  s.private_primary = 20;
  s.private_nine = 18;
  s.private_complete = 1;
  s.stage[kPrimary] = {157296,
                       3890,
                       8433,
                       {8429, 2774, 1595, 946074, 1673514, 398710000, 5628.6},
                       {0.139, 0.415, 0.157, 0.446, 0.438, 0.247, 0.354}};
  s.stage[kJunior] = {57780,
                      1295,
                      4086,
                      {4067, 1231, 575, 480919, 810382, 194220000, 2054.3},
                      {0.123, 0.438, 0.134, 0.384, 0.390, 0.323, 0.348}};
  s.teaching_point_students = {77, 120, 130, 140};
  s.oversize_primary = 8;
  s.oversize_junior = 3;
  s.oversize_nine = 6;
  s.g5_primary_count = 4;
  s.g5_primary_size = 46;
  s.g5_junior_count = 3;
  s.g5_junior_size = 54;
  // R3: 164 primary sections meet, 3 reach 85%; 57 junior meet, 1 reaches 85%.
  s.fixed_primary = {{2, {20, 60, 100}, 0.87}};
  s.fixed_junior = {{2, {30}, 0.87}};
  s.music_rooms = 576;
  s.art_rooms = 567;
  s.eligible = 1670;
  s.rotated = 324;
  s.rotated_backbone = 118;
  s.operating_budget_fen = 71658730000;
  s.training_budget_fen = 4786220000;
  s.special_funds_fen = {573298000};
  s.special_students = {674};
  engine::DistrictFacts& f = s.facts;
  SetUsualFacts(f);
  f.operating_base_per_student_primary_fen = 115000;
  f.operating_base_per_student_junior_fen = 195000;
  f.teacher_average_pay_yuan = 24165;
  f.civil_servant_average_pay_yuan = 24161;
  f.quota_total_places = 4228;
  f.quota_hk_macao_class_places = 150;
  f.quota_allocated_places = 2039;
  f.migrant_children_eligible = 74762;
  f.migrant_children_in_public_schools = 37458;
  f.migrant_children_in_purchased_places = 37304;
  // Q1: the report prints the cohort, deaths and dropouts; graduates and
  // transfers (for the default cohort formula) are this dataset's.
  f.junior_cohort_enrolled = 18061;
  f.junior_deaths = 11;
  f.junior_dropouts = 0;
  f.junior_graduates = 17950;
  f.junior_transferred_in = 210;
  f.junior_transferred_out = 240;
  f.disabled_school_age_children = 642;
  f.disabled_deferred = 25;
  f.disabled_enrolled = 601;
  f.operating_budget_fen = s.operating_budget_fen;
  f.training_budget_fen = s.training_budget_fen;
  return s;
}

// An invented district: `ratios` are the district values over the
// thresholds, per stage and indicator.
Spec Invented(const std::string& code, const std::string& name, const std::string& town, int primary, int junior,
              int nine_year, int primary_students_each, int junior_students_each, std::array<double, 7> ratios_p,
              std::array<double, 7> ratios_j, std::array<double, 7> cv_p, std::array<double, 7> cv_j) {
  Spec s;
  s.code = code;
  s.name_zh = name;
  s.town = town;
  s.primary = primary;
  s.junior = junior;
  s.nine_year = nine_year;
  s.special = 1;
  s.private_primary = primary / 8;
  s.private_nine = nine_year / 3;
  const std::array<std::array<double, 7>, 2> ratios = {ratios_p, ratios_j};
  const std::array<std::array<double, 7>, 2> cvs = {cv_p, cv_j};
  for (int st : {kPrimary, kJunior}) {
    StageSpec& g = s.stage[st];
    const int sections = st == kPrimary ? primary + nine_year : junior + nine_year;
    g.students = static_cast<int64_t>(sections) * (st == kPrimary ? primary_students_each : junior_students_each);
    g.classes = (g.students + (st == kPrimary ? 39 : 42)) / (st == kPrimary ? 40 : 43);
    for (int k = 0; k < 7; ++k) {
      const double total = ratios[st][k] * Threshold(k, st) * g.students * kPerValueStudent[k];
      g.numerator[k] = k == 6 ? std::round(total * 10) / 10 : std::round(total);
      g.cv[k] = cvs[st][k];
    }
    g.full_time = static_cast<int64_t>(g.numerator[0] * 1.02) + 3;
  }
  s.music_rooms = 0;
  s.art_rooms = 0;
  const int64_t students = s.stage[0].students + s.stage[1].students;
  s.eligible = static_cast<int>((s.stage[0].full_time + s.stage[1].full_time) * 0.14);
  s.rotated = static_cast<int>(s.eligible * 0.13);
  s.rotated_backbone = static_cast<int>(s.rotated * 0.32);
  s.operating_budget_fen = students * 140000;
  s.training_budget_fen = s.operating_budget_fen * 6 / 100;
  s.special_students = {180};
  s.special_funds_fen = {180 * 780000};
  engine::DistrictFacts& f = s.facts;
  SetUsualFacts(f);
  f.operating_base_per_student_primary_fen = 115000;
  f.operating_base_per_student_junior_fen = 195000;
  f.teacher_average_pay_yuan = 23800;
  f.civil_servant_average_pay_yuan = 23650;
  f.quota_total_places = static_cast<int32_t>(s.stage[1].students / 12);
  f.quota_allocated_places = *f.quota_total_places / 2 + 20;
  f.migrant_children_eligible = static_cast<int32_t>(students / 4);
  f.migrant_children_in_public_schools = *f.migrant_children_eligible * 6 / 10;
  f.migrant_children_in_purchased_places = *f.migrant_children_eligible - *f.migrant_children_in_public_schools - 40;
  f.junior_cohort_enrolled = static_cast<int32_t>(s.stage[1].students / 3);
  f.junior_transferred_in = 120;
  f.junior_transferred_out = 150;
  f.junior_deaths = 2;
  f.junior_dropouts = 0;
  f.junior_graduates = *f.junior_cohort_enrolled + 120 - 150 - 2 - 15;
  f.disabled_school_age_children = static_cast<int32_t>(students / 500);
  f.disabled_deferred = 3;
  f.disabled_enrolled = *f.disabled_school_age_children - 3;
  f.basic_balanced_recognised_year = 2016;
  return s;
}

std::vector<Spec> Specs() {
  constexpr std::array<double, 7> kCvP = {0.12, 0.30, 0.18, 0.22, 0.25, 0.30, 0.24};
  constexpr std::array<double, 7> kCvJ = {0.11, 0.32, 0.16, 0.20, 0.24, 0.28, 0.22};
  std::vector<Spec> specs;
  specs.push_back(Liwan());

  Spec yuexiu = Invented("440104", "越秀区", "北京", 38, 14, 6, 1050, 980, {1.55, 2.1, 1.45, 1.35, 1.3, 2.2, 1.6},
                         {1.5, 2.3, 1.4, 1.4, 1.3, 2.4, 1.7}, kCvP, kCvJ);
  yuexiu.profile = "Invented. Central, well resourced: meets the standard.";
  specs.push_back(yuexiu);

  Spec haizhu = Invented("440105", "海珠区", "江南", 52, 18, 8, 980, 950, {1.45, 1.9, 1.4, 1.3, 1.25, 1.9, 1.5},
                         {1.45, 2.0, 1.35, 1.35, 1.25, 2.0, 1.55}, kCvP, kCvJ);
  haizhu.profile = "Invented. Meets the standard.";
  specs.push_back(haizhu);

  Spec tianhe = Invented("440106", "天河区", "石牌", 60, 20, 10, 1150, 1000, {1.5, 2.2, 1.5, 1.3, 1.25, 2.5, 1.7},
                         {1.5, 2.4, 1.45, 1.3, 1.25, 2.6, 1.8}, kCvP, kCvJ);
  tianhe.profile =
      "Invented. Resources meet, but two primary schools are over 2000 students (G4) and some "
      "classes are over size (G5: 48 in primary, 53 in junior).";
  tianhe.oversize_primary = 2;
  tianhe.g5_primary_count = 6;
  tianhe.g5_primary_size = 48;
  tianhe.g5_junior_count = 2;
  tianhe.g5_junior_size = 53;
  specs.push_back(tianhe);

  Spec baiyun = Invented("440111", "白云区", "京溪", 70, 24, 12, 1000, 940, {1.35, 1.7, 1.3, 1.15, 0.93, 1.6, 1.35},
                         {1.35, 1.8, 1.3, 1.2, 0.94, 1.7, 1.4}, {0.12, 0.30, 0.18, 0.06, 0.03, 0.30, 0.24},
                         {0.11, 0.32, 0.16, 0.06, 0.03, 0.28, 0.22});
  baiyun.profile =
      "Invented. Dense and growing: sports area per student below 7.5 m2 (primary) and 10.2 m2 "
      "(junior), so R5 fails in both stages while every section still passes the per-section rule.";
  specs.push_back(baiyun);

  Spec huangpu = Invented("440112", "黄埔区", "大沙", 40, 14, 8, 950, 900, {1.4, 1.8, 1.35, 1.3, 1.3, 2.0, 1.5},
                          {1.4, 1.9, 1.3, 1.3, 1.3, 2.1, 1.5}, kCvP, kCvJ);
  huangpu.profile = "Invented. Resources meet; too few backbone teachers among those rotated (G11: 15% < 20%).";
  huangpu.rotated_backbone = static_cast<int>(huangpu.rotated * 0.15);
  specs.push_back(huangpu);

  Spec panyu = Invented("440113", "番禺区", "市桥", 66, 22, 12, 1020, 960, {1.45, 1.9, 1.4, 1.3, 1.3, 2.0, 1.5},
                        {1.45, 2.2, 1.35, 1.3, 1.3, 2.1, 1.5}, kCvP, {0.11, 0.52, 0.16, 0.20, 0.24, 0.28, 0.22});
  panyu.profile = "Invented. Backbone teachers are concentrated in a few junior schools: R2 junior CV above 0.45.";
  specs.push_back(panyu);

  specs.push_back(Huadu());

  Spec nansha = Invented("440115", "南沙区", "黄阁", 34, 12, 8, 900, 880, {1.4, 1.8, 1.35, 1.35, 1.35, 1.9, 1.45},
                         {1.4, 1.9, 1.3, 1.35, 1.35, 2.0, 1.5}, kCvP, kCvJ);
  nansha.profile =
      "Invented. Two schools budget only 3% of their operating funds for training (Q4), and the "
      "social recognition survey reached 88% (meets S1).";
  nansha.q4_short_schools = 2;
  nansha.facts.social_recognition_percent = 88;
  specs.push_back(nansha);

  Spec conghua = Invented("440117", "从化区", "街口", 36, 10, 6, 620, 700, {1.35, 1.6, 1.3, 1.4, 1.5, 1.6, 1.5},
                          {1.35, 1.7, 1.3, 1.4, 1.5, 1.7, 1.5}, {0.12, 0.30, 0.18, 0.22, 0.25, 0.30, 0.56}, kCvJ);
  conghua.profile =
      "Invented. Rural: multimedia classrooms very unevenly spread (R7 primary CV above 0.50), "
      "and nearby zoned junior admission at 93% (G13). Two village teaching points are funded as "
      "100 students (G6 meets).";
  conghua.teaching_points = 3;
  conghua.teaching_point_students = {62, 85, 150};
  conghua.facts.zoned_admission_junior = 930;
  specs.push_back(conghua);

  Spec zengcheng = Invented("440118", "增城区", "荔城", 58, 18, 10, 900, 880, {1.4, 1.8, 1.35, 1.3, 1.3, 1.9, 1.45},
                            {1.4, 1.9, 1.3, 1.3, 1.3, 2.0, 1.5}, kCvP, kCvJ);
  zengcheng.profile =
      "Invented. Three primary sections have less than 85% of the teaching-area standard (they "
      "fail the per-section rule), and the enrolment rate of disabled children is 93% (Q2).";
  zengcheng.fixed_primary = {{3, {5, 25, 45}, 0.78}};
  zengcheng.facts.disabled_enrolled = *zengcheng.facts.disabled_school_age_children * 93 / 100;
  zengcheng.facts.disabled_deferred = 0;
  specs.push_back(zengcheng);
  return specs;
}

// --------------------------------------------------------- the building --

const char* TypeWord(SchoolType type) {
  switch (type) {
    case SchoolType::kPrimary:
      return "小学";
    case SchoolType::kJunior:
      return "中学";
    case SchoolType::kNineYear:
      return "九年一贯制学校";
    case SchoolType::kTwelveYear:
      return "实验学校";
    case SchoolType::kCompleteMiddle:
      return "中学";
    case SchoolType::kTeachingPoint:
      return "教学点";
    case SchoolType::kSpecialEducation:
      return "启智学校";
  }
  return "学校";
}

void AddSchools(DistrictInput& input, const Spec& spec, SchoolType type, int count, int private_count, Random& rng) {
  static const char* kNames[] = {"实验", "育才", "东风", "培英", "新华", "金华", "龙溪", "凤凰", "云山", "桂花",
                                 "榕树", "朝阳", "文昌", "南苑", "北苑", "青云", "明德", "博雅", "启明", "星海"};
  for (int i = 0; i < count; ++i) {
    SchoolInput school;
    const size_t n = input.schools.size() + 1;
    school.school_code = absl::StrFormat("21%s%04d", spec.code.substr(2), n);
    const std::string stem = absl::StrCat(kNames[(n * 7) % 20], n > 20 ? absl::StrCat("第", n / 20 + 1) : "");
    school.name = type == SchoolType::kTeachingPoint
                      ? absl::StrCat("广州市", spec.name_zh, spec.town, "镇", kNames[n % 20], "村教学点")
                      : absl::StrCat("广州市", spec.name_zh, stem, TypeWord(type));
    school.type = type;
    school.ownership = i < private_count ? engine::Ownership::kPrivate : engine::Ownership::kPublic;
    school.locale = rng.Uniform() < 0.8 ? engine::Locale::kUrban : engine::Locale::kTown;
    school.boarding = type == SchoolType::kCompleteMiddle || type == SchoolType::kTwelveYear;
    school.build_year = rng.Int(1950, 2019);
    const bool primary = type == SchoolType::kPrimary || type == SchoolType::kTeachingPoint ||
                         type == SchoolType::kNineYear || type == SchoolType::kTwelveYear;
    const bool junior = type == SchoolType::kJunior || type == SchoolType::kCompleteMiddle ||
                        type == SchoolType::kNineYear || type == SchoolType::kTwelveYear;
    if (primary)
      school.sections.push_back(SectionInput{Stage::kPrimary, 0, 0, {}, engine::TeacherCounts{}, std::nullopt});
    if (junior)
      school.sections.push_back(SectionInput{Stage::kJunior, 0, 0, {}, engine::TeacherCounts{}, std::nullopt});
    input.schools.push_back(std::move(school));
  }
}

struct Ref {
  size_t school;
  size_t section;
};

std::vector<Ref> SectionsOf(const DistrictInput& input, Stage stage) {
  std::vector<Ref> refs;
  for (size_t s = 0; s < input.schools.size(); ++s) {
    for (size_t k = 0; k < input.schools[s].sections.size(); ++k) {
      if (input.schools[s].sections[k].stage == stage) refs.push_back({s, k});
    }
  }
  return refs;
}

SectionInput& At(DistrictInput& input, const Ref& r) { return input.schools[r.school].sections[r.section]; }

int32_t SchoolStudents(const SchoolInput& school) {
  int32_t n = 0;
  for (const SectionInput& s : school.sections) n += s.students;
  return n;
}

// Students per section: the designed ones (G4's oversize schools, the
// teaching points) fixed, the rest spread with +-30% variation; then no
// school that is not meant to be oversize is left over its G4 limit.
void SpreadStudents(DistrictInput& input, const Spec& spec, Random& rng) {
  std::set<size_t> oversize;
  int primary_seen = 0, junior_seen = 0, nine_seen = 0, points_seen = 0;
  for (size_t s = 0; s < input.schools.size(); ++s) {
    SchoolInput& school = input.schools[s];
    if (school.type == SchoolType::kTeachingPoint) {
      school.sections[0].students = spec.teaching_point_students[points_seen];
      // A teaching point under 100 pupils is a village one (G6 applies).
      if (spec.teaching_point_students[points_seen] < 100) school.locale = engine::Locale::kRural;
      ++points_seen;
    } else if (school.type == SchoolType::kPrimary && primary_seen++ < spec.oversize_primary) {
      school.sections[0].students = 2100 + 40 * primary_seen;
      oversize.insert(s);
    } else if (school.type == SchoolType::kJunior && junior_seen++ < spec.oversize_junior) {
      school.sections[0].students = 2080 + 30 * junior_seen;
      oversize.insert(s);
    } else if (school.type == SchoolType::kNineYear && nine_seen++ < spec.oversize_nine) {
      school.sections[0].students = 1500;
      school.sections[1].students = 1100;
      oversize.insert(s);
    }
  }
  for (int st : {kPrimary, kJunior}) {
    const std::vector<Ref> refs = SectionsOf(input, st == kPrimary ? Stage::kPrimary : Stage::kJunior);
    std::vector<Ref> free;
    int64_t fixed = 0;
    for (const Ref& r : refs) {
      if (At(input, r).students > 0) {
        fixed += At(input, r).students;
      } else {
        free.push_back(r);
      }
    }
    std::vector<double> weights;
    for (size_t i = 0; i < free.size(); ++i) weights.push_back(rng.Between(0.7, 1.3));
    const std::vector<int64_t> parts =
        SplitInteger(spec.stage[st].students - fixed, weights, std::vector<int64_t>(free.size(), 60));
    for (size_t i = 0; i < free.size(); ++i) At(input, free[i]).students = static_cast<int32_t>(parts[i]);
  }
  // G4 limits for the schools not meant to break them: move the excess to
  // the smallest section of the same stage that has room.
  for (size_t s = 0; s < input.schools.size(); ++s) {
    if (oversize.count(s) > 0) continue;
    SchoolInput& school = input.schools[s];
    const bool nine = school.type == SchoolType::kNineYear || school.type == SchoolType::kTwelveYear;
    const int32_t limit = nine ? 2450 : 1950;
    while (SchoolStudents(school) > limit) {
      SectionInput& big = *std::max_element(school.sections.begin(), school.sections.end(),
                                            [](const auto& a, const auto& b) { return a.students < b.students; });
      const int32_t excess = std::min(SchoolStudents(school) - limit, 200);
      SectionInput* target = nullptr;
      for (size_t o = 0; o < input.schools.size(); ++o) {
        if (o == s || oversize.count(o) > 0 || input.schools[o].type == SchoolType::kTeachingPoint) continue;
        for (SectionInput& other : input.schools[o].sections) {
          if (other.stage != big.stage) continue;
          const bool other_nine =
              input.schools[o].type == SchoolType::kNineYear || input.schools[o].type == SchoolType::kTwelveYear;
          if (SchoolStudents(input.schools[o]) + excess > (other_nine ? 2300 : 1800)) continue;
          if (target == nullptr || other.students < target->students) target = &other;
        }
      }
      if (target == nullptr) break;
      big.students -= excess;
      target->students += excess;
    }
  }
}

// Classes in proportion to students, sizes as even as possible; then G5's
// oversize classes where the spec wants them.
void SpreadClasses(DistrictInput& input, const Spec& spec) {
  for (int st : {kPrimary, kJunior}) {
    const std::vector<Ref> refs = SectionsOf(input, st == kPrimary ? Stage::kPrimary : Stage::kJunior);
    std::vector<double> weights;
    for (const Ref& r : refs) weights.push_back(At(input, r).students);
    const std::vector<int64_t> classes =
        SplitInteger(spec.stage[st].classes, weights, std::vector<int64_t>(refs.size(), 1));
    for (size_t i = 0; i < refs.size(); ++i) {
      SectionInput& section = At(input, refs[i]);
      section.classes = static_cast<int32_t>(classes[i]);
      section.class_sizes.clear();
      for (int32_t c = 0; c < section.classes; ++c) {
        section.class_sizes.push_back(section.students / section.classes + (c < section.students % section.classes));
      }
    }
    const int count = st == kPrimary ? spec.g5_primary_count : spec.g5_junior_count;
    const int size = st == kPrimary ? spec.g5_primary_size : spec.g5_junior_size;
    if (count == 0) continue;
    // In a section whose other classes stay within the limit.
    SectionInput& section = At(input, refs[refs.size() / 3]);
    const int rest_students = section.students - count * size;
    const int rest_classes = section.classes - count;
    section.class_sizes.clear();
    for (int c = 0; c < count; ++c) section.class_sizes.push_back(size);
    for (int c = 0; c < rest_classes; ++c) {
      section.class_sizes.push_back(rest_students / rest_classes + (c < rest_students % rest_classes));
    }
  }
}

double WeightedCv(const std::vector<double>& values, const std::vector<double>& weights) {
  double p = 0, mean = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    p += weights[i];
    mean += weights[i] * values[i];
  }
  mean /= p;
  double variance = 0;
  for (size_t i = 0; i < values.size(); ++i) variance += weights[i] / p * (values[i] - mean) * (values[i] - mean);
  return mean > 0 ? std::sqrt(variance) / mean : 0;
}

// The per-section numerators (in grain units) of one indicator and stage:
// adding up to `total_units`, every free section at or above `floor_value`
// (the threshold, or 87% of it for an indicator allowed to relax), fixed
// sections at their share of the threshold, and the enrolment-weighted CV
// close to `cv_target` (values shaped u^p: a floor near the threshold and
// a long upper tail, as real districts have).
std::vector<int64_t> Distribute(const std::vector<int64_t>& students, int64_t total_units, double units_per_value,
                                double cv_target, double floor_value, const std::map<size_t, double>& fixed,
                                Random& rng) {
  const size_t n = students.size();
  std::vector<double> weights(students.begin(), students.end());
  const double p_total = std::accumulate(weights.begin(), weights.end(), 0.0);
  const double mean = total_units / (units_per_value * p_total);
  const std::vector<size_t> order = rng.Permutation(n);
  std::vector<double> u(n);
  for (size_t i = 0; i < n; ++i) u[i] = (order[i] + 0.5) / n;

  const auto integerise = [&](const std::vector<double>& values) {
    std::vector<int64_t> units(n);
    std::vector<int64_t> minimum(n);
    for (size_t i = 0; i < n; ++i) {
      const double floor_i = fixed.count(i) ? fixed.at(i) : floor_value;
      minimum[i] = static_cast<int64_t>(std::ceil(floor_i * students[i] * units_per_value - 1e-9));
      units[i] = std::max(minimum[i], static_cast<int64_t>(std::llround(values[i] * students[i] * units_per_value)));
      if (fixed.count(i)) units[i] = minimum[i];
    }
    int64_t diff = total_units - std::accumulate(units.begin(), units.end(), int64_t{0});
    // Add to (or take from) the free sections in proportion to what they
    // have above their minimum; never below it.
    while (diff != 0) {
      std::vector<double> slack(n, 0);
      double slack_sum = 0;
      for (size_t i = 0; i < n; ++i) {
        if (fixed.count(i)) continue;
        slack[i] = diff > 0 ? static_cast<double>(units[i]) : static_cast<double>(units[i] - minimum[i]);
        slack_sum += slack[i];
      }
      if (slack_sum <= 0) break;
      const int64_t step = diff > 0 ? diff : std::max<int64_t>(diff, -static_cast<int64_t>(slack_sum));
      const std::vector<int64_t> parts = SplitInteger(std::llabs(step), slack, std::vector<int64_t>(n, 0));
      for (size_t i = 0; i < n; ++i) {
        const int64_t change = diff > 0 ? parts[i] : -std::min(parts[i], units[i] - minimum[i]);
        units[i] += change;
        diff -= change;
      }
    }
    return units;
  };
  const auto values_of = [&](const std::vector<int64_t>& units) {
    std::vector<double> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = units[i] / (students[i] * units_per_value);
    return values;
  };

  double aim = cv_target;
  std::vector<int64_t> best;
  double best_error = std::numeric_limits<double>::infinity();
  for (int round = 0; round < 12; ++round) {
    // Fixed sections first: their weight, mean and spread.
    double w_fixed = 0, m_fixed = 0, q_fixed = 0;
    for (const auto& [i, value] : fixed) {
      w_fixed += weights[i] / p_total;
      m_fixed += weights[i] / p_total * value;
      q_fixed += weights[i] / p_total * value * value;
    }
    const double w_free = 1 - w_fixed;
    const double mean_free = (mean - m_fixed) / w_free;
    // E[X^2] overall = (aim*mean)^2 + mean^2; the free part supplies the rest.
    const double q_free = ((aim * mean) * (aim * mean) + mean * mean - q_fixed) / w_free;
    const double var_free = std::max(0.0, q_free - mean_free * mean_free);
    std::vector<double> values(n, 0);
    for (double power = 1; power <= 14; power += 0.5) {
      double mw = 0, qw = 0;
      for (size_t i = 0; i < n; ++i) {
        if (fixed.count(i)) continue;
        const double w = std::pow(u[i], power);
        mw += weights[i] / (p_total * w_free) * w;
        qw += weights[i] / (p_total * w_free) * w * w;
      }
      const double sd_w = std::sqrt(std::max(1e-12, qw - mw * mw));
      const double scale = std::sqrt(var_free) / sd_w;
      const double low = mean_free - scale * mw;
      for (size_t i = 0; i < n; ++i) values[i] = fixed.count(i) ? fixed.at(i) : low + scale * std::pow(u[i], power);
      if (low >= floor_value * 1.002) break;
      if (power >= 14) {
        for (size_t i = 0; i < n; ++i) {
          if (!fixed.count(i)) values[i] = std::max(values[i], floor_value * 1.002);
        }
      }
    }
    std::vector<int64_t> units = integerise(values);
    const double cv = WeightedCv(values_of(units), weights);
    const double error = std::fabs(cv - cv_target);
    if (error < best_error) {
      best_error = error;
      best = units;
    }
    if (error < 0.004) break;
    aim = std::max(0.0, aim + (cv_target - cv));
  }
  return best;
}

// Sets the seven numerators of every section of one stage.
void SpreadResources(DistrictInput& input, const Spec& spec, int st, Random& rng) {
  const Stage stage = st == kPrimary ? Stage::kPrimary : Stage::kJunior;
  const std::vector<Ref> refs = SectionsOf(input, stage);
  std::vector<int64_t> students;
  for (const Ref& r : refs) students.push_back(At(input, r).students);
  const StageSpec& g = spec.stage[st];
  // The tightest indicator (district value nearest its threshold) may sit
  // at 85%-100% of it in some sections; the others meet it everywhere.
  int tightest = -1;
  double tightest_ratio = 1.1;
  std::array<double, 7> ratio{};
  for (int k = 0; k < 7; ++k) {
    ratio[k] = g.numerator[k] / (kPerValueStudent[k] * g.students) / Threshold(k, st);
    if (ratio[k] < tightest_ratio) {
      tightest_ratio = ratio[k];
      tightest = k;
    }
  }
  std::array<std::vector<int64_t>, 7> units;
  for (int k = 0; k < 7; ++k) {
    std::map<size_t, double> fixed;
    for (const FixedSections& f : st == kPrimary ? spec.fixed_primary : spec.fixed_junior) {
      if (f.indicator != k) continue;
      for (size_t i : f.sections) fixed[i] = f.share * Threshold(k, st);
    }
    const double floor_value = Threshold(k, st) * (k == tightest ? 0.865 : 1.0);
    const auto total = static_cast<int64_t>(std::llround(g.numerator[k] * kGrain[k]));
    units[k] = Distribute(students, total, kGrain[k] * kPerValueStudent[k], g.cv[k], floor_value, fixed, rng);
  }
  // Full-time teachers: those above the required qualification plus the
  // rest in proportion to students; then no count above the full-time one.
  std::vector<double> weights(students.begin(), students.end());
  const std::vector<int64_t> extra =
      SplitInteger(g.full_time - std::accumulate(units[0].begin(), units[0].end(), int64_t{0}), weights,
                   std::vector<int64_t>(refs.size(), 0));
  // A section cannot have more backbone (or PE and arts) teachers than
  // full-time ones: the excess goes to the sections with room, so the
  // district totals stay as published.
  for (int k : {1, 2}) {
    int64_t excess = 0;
    for (size_t i = 0; i < refs.size(); ++i) {
      const int64_t full_time = units[0][i] + extra[i];
      if (units[k][i] > full_time) {
        excess += units[k][i] - full_time;
        units[k][i] = full_time;
      }
    }
    for (size_t i = 0; excess > 0 && i < refs.size(); ++i) {
      const int64_t room = std::min(excess, units[0][i] + extra[i] - units[k][i]);
      units[k][i] += room;
      excess -= room;
    }
  }
  for (size_t i = 0; i < refs.size(); ++i) {
    SectionInput& section = At(input, refs[i]);
    engine::TeacherCounts& t = *section.teachers;
    t.above_required_qualification = static_cast<int32_t>(units[0][i]);
    t.full_time = static_cast<int32_t>(units[0][i] + extra[i]);
    t.backbone_county_or_above = static_cast<int32_t>(units[1][i]);
    t.pe_music_art = static_cast<int32_t>(units[2][i]);
    t.certified = t.full_time;
    t.training_complete = t.full_time;
    engine::Facilities f;
    f.teaching_area_m2 = units[3][i] / 10.0;
    f.sports_area_m2 = units[4][i] / 10.0;
    f.equipment_value_fen = units[5][i];
    f.multimedia_rooms = units[6][i] / 10.0;
    section.facilities = f;
  }
}

// Music and art rooms: what G3 needs per school (one per 12 classes), then
// the rest of the district's published total to the largest schools.
void GiveArtsRooms(DistrictInput& input, const Spec& spec, Random& rng) {
  std::vector<size_t> order;
  int needed_total = 0;
  std::vector<int> needed(input.schools.size(), 0);
  for (size_t s = 0; s < input.schools.size(); ++s) {
    int classes = 0;
    for (const SectionInput& section : input.schools[s].sections) classes += section.classes;
    if (input.schools[s].sections.empty()) continue;
    needed[s] = std::max(1, (classes + 11) / 12);
    needed_total += needed[s];
    order.push_back(s);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return needed[a] > needed[b]; });
  for (bool music : {true, false}) {
    int extra = std::max(0, (music ? spec.music_rooms : spec.art_rooms) - needed_total);
    for (size_t s = 0; s < input.schools.size(); ++s) {
      if (needed[s] == 0) continue;
      std::vector<double>& areas = music ? input.schools[s].music_room_areas_m2 : input.schools[s].art_room_areas_m2;
      for (int r = 0; r < needed[s]; ++r) areas.push_back(std::round(rng.Between(music ? 96 : 90, 120) * 10) / 10);
    }
    for (size_t k = 0; extra > 0 && !order.empty(); ++k, --extra) {
      std::vector<double>& areas = music ? input.schools[order[k % order.size()]].music_room_areas_m2
                                         : input.schools[order[k % order.size()]].art_room_areas_m2;
      areas.push_back(std::round(rng.Between(music ? 96 : 90, 120) * 10) / 10);
    }
  }
}

// Funding per school: operating budgets in proportion to students (the
// special-education schools' and the small village schools' as designed),
// training budgets at the district's ratio, everything posted (funds =
// budget).
void SetFunding(DistrictInput& input, const Spec& spec) {
  std::vector<size_t> ordinary;
  std::vector<double> weights;
  int64_t designed = 0;
  int special_seen = 0;
  for (size_t s = 0; s < input.schools.size(); ++s) {
    SchoolInput& school = input.schools[s];
    if (school.type == SchoolType::kSpecialEducation) {
      school.special_education_students = spec.special_students[special_seen];
      school.funding.operating_budget_fen = spec.special_funds_fen[special_seen];
      ++special_seen;
      designed += *school.funding.operating_budget_fen;
    } else if (school.locale == engine::Locale::kRural && SchoolStudents(school) < 100) {
      // G6: funded as 100 students, and a little more.
      school.funding.operating_budget_fen = 100 * *spec.facts.operating_base_per_student_primary_fen + 500000;
      designed += *school.funding.operating_budget_fen;
    } else {
      ordinary.push_back(s);
      weights.push_back(SchoolStudents(school));
    }
  }
  const std::vector<int64_t> operating =
      SplitInteger(spec.operating_budget_fen - designed, weights, std::vector<int64_t>(ordinary.size(), 0));
  for (size_t i = 0; i < ordinary.size(); ++i) input.schools[ordinary[i]].funding.operating_budget_fen = operating[i];
  std::vector<double> budget_weights;
  for (const SchoolInput& school : input.schools) {
    budget_weights.push_back(static_cast<double>(*school.funding.operating_budget_fen));
  }
  std::vector<int64_t> training =
      SplitInteger(spec.training_budget_fen, budget_weights, std::vector<int64_t>(input.schools.size(), 0));
  // Q4 failures by design: the first ordinary schools budget 3%, the
  // difference going to the largest school.
  for (int k = 0; k < spec.q4_short_schools && k < static_cast<int>(ordinary.size()); ++k) {
    const size_t s = ordinary[k];
    const int64_t short_budget = *input.schools[s].funding.operating_budget_fen * 3 / 100;
    training[ordinary.back()] += training[s] - short_budget;
    training[s] = short_budget;
  }
  for (size_t s = 0; s < input.schools.size(); ++s) {
    SchoolInput& school = input.schools[s];
    school.funding.training_budget_fen = training[s];
    school.funding.operating_funds_fen = school.funding.operating_budget_fen;
  }
}

// The shared facilities of each school: the sum of its sections' own.
void SetSharedFacilities(DistrictInput& input) {
  for (SchoolInput& school : input.schools) {
    engine::Facilities sum;
    for (const SectionInput& section : school.sections) {
      sum.teaching_area_m2 += section.facilities->teaching_area_m2;
      sum.sports_area_m2 += section.facilities->sports_area_m2;
      sum.equipment_value_fen += section.facilities->equipment_value_fen;
      sum.multimedia_rooms += section.facilities->multimedia_rooms;
    }
    sum.teaching_area_m2 = std::round(sum.teaching_area_m2 * 10) / 10;
    sum.sports_area_m2 = std::round(sum.sports_area_m2 * 10) / 10;
    sum.multimedia_rooms = std::floor(sum.multimedia_rooms + 1e-9);
    school.shared_facilities = sum;
  }
}

// The roster: one row per full-time teacher, with attributes that add up to
// every section's counts; then G11's eligible teachers (long enough at
// their school) and approved rotations effective in the spring term (after
// 1 September, so the section counts stay as they are).
void MakeTeachers(GeneratedDistrict& out, const Spec& spec, Random& rng) {
  static const char* kOtherSubjects[] = {"语文", "数学", "英语", "科学", "道德与法治", "信息技术", "物理", "历史"};
  static const char* kArts[] = {"体育", "音乐", "美术"};
  static const char* kBackbone[] = {"县级", "市级", "县级", "省级"};
  int n = 0;
  std::vector<size_t> eligible_candidates;  // public, by index
  std::vector<size_t> backbone_candidates;
  for (const SchoolInput& school : out.input.schools) {
    for (const SectionInput& section : school.sections) {
      const engine::TeacherCounts& t = *section.teachers;
      for (int i = 0; i < t.full_time; ++i) {
        TeacherRow row;
        row.teacher_id = absl::StrFormat("T%s-%06d", spec.code, ++n);
        row.school_code = school.school_code;
        row.stage = section.stage;
        row.public_school = school.ownership == engine::Ownership::kPublic;
        const bool above = i < t.above_required_qualification;
        row.degree = section.stage == Stage::kPrimary ? (above ? (i % 5 == 0 ? "专科" : "本科") : "中专及以下")
                                                      : (above ? (i % 7 == 0 ? "硕士" : "本科") : "专科");
        // Backbone teachers are counted from the end, PE and arts from the
        // middle: the three counts are independent of one another.
        row.backbone = i >= t.full_time - t.backbone_county_or_above ? kBackbone[i % 4] : (i % 9 == 0 ? "校级" : "无");
        const int arts_start = (t.full_time - t.pe_music_art) / 2;
        row.subject = i >= arts_start && i < arts_start + t.pe_music_art ? kArts[i % 3] : kOtherSubjects[i % 8];
        row.certified = true;
        row.training_hours = 360 + (i * 37) % 200;
        row.since = "2021-08-20";
        const size_t index = out.teachers.size();
        if (row.public_school) {
          (row.backbone != "无" && row.backbone != "校级" ? backbone_candidates : eligible_candidates).push_back(index);
        }
        out.teachers.push_back(std::move(row));
      }
    }
  }
  // G11: `eligible` public teachers at their school since 2018 or earlier
  // (six years by 1 September 2024), enough backbone teachers among them.
  const std::vector<size_t> backbone_order = rng.Permutation(backbone_candidates.size());
  const std::vector<size_t> other_order = rng.Permutation(eligible_candidates.size());
  std::vector<size_t> eligible_backbone, eligible_other;
  const int backbone_wanted = std::min<int>(spec.rotated_backbone + spec.eligible / 6, spec.eligible);
  for (size_t k = 0; k < backbone_order.size() && static_cast<int>(eligible_backbone.size()) < backbone_wanted; ++k) {
    eligible_backbone.push_back(backbone_candidates[backbone_order[k]]);
  }
  for (size_t k = 0;
       k < other_order.size() && static_cast<int>(eligible_backbone.size() + eligible_other.size()) < spec.eligible;
       ++k) {
    eligible_other.push_back(eligible_candidates[other_order[k]]);
  }
  for (size_t index : eligible_backbone) {
    out.teachers[index].since = absl::StrFormat("%d-08-%02d", rng.Int(2005, 2018), rng.Int(15, 31));
  }
  for (size_t index : eligible_other) {
    out.teachers[index].since = absl::StrFormat("%d-08-%02d", rng.Int(2003, 2018), rng.Int(15, 31));
  }
  for (TeacherRow& row : out.teachers) {
    if (row.since == "2021-08-20") row.since = absl::StrFormat("%d-08-%02d", rng.Int(2019, 2024), rng.Int(15, 31));
  }
  // Public schools of each stage, as rotation targets.
  std::map<Stage, std::vector<std::string>> targets;
  for (const SchoolInput& school : out.input.schools) {
    if (school.ownership != engine::Ownership::kPublic) continue;
    for (const SectionInput& section : school.sections) targets[section.stage].push_back(school.school_code);
  }
  static const char* kKinds[] = {"交流", "轮岗", "支教", "走教"};
  std::vector<size_t> rotating(
      eligible_backbone.begin(),
      eligible_backbone.begin() + std::min<size_t>(spec.rotated_backbone, eligible_backbone.size()));
  for (size_t k = 0; static_cast<int>(rotating.size()) < spec.rotated && k < eligible_other.size(); ++k) {
    rotating.push_back(eligible_other[k]);
  }
  for (size_t index : rotating) {
    const TeacherRow& teacher = out.teachers[index];
    const std::vector<std::string>& candidates = targets[teacher.stage];
    if (candidates.size() < 2) continue;
    size_t j = rng.Next() % candidates.size();
    if (candidates[j] == teacher.school_code) j = (j + 1) % candidates.size();
    const std::string& to = candidates[j];
    out.rotations.push_back({teacher.teacher_id, teacher.school_code, to, kKinds[index % 4],
                             absl::StrFormat("2025-02-%02d", rng.Int(17, 28)), "2025-07-15"});
  }
}

GeneratedDistrict Build(const Spec& spec) {
  Random rng(std::stoull(spec.code) * 2654435761ULL);
  GeneratedDistrict out;
  out.name_zh = spec.name_zh;
  out.profile = spec.profile;
  DistrictInput& input = out.input;
  input.district_code = spec.code;
  input.school_year = kYear;
  AddSchools(input, spec, SchoolType::kPrimary, spec.primary, spec.private_primary, rng);
  AddSchools(input, spec, SchoolType::kTeachingPoint, spec.teaching_points, 0, rng);
  AddSchools(input, spec, SchoolType::kJunior, spec.junior, spec.private_junior, rng);
  AddSchools(input, spec, SchoolType::kNineYear, spec.nine_year, spec.private_nine, rng);
  AddSchools(input, spec, SchoolType::kTwelveYear, spec.twelve_year, 0, rng);
  AddSchools(input, spec, SchoolType::kCompleteMiddle, spec.complete, spec.private_complete, rng);
  AddSchools(input, spec, SchoolType::kSpecialEducation, spec.special, 0, rng);
  SpreadStudents(input, spec, rng);
  SpreadClasses(input, spec);
  SpreadResources(input, spec, kPrimary, rng);
  SpreadResources(input, spec, kJunior, rng);
  SetSharedFacilities(input);
  GiveArtsRooms(input, spec, rng);
  SetFunding(input, spec);
  input.facts = spec.facts;
  input.facts.rotation_eligible_teachers = spec.eligible;
  input.facts.rotated_teachers = spec.rotated;
  input.facts.rotated_backbone_teachers = spec.rotated_backbone;
  for (const char* id : {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"}) {
    input.attestations[id] = {true, absl::StrCat(spec.name_zh.substr(0, 6), "教育局〔2024〕自评报告 ", id), "",
                              "2024-10-15", absl::StrCat(spec.name_zh, "教育局")};
  }
  MakeTeachers(out, spec, rng);
  out.input.facts.rotated_teachers = static_cast<int32_t>(out.rotations.size());
  int backbone = 0;
  std::map<std::string, const TeacherRow*> by_id;
  for (const TeacherRow& t : out.teachers) by_id[t.teacher_id] = &t;
  for (const RotationRow& r : out.rotations) {
    const std::string& level = by_id[r.teacher_id]->backbone;
    if (level != "无" && level != "校级") ++backbone;
  }
  out.input.facts.rotated_backbone_teachers = backbone;
  out.education_budget_last_year_fen = (spec.operating_budget_fen + spec.training_budget_fen) * 96 / 100;
  return out;
}

// ------------------------------------------------------------ the files --

std::string Yuan(int64_t fen) { return absl::StrFormat("%d.%02d", fen / 100, fen % 100); }

std::string Number(double value) {
  std::string text = absl::StrFormat("%.1f", value);
  if (text.size() > 2 && text.substr(text.size() - 2) == ".0") text.resize(text.size() - 2);
  return text;
}

std::string Join(const std::vector<double>& values) {
  std::vector<std::string> parts;
  for (double v : values) parts.push_back(Number(v));
  return absl::StrJoin(parts, ";");
}

const char* TypeCsv(SchoolType type) {
  switch (type) {
    case SchoolType::kPrimary:
      return "小学";
    case SchoolType::kJunior:
      return "初中";
    case SchoolType::kNineYear:
      return "九年一贯制学校";
    case SchoolType::kTwelveYear:
      return "十二年一贯制学校";
    case SchoolType::kCompleteMiddle:
      return "完全中学";
    case SchoolType::kTeachingPoint:
      return "教学点";
    case SchoolType::kSpecialEducation:
      return "特殊教育学校";
  }
  return "";
}

const char* LocaleCsv(engine::Locale locale) {
  switch (locale) {
    case engine::Locale::kUrban:
      return "城区";
    case engine::Locale::kTown:
      return "镇区";
    case engine::Locale::kRural:
      return "乡村";
  }
  return "";
}

std::string Fen(const std::optional<int64_t>& value) { return value ? std::to_string(*value) : ""; }

}  // namespace

std::vector<GeneratedDistrict> BuildCity() {
  std::vector<GeneratedDistrict> city;
  for (const Spec& spec : Specs()) city.push_back(Build(spec));
  return city;
}

absl::Status WriteBundle(const std::vector<GeneratedDistrict>& city, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return absl::UnavailableError(absl::StrCat("cannot create ", dir, ": ", error.message()));
  std::map<std::string, std::string> files;
  std::string& schools = files["schools.csv"];
  schools = "学校标识码,学校名称,区县代码,办学类型,办学性质,城乡分类,是否寄宿制学校,建校年份\n";
  std::string& years = files["school_years.csv"];
  years =
      "school_code,school_year,primary_students,primary_classes,primary_class_sizes,primary_teaching_area_m2,"
      "primary_sports_area_m2,primary_equipment_value_yuan,primary_multimedia_rooms,junior_students,junior_classes,"
      "junior_class_sizes,junior_teaching_area_m2,junior_sports_area_m2,junior_equipment_value_yuan,"
      "junior_multimedia_rooms,teaching_area_m2,sports_area_m2,equipment_value_yuan,multimedia_rooms,"
      "music_room_areas_m2,art_room_areas_m2,special_education_students\n";
  std::string& teachers = files["teachers.csv"];
  teachers =
      "教师编号,区县代码,学校标识码,任教学段,是否专任教师,任教学科,最高学历,骨干教师级别,是否持有教师资格证,"
      "本周期培训学时,到校时间,是否免于交流,办学性质\n";
  std::string& rotations = files["rotations.csv"];
  rotations = "teacher_id,from_school_code,to_school_code,kind,effective_date,end_date,state,actor\n";
  std::string& accounts = files["accounts.csv"];
  accounts = "account_id,district_code,school_code,purpose,debits_must_not_exceed_credits\n";
  std::string& transfers = files["transfers.csv"];
  transfers =
      "transfer_id,debit_account_id,credit_account_id,amount_yuan,school_year,purpose,memo,pending,"
      "post_pending_id,void_pending_id\n";
  std::string returns = "{\n  \"returns\": [\n";
  std::string profiles =
      "# The districts of the bundled dataset\n\n| district | schools | sections (primary / junior) | "
      "students | teachers | rotations | what it shows |\n|---|---|---|---|---|---|---|\n";

  for (size_t d = 0; d < city.size(); ++d) {
    const GeneratedDistrict& g = city[d];
    const DistrictInput& input = g.input;
    const std::string& code = input.district_code;
    int64_t students = 0;
    int sections[2] = {0, 0};
    int64_t district_budget = 0;
    for (const SchoolInput& school : input.schools) {
      absl::StrAppend(&schools, school.school_code, ",", school.name, ",", code, ",", TypeCsv(school.type), ",",
                      school.ownership == engine::Ownership::kPublic ? "公办" : "民办", ",", LocaleCsv(school.locale),
                      ",", school.boarding ? "是" : "否", ",", school.build_year, "\n");
      std::string row = absl::StrCat(school.school_code, ",", input.school_year);
      for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
        const SectionInput* section = nullptr;
        for (const SectionInput& s : school.sections) {
          if (s.stage == stage) section = &s;
        }
        if (section == nullptr) {
          absl::StrAppend(&row, ",,,,,,,");
          continue;
        }
        ++sections[stage == Stage::kPrimary ? 0 : 1];
        students += section->students;
        std::vector<std::string> sizes;
        for (int32_t size : section->class_sizes) sizes.push_back(std::to_string(size));
        const engine::Facilities& f = *section->facilities;
        absl::StrAppend(&row, ",", section->students, ",", section->classes, ",", absl::StrJoin(sizes, ";"), ",",
                        Number(f.teaching_area_m2), ",", Number(f.sports_area_m2), ",", Yuan(f.equipment_value_fen),
                        ",", Number(f.multimedia_rooms));
      }
      const engine::Facilities& f = *school.shared_facilities;
      absl::StrAppend(
          &row, ",", Number(f.teaching_area_m2), ",", Number(f.sports_area_m2), ",", Yuan(f.equipment_value_fen), ",",
          static_cast<int64_t>(f.multimedia_rooms), ",", Join(school.music_room_areas_m2), ",",
          Join(school.art_room_areas_m2), ",",
          school.type == SchoolType::kSpecialEducation ? std::to_string(school.special_education_students) : "", "\n");
      years += row;
      absl::StrAppend(&accounts, code, ".", school.school_code, ".operating,", code, ",", school.school_code,
                      ",school_operating,否\n");
      absl::StrAppend(&accounts, code, ".", school.school_code, ".training,", code, ",", school.school_code,
                      ",school_training,否\n");
      district_budget += *school.funding.operating_budget_fen + *school.funding.training_budget_fen;
    }
    absl::StrAppend(&accounts, code, ".treasury,", code, ",,other,否\n");
    absl::StrAppend(&accounts, code, ".education_budget,", code, ",,district_education_budget,是\n");
    absl::StrAppend(&transfers, code, "-2023-budget,", code, ".treasury,", code, ".education_budget,",
                    Yuan(g.education_budget_last_year_fen), ",2023,education budget,2023 一般公共预算教育经费,否,,\n");
    absl::StrAppend(&transfers, code, "-2024-budget,", code, ".treasury,", code, ".education_budget,",
                    Yuan(district_budget), ",2024,education budget,2024 一般公共预算教育经费,否,,\n");
    for (const SchoolInput& school : input.schools) {
      absl::StrAppend(&transfers, code, "-2024-", school.school_code, "-op,", code, ".education_budget,", code, ".",
                      school.school_code, ".operating,", Yuan(*school.funding.operating_budget_fen),
                      ",2024,operating funds,2024 学校公用经费,否,,\n");
      absl::StrAppend(&transfers, code, "-2024-", school.school_code, "-tr,", code, ".education_budget,", code, ".",
                      school.school_code, ".training,", Yuan(*school.funding.training_budget_fen),
                      ",2024,teacher training,2024 教师培训经费,否,,\n");
    }
    for (const TeacherRow& t : g.teachers) {
      absl::StrAppend(&teachers, t.teacher_id, ",", code, ",", t.school_code, ",",
                      t.stage == Stage::kPrimary ? "小学" : "初中", ",是,", t.subject, ",", t.degree, ",", t.backbone,
                      ",", t.certified ? "是" : "否", ",", t.training_hours, ",", t.since, ",否,",
                      t.public_school ? "公办" : "民办", "\n");
    }
    for (const RotationRow& r : g.rotations) {
      absl::StrAppend(&rotations, r.teacher_id, ",", r.from_school_code, ",", r.to_school_code, ",", r.kind, ",",
                      r.effective_date, ",", r.end_date, ",已批准,", g.name_zh, "教育局人事科\n");
    }
    // The district return, in the contract's JSON form (money in fen).
    const engine::DistrictFacts& f = input.facts;
    std::vector<std::string> facts;
    const auto add = [&](const char* name, const std::string& value) {
      if (!value.empty()) facts.push_back(absl::StrCat("        \"", name, "\": ", value));
    };
    const auto i32 = [](const std::optional<int32_t>& v) { return v ? std::to_string(*v) : std::string(); };
    const auto b = [](const std::optional<bool>& v) { return v ? std::string(*v ? "true" : "false") : std::string(); };
    const auto dbl = [](const std::optional<double>& v) { return v ? Number(*v) : std::string(); };
    const auto pay = [](const std::optional<double>& v) {
      return v ? std::to_string(std::llround(*v * 100)) : std::string();
    };
    add("operating_base_per_student_primary_fen", Fen(f.operating_base_per_student_primary_fen));
    add("operating_base_per_student_junior_fen", Fen(f.operating_base_per_student_junior_fen));
    add("teacher_average_pay_fen", pay(f.teacher_average_pay_yuan));
    add("civil_servant_average_pay_fen", pay(f.civil_servant_average_pay_yuan));
    add("performance_pay_fully_approved", b(f.performance_pay_fully_approved));
    add("zoned_admission_primary", i32(f.zoned_admission_primary));
    add("admission_primary_total", i32(f.admission_primary_total));
    add("zoned_admission_junior", i32(f.zoned_admission_junior));
    add("admission_junior_total", i32(f.admission_junior_total));
    add("quota_total_places", i32(f.quota_total_places));
    add("quota_hk_macao_class_places", i32(f.quota_hk_macao_class_places));
    add("quota_allocated_places", i32(f.quota_allocated_places));
    add("left_behind_care_system", b(f.left_behind_care_system));
    add("migrant_children_eligible", i32(f.migrant_children_eligible));
    add("migrant_children_in_public_schools", i32(f.migrant_children_in_public_schools));
    add("migrant_children_in_purchased_places", i32(f.migrant_children_in_purchased_places));
    add("junior_graduates", i32(f.junior_graduates));
    add("junior_cohort_enrolled", i32(f.junior_cohort_enrolled));
    add("junior_transferred_in", i32(f.junior_transferred_in));
    add("junior_transferred_out", i32(f.junior_transferred_out));
    add("junior_deaths", i32(f.junior_deaths));
    add("junior_dropouts", i32(f.junior_dropouts));
    add("disabled_school_age_children", i32(f.disabled_school_age_children));
    add("disabled_deferred", i32(f.disabled_deferred));
    add("disabled_enrolled", i32(f.disabled_enrolled));
    add("operating_budget_fen", Fen(f.operating_budget_fen));
    add("training_budget_fen", Fen(f.training_budget_fen));
    add("monitoring_level_iii_or_above", b(f.monitoring_level_iii_or_above));
    add("monitoring_difference_rate", dbl(f.monitoring_difference_rate));
    add("social_recognition_percent", dbl(f.social_recognition_percent));
    add("basic_balanced_recognised_year", i32(f.basic_balanced_recognised_year));
    add("monitoring_kept_high", b(f.monitoring_kept_high));
    std::vector<std::string> attestations;
    for (const auto& [id, a] : input.attestations) {
      attestations.push_back(absl::StrFormat(
          "        {\"indicator_id\": \"%s\", \"affirmed\": %s, \"document\": \"%s\", \"date\": \"%s\", "
          "\"attested_by\": \"%s\"}",
          id, a.affirmed ? "true" : "false", a.document, a.date, a.attested_by));
    }
    absl::StrAppend(&returns, "    {\n      \"district_code\": \"", code,
                    "\",\n      \"school_year\": ", input.school_year, ",\n      \"facts\": {\n",
                    absl::StrJoin(facts, ",\n"), "\n      },\n      \"attestations\": [\n",
                    absl::StrJoin(attestations, ",\n"), "\n      ]\n    }", d + 1 < city.size() ? ",\n" : "\n");
    int teacher_count = static_cast<int>(g.teachers.size());
    absl::StrAppend(&profiles, "| ", code, " ", g.name_zh, " | ", input.schools.size(), " | ", sections[0], " / ",
                    sections[1], " | ", students, " | ", teacher_count, " | ", g.rotations.size(), " | ", g.profile,
                    " |\n");
  }
  returns += "  ]\n}\n";
  files["district_returns.json"] = returns;
  files["profiles.md"] = profiles;
  for (const auto& [name, content] : files) {
    std::ofstream out(std::filesystem::path(dir) / name, std::ios::binary);
    out << content;
    if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", dir, "/", name));
  }
  return absl::OkStatus();
}

}  // namespace gzedu::dataset
