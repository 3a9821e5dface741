// Evaluate(): every indicator of indicators.md sections 3 to 6, the overall
// verdict, and the alternatives under the conventions of section 7.
#include "services/indicator_evaluation/engine/engine.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "services/indicator_evaluation/engine/exact.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/engine/remediation.h"

namespace gzedu::engine {
namespace {

// Q1: the annual-loss formula spreads three years' losses evenly.
constexpr double kCohortYears = 3;
// Prerequisite: basic balance recognised at least three years before.
constexpr int32_t kPrerequisiteYears = 3;

// Every comparison below is exact on the inputs (exact.h): counts are
// whole, money is fen, areas are hundredths of m².
using exact::Hundredths;

std::string StageLabel(Stage stage) { return std::string(StageName(stage)); }

IndicatorResult NewResult(std::string_view id) {
  const IndicatorDefinition* definition = FindIndicator(id);
  IndicatorResult result;
  result.indicator_id = std::string(id);
  result.unit = std::string(definition->unit);
  result.threshold = definition->threshold_primary;
  return result;
}

// Every note is written in both report languages.
void Note(IndicatorResult& result, std::string en, std::string zh) {
  result.notes.push_back(std::move(en));
  result.notes_zh.push_back(std::move(zh));
}

void Pending(IndicatorResult& result, const std::string& missing_en, const std::string& missing_zh) {
  result.verdict = Verdict::kPending;
  Note(result, "missing: " + missing_en, "缺少：" + missing_zh);
}

double Percent(double numerator, double denominator) { return 100.0 * numerator / denominator; }

// The reported percentage never contradicts its exact verdict (a value equal
// to its threshold is shown at it, never a rounding below).
double ConsistentPercent(int64_t numerator, int64_t denominator, double threshold, bool meets) {
  const double value = Percent(static_cast<double>(numerator), static_cast<double>(denominator));
  if (meets && value < threshold) return threshold;
  if (!meets && value >= threshold) return std::nextafter(threshold, -1.0);
  return value;
}

// A ratio indicator: value = 100 * n / d against `threshold` percent, decided
// exactly (100·100·n >= threshold_hundredths·d). A denominator of zero is
// 0/0 (or nothing to measure): pending with `missing`, never a verdict.
void RatioAtLeast(IndicatorResult& result, int64_t numerator, int64_t denominator, const std::string& missing_en,
                  const std::string& missing_zh) {
  result.numerator = static_cast<double>(numerator);
  result.denominator = static_cast<double>(denominator);
  if (denominator <= 0) {
    Pending(result, missing_en, missing_zh);
    return;
  }
  const bool meets = exact::RatioAtLeastPercent(numerator, denominator, *result.threshold);
  result.value = ConsistentPercent(numerator, denominator, *result.threshold, meets);
  result.verdict = meets ? Verdict::kMeets : Verdict::kDoesNotMeet;
}

int64_t CompulsoryStudents(const SchoolInput& school) {
  int64_t students = 0;
  for (const SectionInput& section : school.sections) students += section.students;
  return students;
}

int64_t Classes(const SchoolInput& school) {
  int64_t classes = 0;
  for (const SectionInput& section : school.sections) classes += section.classes;
  return classes;
}

// Whether any school of the district has a section with students this
// school year: without one, nothing about schools can be judged (a year
// with no data is incomplete, never a pass).
bool HasEnrolment(const DistrictInput& input) {
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      if (section.students > 0) return true;
    }
  }
  return false;
}

void NoEnrolment(IndicatorResult& result) {
  Pending(result, "schools with sections and students in this school year", "本学年有在校生的学校及学段");
}

std::string Label(const SchoolInput& school) { return absl::StrCat(school.school_code, " ", school.name); }

// ---------------------------------------------------------- resources --

void AddResourceIndicators(const DistrictInput& input, const std::vector<StageResult>& stages,
                           DistrictEvaluation& evaluation) {
  // Alternatives: the resource values under the other setting of the two
  // conventions that change which sections count and what they hold.
  Conventions other_floor = input.conventions;
  other_floor.teaching_point_min_students = input.conventions.teaching_point_min_students == 0 ? 50 : 0;
  Conventions other_apportionment = input.conventions;
  other_apportionment.shared_resource_apportionment =
      input.conventions.shared_resource_apportionment == Apportionment::kEnrolmentShare
          ? Apportionment::kLegacyWeights
          : Apportionment::kEnrolmentShare;

  for (const StageResult& stage : stages) {
    const StageResult floor_alternative = EvaluateStage(input, stage.stage, other_floor);
    const StageResult weights_alternative = EvaluateStage(input, stage.stage, other_apportionment);
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      IndicatorResult result = NewResult(IndicatorDefinitions()[k].id);
      result.stage = stage.stage;
      result.threshold = ResourceThreshold(k, stage.stage);
      result.cv_max = stage.cv_max;
      const auto decided = [k](const StageResult& s) { return ResourceIndicatorDecided(s, k); };
      const auto verdict_of = [&](const StageResult& s) {
        if (!decided(s)) return Verdict::kPending;
        return s.value_reaches[k] && s.cv_within[k] ? Verdict::kMeets : Verdict::kDoesNotMeet;
      };
      if (stage.students == 0) {
        Pending(result, absl::StrCat(StageLabel(stage.stage), " sections with students"),
                absl::StrCat("有在校生的", stage.stage == Stage::kPrimary ? "小学" : "初中", "学段单元"));
        evaluation.indicators.push_back(std::move(result));
        continue;
      }
      if (!stage.sections_missing_input[k].empty()) {
        const bool teachers = k <= 2;
        const std::vector<std::string>& missing = stage.sections_missing_input[k];
        Pending(result,
                absl::StrCat(teachers ? "teacher counts" : "facilities", " of ", missing.size(), " ",
                             StageLabel(stage.stage), " sections (", absl::StrJoin(missing, "; "), ")"),
                absl::StrCat(missing.size(), " 个", stage.stage == Stage::kPrimary ? "小学" : "初中", "学段单元的",
                             teachers ? "教师数" : "办学条件数据", "（", absl::StrJoin(missing, "；"), "）"));
        evaluation.indicators.push_back(std::move(result));
        continue;
      }
      result.value = stage.district_values[k];
      if (stage.cv_defined[k]) result.cv_actual = stage.cv[k];
      result.denominator = static_cast<double>(stage.students);
      result.numerator =
          stage.district_values[k] * static_cast<double>(stage.students) / (k <= 2 || k == 6 ? 100.0 : 1.0);
      result.verdict = verdict_of(stage);
      if (!stage.value_reaches[k]) {
        Note(result,
             absl::StrFormat("district value %.4f is below the threshold %.2f", stage.district_values[k],
                             *result.threshold),
             absl::StrFormat("区域值 %.4f 低于标准 %.2f", stage.district_values[k], *result.threshold));
      }
      if (!stage.cv_defined[k]) {
        Note(result, "inter-school CV undefined: every section's value is 0 (0/0)",
             "校际差异系数无定义：各学段单元该项数值均为 0（0/0）");
      } else if (!stage.cv_within[k]) {
        Note(result, absl::StrFormat("inter-school CV %.4f is above the limit %.2f", stage.cv[k], stage.cv_max),
             absl::StrFormat("校际差异系数 %.4f 超过上限 %.2f", stage.cv[k], stage.cv_max));
      }
      Note(result, absl::StrCat(stage.sections_meeting[k], " of ", stage.sections, " sections reach the threshold"),
           absl::StrCat(stage.sections, " 个学段单元中 ", stage.sections_meeting[k], " 个达到标准"));
      for (const SectionResult& section : stage.section_results) {
        if (!section.reaches[k]) {
          result.failing.push_back(
              absl::StrFormat("%s %s: %.2f", section.school_code, section.school_name, section.values[k]));
        }
      }
      result.alternatives.push_back(
          {"teaching_point_min_students", std::to_string(other_floor.teaching_point_min_students),
           decided(floor_alternative) ? std::optional<double>(floor_alternative.district_values[k]) : std::nullopt,
           verdict_of(floor_alternative)});
      result.alternatives.push_back(
          {"shared_resource_apportionment",
           other_apportionment.shared_resource_apportionment == Apportionment::kLegacyWeights ? "legacy_weights"
                                                                                              : "enrolment_share",
           decided(weights_alternative) ? std::optional<double>(weights_alternative.district_values[k]) : std::nullopt,
           verdict_of(weights_alternative)});
      evaluation.indicators.push_back(std::move(result));
    }
  }
}

// ----------------------------------------------------- guarantee area --

void Attested(const DistrictInput& input, std::string_view id, DistrictEvaluation& evaluation,
              const std::function<void(IndicatorResult&)>& add_evidence = nullptr) {
  IndicatorResult result = NewResult(id);
  auto it = input.attestations.find(std::string(id));
  if (it == input.attestations.end()) {
    Pending(result, "an attestation with evidence (document, date, who attests)", "附佐证的认定（文件、日期、认定人）");
  } else {
    const Attestation& a = it->second;
    result.verdict = a.affirmed ? Verdict::kMeets : Verdict::kDoesNotMeet;
    Note(result,
         absl::StrCat("attested by ", a.attested_by.empty() ? "(unnamed)" : a.attested_by,
                      a.date.empty() ? "" : " on " + a.date, a.document.empty() ? "" : ": " + a.document,
                      a.url.empty() ? "" : " " + a.url),
         absl::StrCat(a.attested_by.empty() ? "（未署名）" : a.attested_by, a.date.empty() ? "" : " 于 " + a.date,
                      "认定", a.document.empty() ? "" : "：" + a.document, a.url.empty() ? "" : " " + a.url));
    if (!a.affirmed) Note(result, "the district states the requirement is not met", "本区认定未达到该要求");
  }
  if (add_evidence) add_evidence(result);
  evaluation.indicators.push_back(std::move(result));
}

// G3 under a room-size convention.
IndicatorResult ArtsRooms(const DistrictInput& input, int32_t room_size_from_year) {
  IndicatorResult result = NewResult("G3");
  if (!HasEnrolment(input)) {
    NoEnrolment(result);
    return result;
  }
  int32_t schools = 0;
  int32_t meeting = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation || school.sections.empty()) continue;
    ++schools;
    const int64_t classes = Classes(school);
    const int64_t needed = (classes + kClassesPerArtsRoom - 1) / kClassesPerArtsRoom;
    std::vector<std::string> problems;
    const auto music = static_cast<int64_t>(school.music_room_areas_m2.size());
    const auto art = static_cast<int64_t>(school.art_room_areas_m2.size());
    if (music < needed)
      problems.push_back(absl::StrCat(music, " music rooms for ", classes, " classes (needs ", needed, ")"));
    if (art < needed)
      problems.push_back(absl::StrCat(art, " art rooms for ", classes, " classes (needs ", needed, ")"));
    const bool sizes_apply =
        room_size_from_year == 0 || school.build_year == 0 || school.build_year >= room_size_from_year;
    if (sizes_apply) {
      for (size_t i = 0; i < school.music_room_areas_m2.size(); ++i) {
        if (Hundredths(school.music_room_areas_m2[i]) < Hundredths(kMinMusicRoomM2)) {
          problems.push_back(absl::StrFormat("music room %d has %.1f m2 (< %.0f)", i + 1, school.music_room_areas_m2[i],
                                             kMinMusicRoomM2));
        }
      }
      for (size_t i = 0; i < school.art_room_areas_m2.size(); ++i) {
        if (Hundredths(school.art_room_areas_m2[i]) < Hundredths(kMinArtRoomM2)) {
          problems.push_back(
              absl::StrFormat("art room %d has %.1f m2 (< %.0f)", i + 1, school.art_room_areas_m2[i], kMinArtRoomM2));
        }
      }
    }
    if (problems.empty()) {
      ++meeting;
    } else {
      std::string text = Label(school) + ": ";
      for (size_t i = 0; i < problems.size(); ++i) absl::StrAppend(&text, i ? "; " : "", problems[i]);
      result.failing.push_back(std::move(text));
    }
  }
  if (schools == 0) {
    NoEnrolment(result);
    return result;
  }
  result.numerator = meeting;
  result.denominator = schools;
  result.value = Percent(meeting, schools);
  result.verdict = meeting == schools ? Verdict::kMeets : Verdict::kDoesNotMeet;
  if (room_size_from_year != 0) {
    Note(result, absl::StrCat("room sizes checked only for schools built from ", room_size_from_year),
         absl::StrCat("仅检查 ", room_size_from_year, " 年及以后建成学校的专用教室面积"));
  }
  return result;
}

IndicatorResult SchoolSize(const DistrictInput& input) {
  IndicatorResult result = NewResult("G4");
  if (!HasEnrolment(input)) {
    NoEnrolment(result);
    return result;
  }
  int32_t oversize = 0;
  int32_t schools = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation) continue;
    ++schools;
    const bool through = school.type == SchoolType::kNineYear || school.type == SchoolType::kTwelveYear;
    const int64_t limit = through ? kMaxThroughSchoolSize : kMaxSchoolSize;
    const int64_t students = CompulsoryStudents(school);
    if (students > limit) {
      ++oversize;
      result.failing.push_back(
          absl::StrCat(Label(school), ": ", students, " compulsory-stage students (limit ", limit, ")"));
    }
  }
  result.value = oversize;
  result.numerator = oversize;
  result.denominator = schools;
  result.verdict = oversize == 0 ? Verdict::kMeets : Verdict::kDoesNotMeet;
  Note(result, "checked per school; campuses are not recorded separately", "按学校检查；未单独登记校区");
  return result;
}

IndicatorResult ClassSize(const DistrictInput& input) {
  IndicatorResult result = NewResult("G5");
  if (!HasEnrolment(input)) {
    NoEnrolment(result);
    return result;
  }
  int32_t oversize = 0;
  int64_t classes_checked = 0;
  int32_t sections_without_sizes = 0;
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      if (section.students <= 0) continue;
      const int64_t limit = section.stage == Stage::kPrimary ? kMaxPrimaryClassSize : kMaxJuniorClassSize;
      if (section.class_sizes.empty()) {
        // Without class sizes only the average can prove a class is over:
        // more students than full classes hold. Otherwise (no classes
        // reported, or they could all fit) nothing is known: pending.
        if (section.classes > 0 && section.students > limit * static_cast<int64_t>(section.classes)) {
          ++oversize;
          result.failing.push_back(absl::StrCat(Label(school), " ", StageLabel(section.stage), ": ", section.students,
                                                " students in ", section.classes,
                                                " classes, so at least one class above ", limit));
        } else {
          ++sections_without_sizes;
        }
        continue;
      }
      for (size_t i = 0; i < section.class_sizes.size(); ++i) {
        ++classes_checked;
        if (section.class_sizes[i] > limit) {
          ++oversize;
          result.failing.push_back(absl::StrCat(Label(school), " ", StageLabel(section.stage), " class ", i + 1, ": ",
                                                section.class_sizes[i], " students (limit ", limit, ")"));
        }
      }
    }
  }
  result.value = oversize;
  result.numerator = oversize;
  result.denominator = static_cast<double>(classes_checked);
  if (oversize > 0) {
    result.verdict = Verdict::kDoesNotMeet;
  } else if (sections_without_sizes > 0) {
    Pending(result, absl::StrCat("class sizes of ", sections_without_sizes, " sections"),
            absl::StrCat(sections_without_sizes, " 个学段单元的各班人数"));
  } else {
    result.verdict = Verdict::kMeets;
  }
  return result;
}

// G6 covers every teaching point whatever its recorded locale (教学点 are
// the small rural points the clause protects) and rural primary schools.
bool SmallSchoolScope(const SchoolInput& school) {
  return school.type == SchoolType::kTeachingPoint ||
         (school.type == SchoolType::kPrimary && school.locale == Locale::kRural);
}

IndicatorResult SmallSchoolFunding(const DistrictInput& input) {
  IndicatorResult result = NewResult("G6");
  if (!HasEnrolment(input)) {
    NoEnrolment(result);
    return result;
  }
  int32_t small = 0;
  int32_t short_funded = 0;
  bool missing = false;
  for (const SchoolInput& school : input.schools) {
    const int64_t students = CompulsoryStudents(school);
    if (!SmallSchoolScope(school) || students >= kSmallSchoolFundedStudents) continue;
    ++small;
    if (!school.funding.operating_funds_fen.has_value() ||
        !input.facts.operating_base_per_student_primary_fen.has_value()) {
      missing = true;
      continue;
    }
    const int64_t required = kSmallSchoolFundedStudents * *input.facts.operating_base_per_student_primary_fen;
    if (*school.funding.operating_funds_fen < required) {
      ++short_funded;
      result.failing.push_back(absl::StrFormat("%s: %d students, operating funds %.2f yuan < %.2f yuan (100 x base)",
                                               Label(school), students, *school.funding.operating_funds_fen / 100.0,
                                               required / 100.0));
    }
  }
  result.value = short_funded;
  result.denominator = small;
  if (small == 0) {
    result.verdict = Verdict::kNotApplicable;
    Note(result, "no village primary school or teaching point with fewer than 100 students",
         "无不足100名学生的村小学和教学点");
  } else if (short_funded > 0) {
    result.verdict = Verdict::kDoesNotMeet;
  } else if (missing) {
    Pending(result, "operating funds of small village schools and the primary per-student base amount",
            "小规模村小学的公用经费及小学生均公用经费基准定额");
  } else {
    result.verdict = Verdict::kMeets;
  }
  return result;
}

IndicatorResult SpecialEducationFunding(const DistrictInput& input) {
  IndicatorResult result = NewResult("G7");
  int64_t funds_fen = 0;
  int64_t students = 0;
  int32_t schools = 0;
  bool missing = false;
  bool failing = false;
  for (const SchoolInput& school : input.schools) {
    if (school.type != SchoolType::kSpecialEducation) continue;
    ++schools;
    if (!school.funding.operating_funds_fen.has_value() || school.special_education_students <= 0) {
      missing = true;
      continue;
    }
    funds_fen += *school.funding.operating_funds_fen;
    students += school.special_education_students;
    // funds / students >= 6000 yuan, in fen: funds_fen >= 600000 · students.
    const bool meets = *school.funding.operating_funds_fen >=
                       kSpecialEducationFundsPerStudentFen * static_cast<int64_t>(school.special_education_students);
    if (!meets) {
      failing = true;
      result.failing.push_back(
          absl::StrFormat("%s: %.2f yuan per student", Label(school),
                          *school.funding.operating_funds_fen / 100.0 / school.special_education_students));
    }
  }
  if (schools == 0) {
    if (!HasEnrolment(input)) {
      NoEnrolment(result);
      return result;
    }
    result.verdict = Verdict::kNotApplicable;
    Note(result, "no special-education school", "无特殊教育学校");
    return result;
  }
  if (students > 0) {
    result.numerator = funds_fen / 100.0;
    result.denominator = static_cast<double>(students);
    const double per_student = funds_fen / 100.0 / static_cast<double>(students);
    // The district figure is shown, not judged; a school below decides.
    result.value = per_student;
  }
  if (failing) {
    result.verdict = Verdict::kDoesNotMeet;
  } else if (missing) {
    Pending(result, "operating funds and students of every special-education school",
            "各特殊教育学校的公用经费和学生数");
  } else {
    result.verdict = Verdict::kMeets;
  }
  return result;
}

IndicatorResult TeacherPay(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("G8");
  if (!facts.teacher_average_pay_yuan || !facts.civil_servant_average_pay_yuan) {
    Pending(result, "average teacher pay and average civil-servant pay", "教师平均工资和公务员平均工资");
    return result;
  }
  // Pay in yuan with at most two decimals, compared exactly in fen.
  RatioAtLeast(result, Hundredths(*facts.teacher_average_pay_yuan), Hundredths(*facts.civil_servant_average_pay_yuan),
               "an average civil-servant pay above zero", "大于零的公务员平均工资");
  result.numerator = *facts.teacher_average_pay_yuan;
  result.denominator = *facts.civil_servant_average_pay_yuan;
  if (result.verdict == Verdict::kMeets && !facts.performance_pay_fully_approved.has_value()) {
    Pending(result, "whether the performance-pay total is fully approved", "绩效工资总量是否足额核定");
  } else if (facts.performance_pay_fully_approved == false) {
    result.verdict = Verdict::kDoesNotMeet;
    Note(result, "the performance-pay total is not fully approved", "绩效工资总量未足额核定");
  }
  return result;
}

IndicatorResult TeacherShare(const DistrictInput& input, std::string_view id, int32_t TeacherCounts::*counted) {
  IndicatorResult result = NewResult(id);
  int64_t full_time = 0;
  int64_t count = 0;
  std::vector<std::string> missing;
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      if (!section.teachers) {
        missing.push_back(absl::StrCat(Label(school), " ", StageLabel(section.stage)));
        continue;
      }
      full_time += section.teachers->full_time;
      count += (*section.teachers).*counted;
    }
  }
  if (!missing.empty()) {
    Pending(result,
            absl::StrCat("teacher counts of ", missing.size(), " sections (", absl::StrJoin(missing, "; "), ")"),
            absl::StrCat(missing.size(), " 个学段单元的教师数（", absl::StrJoin(missing, "；"), "）"));
    return result;
  }
  RatioAtLeast(result, count, full_time, "full-time teachers counted per section", "各学段单元的专任教师数");
  return result;
}

IndicatorResult Rotation(const DistrictInput& input) {
  IndicatorResult result = NewResult("G11");
  const DistrictFacts& facts = input.facts;
  if (!facts.rotation_eligible_teachers || !facts.rotated_teachers || !facts.rotated_backbone_teachers) {
    Pending(result, "rotation counts (eligible, rotated, rotated backbone)",
            "交流轮岗人数（符合条件、已交流、其中骨干）");
    return result;
  }
  if (*facts.rotated_teachers == 0 && !HasEnrolment(input)) {
    // A school year with no data: no rotation recorded is no evidence that
    // none happened.
    Pending(result, "rotations of this school year (no data recorded for the year)",
            "本学年的交流轮岗记录（本学年无任何数据）");
    return result;
  }
  RatioAtLeast(result, *facts.rotated_teachers, *facts.rotation_eligible_teachers,
               "teachers eligible for rotation (none counted: 0/0)", "符合交流轮岗条件的教师数（为 0，无法计算）");
  if (result.verdict == Verdict::kPending) return result;
  if (*facts.rotated_teachers == 0) {
    // The backbone share of nobody is 0/0: the rotation ratio alone decides
    // (and fails, as eligible teachers exist).
    Note(result, "no teacher rotated: the backbone share is not defined", "无交流轮岗教师：骨干教师占比无从计算");
    return result;
  }
  const bool backbone_meets =
      exact::RatioAtLeastPercent(*facts.rotated_backbone_teachers, *facts.rotated_teachers, kMinBackboneSharePercent);
  const double backbone_share = ConsistentPercent(*facts.rotated_backbone_teachers, *facts.rotated_teachers,
                                                  kMinBackboneSharePercent, backbone_meets);
  Note(result,
       absl::StrFormat("backbone teachers are %.2f%% of those rotated (%d / %d; at least %.0f%%)", backbone_share,
                       *facts.rotated_backbone_teachers, *facts.rotated_teachers, kMinBackboneSharePercent),
       absl::StrFormat("骨干教师占交流轮岗教师的 %.2f%%（%d / %d；不低于 %.0f%%）", backbone_share,
                       *facts.rotated_backbone_teachers, *facts.rotated_teachers, kMinBackboneSharePercent));
  if (!backbone_meets) result.verdict = Verdict::kDoesNotMeet;
  return result;
}

IndicatorResult ZonedAdmission(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("G13");
  const IndicatorDefinition* definition = FindIndicator("G13");
  // Each stage on its own: a stage with admissions is judged; a stage
  // without them (not reported, or none admitted: 0/0) is undecided. A
  // failing stage fails G13 whatever the other holds.
  struct Part {
    const char* en;
    const char* zh;
    std::optional<int32_t> zoned;
    std::optional<int32_t> total;
    double threshold;
    std::optional<bool> meets;
    double percent = 0;
  };
  std::array<Part, 2> parts = {{{"primary", "小学", facts.zoned_admission_primary, facts.admission_primary_total,
                                 *definition->threshold_primary, std::nullopt, 0},
                                {"junior", "初中", facts.zoned_admission_junior, facts.admission_junior_total,
                                 *definition->threshold_junior, std::nullopt, 0}}};
  std::vector<std::string> shown_en;
  std::vector<std::string> shown_zh;
  bool any_fails = false;
  bool any_undecided = false;
  for (Part& part : parts) {
    if (!part.zoned || !part.total || *part.total <= 0) {
      any_undecided = true;
      Pending(result,
              absl::StrCat("zoned and total admissions of urban and town public ", part.en, " schools",
                           part.total && *part.total <= 0 ? " (none admitted: 0/0)" : ""),
              absl::StrCat("城区和镇区公办", part.zh, "就近划片入学人数及入学总数",
                           part.total && *part.total <= 0 ? "（入学总数为 0，无法计算）" : ""));
      continue;
    }
    part.meets = exact::RatioAtLeastPercent(*part.zoned, *part.total, part.threshold);
    part.percent = ConsistentPercent(*part.zoned, *part.total, part.threshold, *part.meets);
    any_fails = any_fails || !*part.meets;
    shown_en.push_back(absl::StrFormat("%s %.2f%% (%d / %d; at least %.0f%%)%s", part.en, part.percent, *part.zoned,
                                       *part.total, part.threshold, *part.meets ? "" : ", below"));
    shown_zh.push_back(absl::StrFormat("%s %.2f%%（%d / %d；不低于 %.0f%%）%s", part.zh, part.percent, *part.zoned,
                                       *part.total, part.threshold, *part.meets ? "" : "，未达标"));
  }
  // The headline value is the failing stage's, else the primary's.
  const Part* headline = nullptr;
  for (const Part& part : parts) {
    if (part.meets && (!headline || (!*part.meets && *headline->meets))) headline = &part;
  }
  if (headline) {
    result.value = headline->percent;
    result.numerator = *headline->zoned;
    result.denominator = *headline->total;
    result.threshold = headline->threshold;
    Note(result, absl::StrJoin(shown_en, ", "), absl::StrJoin(shown_zh, "，"));
  }
  if (any_fails) {
    result.verdict = Verdict::kDoesNotMeet;
  } else if (any_undecided) {
    result.verdict = Verdict::kPending;
  } else {
    result.verdict = Verdict::kMeets;
  }
  return result;
}

IndicatorResult QuotaAllocation(const DistrictFacts& facts, bool excludes_hk_macao) {
  IndicatorResult result = NewResult("G14");
  if (!facts.quota_total_places || !facts.quota_allocated_places ||
      (excludes_hk_macao && !facts.quota_hk_macao_class_places)) {
    Pending(result, "quality senior-high places: total and allocated", "优质高中招生名额总数及分配数");
    return result;
  }
  const int64_t total = static_cast<int64_t>(*facts.quota_total_places) -
                        (excludes_hk_macao ? static_cast<int64_t>(*facts.quota_hk_macao_class_places) : 0);
  RatioAtLeast(result, *facts.quota_allocated_places, total, "quality senior-high places above zero (0/0)",
               "大于零的优质高中招生名额总数");
  if (excludes_hk_macao) {
    Note(result, "Hong Kong and Macao class places excluded from the total", "总数不含港澳班名额");
  }
  return result;
}

IndicatorResult MigrantChildren(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("G15");
  if (!facts.migrant_children_eligible || !facts.migrant_children_in_public_schools ||
      !facts.migrant_children_in_purchased_places) {
    Pending(result, "migrant children: eligible, in public schools, in purchased places",
            "随迁子女：符合条件人数、公办学校就读人数、政府购买学位人数");
    return result;
  }
  RatioAtLeast(
      result,
      static_cast<int64_t>(*facts.migrant_children_in_public_schools) + *facts.migrant_children_in_purchased_places,
      *facts.migrant_children_eligible, "eligible migrant children (none counted: 0/0)",
      "符合条件的随迁子女数（为 0，无法计算）");
  if (!facts.left_behind_care_system.has_value()) {
    if (result.verdict == Verdict::kMeets) {
      Pending(result, "whether a left-behind-children care system exists", "是否建立留守儿童关爱体系");
    }
  } else if (!*facts.left_behind_care_system) {
    result.verdict = Verdict::kDoesNotMeet;
    Note(result, "no left-behind-children care system", "未建立留守儿童关爱体系");
  }
  return result;
}

// ------------------------------------------------------- quality area --

IndicatorResult Retention(const DistrictFacts& facts, RetentionFormula formula) {
  IndicatorResult result = NewResult("Q1");
  if (formula == RetentionFormula::kCohort) {
    if (!facts.junior_graduates || !facts.junior_cohort_enrolled || !facts.junior_transferred_in ||
        !facts.junior_transferred_out || !facts.junior_deaths) {
      Pending(result, "junior graduates, cohort enrolled three years earlier, transfers in and out, deaths",
              "初中毕业生数、三年前入学人数、转入、转出、死亡人数");
      return result;
    }
    RatioAtLeast(result, *facts.junior_graduates,
                 static_cast<int64_t>(*facts.junior_cohort_enrolled) + *facts.junior_transferred_in -
                     *facts.junior_transferred_out - *facts.junior_deaths,
                 "a junior cohort above zero after transfers and deaths", "扣除转出、死亡后大于零的初中入学人数");
    Note(result, "graduates / (cohort + transferred in - transferred out - deaths)",
         "毕业生数 ÷（入学人数 + 转入 − 转出 − 死亡）");
    return result;
  }
  if (!facts.junior_cohort_enrolled || !facts.junior_deaths || !facts.junior_dropouts ||
      *facts.junior_cohort_enrolled <= 0) {
    Pending(result, "junior cohort, deaths and dropouts over three years", "初中入学人数及三年内死亡、辍学人数");
    return result;
  }
  const int64_t losses = static_cast<int64_t>(*facts.junior_deaths) + *facts.junior_dropouts;
  const int64_t cohort = *facts.junior_cohort_enrolled;
  const double annual_loss = static_cast<double>(losses) / kCohortYears;
  result.numerator = annual_loss;
  result.denominator = static_cast<double>(cohort);
  // 1 − (losses / 3) / cohort >= T%  ⇔  (3·cohort − losses) / (3·cohort) >= T%.
  const int64_t years = static_cast<int64_t>(kCohortYears);
  const bool meets = exact::RatioAtLeastPercent(years * cohort - losses, years * cohort, *result.threshold);
  result.value = ConsistentPercent(years * cohort - losses, years * cohort, *result.threshold, meets);
  result.verdict = meets ? Verdict::kMeets : Verdict::kDoesNotMeet;
  Note(result, "1 - (losses / 3) / cohort", "1 −（流失人数 ÷ 3）÷ 入学人数");
  return result;
}

IndicatorResult DisabledEnrolment(const DistrictFacts& facts, bool excludes_deferred) {
  IndicatorResult result = NewResult("Q2");
  if (!facts.disabled_school_age_children || !facts.disabled_enrolled ||
      (excludes_deferred && !facts.disabled_deferred)) {
    Pending(result, "school-age disabled children and those enrolled", "适龄残疾儿童少年数及入学人数");
    return result;
  }
  RatioAtLeast(
      result, *facts.disabled_enrolled,
      static_cast<int64_t>(*facts.disabled_school_age_children) - (excludes_deferred ? *facts.disabled_deferred : 0),
      "school-age disabled children (none counted: 0/0)", "适龄残疾儿童少年数（为 0，无法计算）");
  if (excludes_deferred) {
    Note(result, "children with deferred enrolment excluded from the denominator", "分母不含缓学儿童");
  }
  return result;
}

IndicatorResult TrainingBudget(const DistrictInput& input) {
  IndicatorResult result = NewResult("Q4");
  int64_t operating = 0;
  int64_t training = 0;
  int32_t schools_with_budgets = 0;
  int32_t failing = 0;
  std::vector<std::string> undecided;
  for (const SchoolInput& school : input.schools) {
    const SchoolFunding& f = school.funding;
    if (!f.operating_budget_fen || !f.training_budget_fen) continue;
    ++schools_with_budgets;
    operating += *f.operating_budget_fen;
    training += *f.training_budget_fen;
    if (*f.operating_budget_fen <= 0) {
      undecided.push_back(Label(school));  // 0/0: no operating budget to take 5% of
      continue;
    }
    const bool meets = exact::RatioAtLeastPercent(*f.training_budget_fen, *f.operating_budget_fen, *result.threshold);
    if (!meets) {
      ++failing;
      result.failing.push_back(absl::StrFormat(
          "%s: %.2f%%", Label(school),
          ConsistentPercent(*f.training_budget_fen, *f.operating_budget_fen, *result.threshold, meets)));
    }
  }
  if (schools_with_budgets == 0) {
    if (!input.facts.operating_budget_fen || !input.facts.training_budget_fen) {
      Pending(result, "operating-fund and training budgets (per school, or district totals)",
              "公用经费预算和教师培训经费预算（分校或全区合计）");
      return result;
    }
    RatioAtLeast(result, *input.facts.training_budget_fen, *input.facts.operating_budget_fen,
                 "a district operating-fund budget above zero", "大于零的全区公用经费预算");
    if (result.numerator) {
      result.numerator = *result.numerator / 100.0;
      result.denominator = *result.denominator / 100.0;
    }
    Note(result, "per-school budgets not supplied: verdict on the district totals", "未提供分校预算：按全区合计判定");
    return result;
  }
  RatioAtLeast(result, training, operating, "operating-fund budgets above zero", "大于零的公用经费预算");
  result.numerator = training / 100.0;
  result.denominator = operating / 100.0;
  if (failing > 0) {
    result.verdict = Verdict::kDoesNotMeet;
  } else if (!undecided.empty()) {
    Pending(result, absl::StrCat("an operating-fund budget above zero at ", absl::StrJoin(undecided, "; ")),
            absl::StrCat("以下学校大于零的公用经费预算：", absl::StrJoin(undecided, "；")));
  }
  Note(result,
       absl::StrCat(schools_with_budgets - failing - static_cast<int32_t>(undecided.size()), " of ",
                    schools_with_budgets, " schools budget at least 5%"),
       absl::StrCat(schools_with_budgets, " 所学校中 ",
                    schools_with_budgets - failing - static_cast<int32_t>(undecided.size()), " 所安排不低于5%"));
  return result;
}

IndicatorResult QualityMonitoring(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("Q9");
  if (!facts.monitoring_level_iii_or_above || !facts.monitoring_difference_rate) {
    Pending(result, "the national quality monitoring result (imported when the Ministry publishes it)",
            "国家义务教育质量监测结果（教育部公布后导入）");
    return result;
  }
  result.value = *facts.monitoring_difference_rate;
  // "低于0.15": strictly below.
  result.verdict = *facts.monitoring_level_iii_or_above && *facts.monitoring_difference_rate < *result.threshold
                       ? Verdict::kMeets
                       : Verdict::kDoesNotMeet;
  if (!*facts.monitoring_level_iii_or_above) Note(result, "monitored subjects below level III", "监测科目未达到Ⅲ级");
  return result;
}

IndicatorResult SocialRecognition(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("S1");
  if (!facts.social_recognition_percent) {
    Pending(result, "the social recognition survey result", "社会认可度调查结果");
    return result;
  }
  result.value = *facts.social_recognition_percent;
  // A survey percentage with at most two decimals, compared as hundredths.
  result.verdict = Hundredths(*result.value) >= Hundredths(*result.threshold) ? Verdict::kMeets : Verdict::kDoesNotMeet;
  return result;
}

void SetAlternative(IndicatorResult& result, std::string convention, std::string setting,
                    const IndicatorResult& alternative) {
  result.alternatives.push_back({std::move(convention), std::move(setting), alternative.value, alternative.verdict});
}

std::string IndicatorLabel(const IndicatorResult& result) {
  return result.stage ? absl::StrCat(result.indicator_id, " ", StageLabel(*result.stage)) : result.indicator_id;
}

std::string IndicatorLabelZh(const IndicatorResult& result) {
  if (!result.stage) return result.indicator_id;
  return absl::StrCat(result.indicator_id, " ", *result.stage == Stage::kPrimary ? "小学" : "初中");
}

}  // namespace

DistrictEvaluation Evaluate(const DistrictInput& input) {
  DistrictEvaluation evaluation;
  evaluation.district_code = input.district_code;
  evaluation.school_year = input.school_year;
  evaluation.conventions = input.conventions;
  const Conventions& conventions = input.conventions;
  const DistrictFacts& facts = input.facts;

  for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
    evaluation.stages.push_back(EvaluateStage(input, stage, conventions));
  }
  evaluation.primary_sections = evaluation.stages[0].sections;
  evaluation.junior_sections = evaluation.stages[1].sections;
  AddResourceIndicators(input, evaluation.stages, evaluation);

  Attested(input, "G1", evaluation);
  Attested(input, "G2", evaluation, [&](IndicatorResult& result) {
    if (facts.operating_base_per_student_primary_fen && facts.operating_base_per_student_junior_fen) {
      const double primary = *facts.operating_base_per_student_primary_fen / 100.0;
      const double junior = *facts.operating_base_per_student_junior_fen / 100.0;
      Note(result, absl::StrFormat("per-student operating-fund base: primary %.2f, junior %.2f yuan", primary, junior),
           absl::StrFormat("生均公用经费基准定额：小学 %.2f 元，初中 %.2f 元", primary, junior));
    }
  });
  {
    IndicatorResult g3 = ArtsRooms(input, conventions.room_size_rule_applies_from_build_year);
    const int32_t other_year = conventions.room_size_rule_applies_from_build_year == 0 ? 2016 : 0;
    SetAlternative(g3, "room_size_rule_applies_from_build_year", std::to_string(other_year),
                   ArtsRooms(input, other_year));
    evaluation.indicators.push_back(std::move(g3));
  }
  evaluation.indicators.push_back(SchoolSize(input));
  evaluation.indicators.push_back(ClassSize(input));
  evaluation.indicators.push_back(SmallSchoolFunding(input));
  evaluation.indicators.push_back(SpecialEducationFunding(input));
  evaluation.indicators.push_back(TeacherPay(facts));
  evaluation.indicators.push_back(TeacherShare(input, "G9", &TeacherCounts::training_complete));
  Attested(input, "G10", evaluation);
  evaluation.indicators.push_back(Rotation(input));
  evaluation.indicators.push_back(TeacherShare(input, "G12", &TeacherCounts::certified));
  evaluation.indicators.push_back(ZonedAdmission(facts));
  {
    IndicatorResult g14 = QuotaAllocation(facts, conventions.quota_excludes_hk_macao_classes);
    SetAlternative(g14, "quota_excludes_hk_macao_classes", conventions.quota_excludes_hk_macao_classes ? "off" : "on",
                   QuotaAllocation(facts, !conventions.quota_excludes_hk_macao_classes));
    evaluation.indicators.push_back(std::move(g14));
  }
  evaluation.indicators.push_back(MigrantChildren(facts));

  {
    IndicatorResult q1 = Retention(facts, conventions.retention_formula);
    const bool cohort = conventions.retention_formula == RetentionFormula::kCohort;
    SetAlternative(q1, "retention_formula", cohort ? "annual_loss" : "cohort",
                   Retention(facts, cohort ? RetentionFormula::kAnnualLoss : RetentionFormula::kCohort));
    evaluation.indicators.push_back(std::move(q1));
  }
  {
    IndicatorResult q2 = DisabledEnrolment(facts, conventions.disabled_enrolment_excludes_deferred);
    SetAlternative(q2, "disabled_enrolment_excludes_deferred",
                   conventions.disabled_enrolment_excludes_deferred ? "off" : "on",
                   DisabledEnrolment(facts, !conventions.disabled_enrolment_excludes_deferred));
    evaluation.indicators.push_back(std::move(q2));
  }
  Attested(input, "Q3", evaluation);
  evaluation.indicators.push_back(TrainingBudget(input));
  for (const char* id : {"Q5", "Q6", "Q7", "Q8"}) Attested(input, id, evaluation);
  evaluation.indicators.push_back(QualityMonitoring(facts));
  const IndicatorResult s1 = SocialRecognition(facts);
  evaluation.indicators.push_back(s1);

  // Vetoes (一票否决): those the district recorded, and social recognition
  // below 85%, which is one of them.
  evaluation.vetoes = input.vetoes;
  if (s1.verdict == Verdict::kDoesNotMeet) {
    evaluation.vetoes.push_back(
        {"social_recognition_below_85", absl::StrFormat("social recognition %.2f%%", *s1.value)});
  }

  // Prerequisites: basic balance recognised at least three years before,
  // with monitoring kept at a high level since.
  if (!facts.basic_balanced_recognised_year || !facts.monitoring_kept_high) {
    evaluation.prerequisites = Verdict::kPending;
    evaluation.prerequisite_notes.push_back(
        "missing: the year basic balance was recognised and whether monitoring has stayed high");
    evaluation.prerequisite_notes_zh.push_back("缺少：通过基本均衡认定的年份，以及此后监测是否保持较高水平");
  } else {
    const bool early_enough = *facts.basic_balanced_recognised_year <= input.school_year - kPrerequisiteYears;
    evaluation.prerequisites = early_enough && *facts.monitoring_kept_high ? Verdict::kMeets : Verdict::kDoesNotMeet;
    evaluation.prerequisite_notes.push_back(absl::StrCat("basic balance recognised in ",
                                                         *facts.basic_balanced_recognised_year,
                                                         early_enough ? "" : " (less than three years before)"));
    evaluation.prerequisite_notes_zh.push_back(
        absl::StrCat(*facts.basic_balanced_recognised_year, " 年通过基本均衡认定", early_enough ? "" : "（不足三年）"));
    if (!*facts.monitoring_kept_high) {
      evaluation.prerequisite_notes.push_back("monitoring has not stayed high");
      evaluation.prerequisite_notes_zh.push_back("此后监测未保持较高水平");
    }
  }

  bool pending = evaluation.prerequisites == Verdict::kPending;
  for (const IndicatorResult& result : evaluation.indicators) {
    if (result.verdict == Verdict::kDoesNotMeet) {
      evaluation.failing_indicators.push_back(IndicatorLabel(result));
      evaluation.failing_indicators_zh.push_back(IndicatorLabelZh(result));
    }
    if (result.verdict == Verdict::kPending) {
      pending = true;
      for (size_t i = 0; i < result.notes.size(); ++i) {
        if (result.notes[i].rfind("missing: ", 0) != 0) continue;
        evaluation.missing_inputs.push_back(absl::StrCat(IndicatorLabel(result), ": ", result.notes[i].substr(9)));
        const std::string prefix_zh = "缺少：";
        evaluation.missing_inputs_zh.push_back(
            absl::StrCat(result.indicator_id, "：", result.notes_zh[i].substr(prefix_zh.size())));
      }
    }
  }
  if (evaluation.prerequisites == Verdict::kPending) {
    evaluation.missing_inputs.push_back("prerequisites: " + evaluation.prerequisite_notes.front().substr(9));
    evaluation.missing_inputs_zh.push_back(
        "前提条件：" + evaluation.prerequisite_notes_zh.front().substr(std::string("缺少：").size()));
  }
  for (const StageResult& stage : evaluation.stages) {
    if (stage.sections_failing == 0 && stage.sections_incomplete > 0) {
      // The per-section rule cannot be decided for sections missing an input.
      pending = true;
      evaluation.missing_inputs.push_back(absl::StrCat("per-section rule ", StageLabel(stage.stage), ": inputs of ",
                                                       stage.sections_incomplete, " sections"));
      evaluation.missing_inputs_zh.push_back(absl::StrCat("每校要求（",
                                                          stage.stage == Stage::kPrimary ? "小学" : "初中", "）：",
                                                          stage.sections_incomplete, " 个学段单元的数据"));
    }
    if (stage.sections_failing > 0) {
      evaluation.failing_indicators.push_back(
          absl::StrCat("per-section rule ", StageLabel(stage.stage), " (", stage.sections_failing, " sections)"));
      evaluation.failing_indicators_zh.push_back(absl::StrCat("每校要求（",
                                                              stage.stage == Stage::kPrimary ? "小学" : "初中", "，",
                                                              stage.sections_failing, " 个学段单元未达标）"));
    }
  }
  if (!evaluation.vetoes.empty() || !evaluation.failing_indicators.empty() ||
      evaluation.prerequisites == Verdict::kDoesNotMeet) {
    evaluation.verdict = OverallVerdict::kDoesNotMeet;
  } else if (pending) {
    evaluation.verdict = OverallVerdict::kIncomplete;
  } else {
    evaluation.verdict = OverallVerdict::kMeets;
  }

  AddRemediation(input, evaluation);
  return evaluation;
}

}  // namespace gzedu::engine
