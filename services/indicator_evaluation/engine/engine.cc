// Evaluate(): every indicator of indicators.md sections 3 to 6, the overall
// verdict, and the alternatives under the conventions of section 7.
#include "services/indicator_evaluation/engine/engine.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/engine/remediation.h"

namespace gzedu::engine {
namespace {

// G4: 教督〔2017〕6号, 政府保障程度 item 4.
constexpr int32_t kMaxSchoolSize = 2000;
constexpr int32_t kMaxThroughSchoolSize = 2500;  // nine- and twelve-year schools
// G5: 政府保障程度 item 5.
constexpr int32_t kMaxPrimaryClassSize = 45;
constexpr int32_t kMaxJuniorClassSize = 50;
// G3: 政府保障程度 item 3.
constexpr int32_t kClassesPerArtsRoom = 12;
constexpr double kMinMusicRoomM2 = 96;
constexpr double kMinArtRoomM2 = 90;
// G6: 政府保障程度 item 6.
constexpr int32_t kSmallSchoolFundedStudents = 100;
// G7: 政府保障程度 item 7, in yuan.
constexpr double kSpecialEducationFundsPerStudentYuan = 6000;
// G11: 政府保障程度 item 11: backbone teachers at least 20% of those rotated
// (the 10% rotation ratio is the definition's threshold).
constexpr double kMinBackboneSharePercent = 20;
// Q1: the annual-loss formula spreads three years' losses evenly.
constexpr double kCohortYears = 3;
// Prerequisite: basic balance recognised at least three years before.
constexpr int32_t kPrerequisiteYears = 3;

constexpr double kTolerance = 1e-12;
bool AtLeast(double value, double target) { return value >= target * (1 - kTolerance) - kTolerance; }

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

// A ratio indicator: value = 100 * n / d against `threshold` percent.
void RatioAtLeast(IndicatorResult& result, double numerator, double denominator) {
  result.numerator = numerator;
  result.denominator = denominator;
  if (denominator <= 0) {
    Pending(result, "a denominator above zero", "大于零的分母");
    return;
  }
  result.value = Percent(numerator, denominator);
  result.verdict = AtLeast(*result.value, *result.threshold) ? Verdict::kMeets : Verdict::kDoesNotMeet;
}

int32_t CompulsoryStudents(const SchoolInput& school) {
  int32_t students = 0;
  for (const SectionInput& section : school.sections) students += section.students;
  return students;
}

int32_t Classes(const SchoolInput& school) {
  int32_t classes = 0;
  for (const SectionInput& section : school.sections) classes += section.classes;
  return classes;
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
      const auto verdict_of = [&](const StageResult& s) {
        if (s.students == 0) return Verdict::kPending;
        return AtLeast(s.district_values[k], *result.threshold) && s.cv[k] <= s.cv_max ? Verdict::kMeets
                                                                                       : Verdict::kDoesNotMeet;
      };
      if (stage.students == 0) {
        Pending(result, absl::StrCat(StageLabel(stage.stage), " sections with students"),
                absl::StrCat("有在校生的", stage.stage == Stage::kPrimary ? "小学" : "初中", "学段单元"));
        evaluation.indicators.push_back(std::move(result));
        continue;
      }
      result.value = stage.district_values[k];
      result.cv_actual = stage.cv[k];
      result.denominator = stage.students;
      result.numerator = stage.district_values[k] * stage.students / (k <= 2 || k == 6 ? 100.0 : 1.0);
      result.verdict = verdict_of(stage);
      if (!AtLeast(stage.district_values[k], *result.threshold)) {
        Note(result,
             absl::StrFormat("district value %.4f is below the threshold %.2f", stage.district_values[k],
                             *result.threshold),
             absl::StrFormat("区域值 %.4f 低于标准 %.2f", stage.district_values[k], *result.threshold));
      }
      if (stage.cv[k] > stage.cv_max) {
        Note(result, absl::StrFormat("inter-school CV %.4f is above the limit %.2f", stage.cv[k], stage.cv_max),
             absl::StrFormat("校际差异系数 %.4f 超过上限 %.2f", stage.cv[k], stage.cv_max));
      }
      Note(result, absl::StrCat(stage.sections_meeting[k], " of ", stage.sections, " sections reach the threshold"),
           absl::StrCat(stage.sections, " 个学段单元中 ", stage.sections_meeting[k], " 个达到标准"));
      for (const SectionResult& section : stage.section_results) {
        if (!AtLeast(section.values[k], *result.threshold)) {
          result.failing.push_back(
              absl::StrFormat("%s %s: %.2f", section.school_code, section.school_name, section.values[k]));
        }
      }
      result.alternatives.push_back(
          {"teaching_point_min_students", std::to_string(other_floor.teaching_point_min_students),
           floor_alternative.students > 0 ? std::optional<double>(floor_alternative.district_values[k]) : std::nullopt,
           verdict_of(floor_alternative)});
      result.alternatives.push_back(
          {"shared_resource_apportionment",
           other_apportionment.shared_resource_apportionment == Apportionment::kLegacyWeights ? "legacy_weights"
                                                                                              : "enrolment_share",
           weights_alternative.students > 0 ? std::optional<double>(weights_alternative.district_values[k])
                                            : std::nullopt,
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
  int32_t schools = 0;
  int32_t meeting = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation || school.sections.empty()) continue;
    ++schools;
    const int32_t classes = Classes(school);
    const int32_t needed = (classes + kClassesPerArtsRoom - 1) / kClassesPerArtsRoom;
    std::vector<std::string> problems;
    const auto music = static_cast<int32_t>(school.music_room_areas_m2.size());
    const auto art = static_cast<int32_t>(school.art_room_areas_m2.size());
    if (music < needed)
      problems.push_back(absl::StrCat(music, " music rooms for ", classes, " classes (needs ", needed, ")"));
    if (art < needed)
      problems.push_back(absl::StrCat(art, " art rooms for ", classes, " classes (needs ", needed, ")"));
    const bool sizes_apply =
        room_size_from_year == 0 || school.build_year == 0 || school.build_year >= room_size_from_year;
    if (sizes_apply) {
      for (size_t i = 0; i < school.music_room_areas_m2.size(); ++i) {
        if (school.music_room_areas_m2[i] < kMinMusicRoomM2) {
          problems.push_back(absl::StrFormat("music room %d has %.1f m2 (< %.0f)", i + 1, school.music_room_areas_m2[i],
                                             kMinMusicRoomM2));
        }
      }
      for (size_t i = 0; i < school.art_room_areas_m2.size(); ++i) {
        if (school.art_room_areas_m2[i] < kMinArtRoomM2) {
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
    result.verdict = Verdict::kNotApplicable;
    Note(result, "no school with sections", "无设有学段的学校");
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
  int32_t oversize = 0;
  int32_t schools = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation) continue;
    ++schools;
    const bool through = school.type == SchoolType::kNineYear || school.type == SchoolType::kTwelveYear;
    const int32_t limit = through ? kMaxThroughSchoolSize : kMaxSchoolSize;
    const int32_t students = CompulsoryStudents(school);
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
  int32_t oversize = 0;
  int32_t classes_checked = 0;
  int32_t sections_without_sizes = 0;
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      const int32_t limit = section.stage == Stage::kPrimary ? kMaxPrimaryClassSize : kMaxJuniorClassSize;
      if (section.class_sizes.empty()) {
        if (section.classes > 0 && section.students > limit * section.classes) {
          // More students than full classes can hold: some class is over.
          ++oversize;
          result.failing.push_back(absl::StrCat(Label(school), " ", StageLabel(section.stage), ": ", section.students,
                                                " students in ", section.classes,
                                                " classes, so at least one class above ", limit));
        } else if (section.classes > 0) {
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
  result.denominator = classes_checked;
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

IndicatorResult SmallSchoolFunding(const DistrictInput& input) {
  IndicatorResult result = NewResult("G6");
  int32_t small = 0;
  int32_t short_funded = 0;
  bool missing = false;
  for (const SchoolInput& school : input.schools) {
    const bool village = school.locale == Locale::kRural &&
                         (school.type == SchoolType::kPrimary || school.type == SchoolType::kTeachingPoint);
    const int32_t students = CompulsoryStudents(school);
    if (!village || students >= kSmallSchoolFundedStudents) continue;
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
    const double per_student = *school.funding.operating_funds_fen / 100.0 / school.special_education_students;
    if (!AtLeast(per_student, kSpecialEducationFundsPerStudentYuan)) {
      failing = true;
      result.failing.push_back(absl::StrFormat("%s: %.2f yuan per student", Label(school), per_student));
    }
  }
  if (schools == 0) {
    result.verdict = Verdict::kNotApplicable;
    Note(result, "no special-education school", "无特殊教育学校");
    return result;
  }
  if (students > 0) {
    result.numerator = funds_fen / 100.0;
    result.denominator = static_cast<double>(students);
    result.value = funds_fen / 100.0 / students;
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
  RatioAtLeast(result, *facts.teacher_average_pay_yuan, *facts.civil_servant_average_pay_yuan);
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
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      if (!section.teachers) continue;
      full_time += section.teachers->full_time;
      count += (*section.teachers).*counted;
    }
  }
  if (full_time == 0) {
    Pending(result, "teacher counts per section", "各学段单元的教师数");
    return result;
  }
  RatioAtLeast(result, static_cast<double>(count), static_cast<double>(full_time));
  return result;
}

IndicatorResult Rotation(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("G11");
  if (!facts.rotation_eligible_teachers || !facts.rotated_teachers || !facts.rotated_backbone_teachers) {
    Pending(result, "rotation counts (eligible, rotated, rotated backbone)",
            "交流轮岗人数（符合条件、已交流、其中骨干）");
    return result;
  }
  RatioAtLeast(result, *facts.rotated_teachers, *facts.rotation_eligible_teachers);
  if (result.verdict == Verdict::kPending) return result;
  const double backbone_share =
      *facts.rotated_teachers > 0 ? Percent(*facts.rotated_backbone_teachers, *facts.rotated_teachers) : 0;
  Note(result,
       absl::StrFormat("backbone teachers are %.2f%% of those rotated (%d / %d; at least %.0f%%)", backbone_share,
                       *facts.rotated_backbone_teachers, *facts.rotated_teachers, kMinBackboneSharePercent),
       absl::StrFormat("骨干教师占交流轮岗教师的 %.2f%%（%d / %d；不低于 %.0f%%）", backbone_share,
                       *facts.rotated_backbone_teachers, *facts.rotated_teachers, kMinBackboneSharePercent));
  if (!AtLeast(backbone_share, kMinBackboneSharePercent)) result.verdict = Verdict::kDoesNotMeet;
  return result;
}

IndicatorResult ZonedAdmission(const DistrictFacts& facts) {
  IndicatorResult result = NewResult("G13");
  if (!facts.zoned_admission_primary || !facts.admission_primary_total || !facts.zoned_admission_junior ||
      !facts.admission_junior_total || *facts.admission_primary_total <= 0 || *facts.admission_junior_total <= 0) {
    Pending(result, "zoned and total admissions of urban and town public schools, primary and junior",
            "城区和镇区公办小学、初中就近划片入学人数及入学总数");
    return result;
  }
  const double primary = Percent(*facts.zoned_admission_primary, *facts.admission_primary_total);
  const double junior = Percent(*facts.zoned_admission_junior, *facts.admission_junior_total);
  const IndicatorDefinition* definition = FindIndicator("G13");
  result.value = primary;
  result.numerator = *facts.zoned_admission_primary;
  result.denominator = *facts.admission_primary_total;
  Note(result,
       absl::StrFormat("primary %.2f%% (at least %.0f%%), junior %.2f%% (at least %.0f%%)", primary,
                       *definition->threshold_primary, junior, *definition->threshold_junior),
       absl::StrFormat("小学 %.2f%%（不低于 %.0f%%），初中 %.2f%%（不低于 %.0f%%）", primary,
                       *definition->threshold_primary, junior, *definition->threshold_junior));
  result.verdict = AtLeast(primary, *definition->threshold_primary) && AtLeast(junior, *definition->threshold_junior)
                       ? Verdict::kMeets
                       : Verdict::kDoesNotMeet;
  return result;
}

IndicatorResult QuotaAllocation(const DistrictFacts& facts, bool excludes_hk_macao) {
  IndicatorResult result = NewResult("G14");
  if (!facts.quota_total_places || !facts.quota_allocated_places ||
      (excludes_hk_macao && !facts.quota_hk_macao_class_places)) {
    Pending(result, "quality senior-high places: total and allocated", "优质高中招生名额总数及分配数");
    return result;
  }
  const int32_t total = *facts.quota_total_places - (excludes_hk_macao ? *facts.quota_hk_macao_class_places : 0);
  RatioAtLeast(result, *facts.quota_allocated_places, total);
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
  RatioAtLeast(result, *facts.migrant_children_in_public_schools + *facts.migrant_children_in_purchased_places,
               *facts.migrant_children_eligible);
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
                 *facts.junior_cohort_enrolled + *facts.junior_transferred_in - *facts.junior_transferred_out -
                     *facts.junior_deaths);
    Note(result, "graduates / (cohort + transferred in - transferred out - deaths)",
         "毕业生数 ÷（入学人数 + 转入 − 转出 − 死亡）");
    return result;
  }
  if (!facts.junior_cohort_enrolled || !facts.junior_deaths || !facts.junior_dropouts ||
      *facts.junior_cohort_enrolled <= 0) {
    Pending(result, "junior cohort, deaths and dropouts over three years", "初中入学人数及三年内死亡、辍学人数");
    return result;
  }
  const double annual_loss = (*facts.junior_deaths + *facts.junior_dropouts) / kCohortYears;
  result.numerator = annual_loss;
  result.denominator = *facts.junior_cohort_enrolled;
  result.value = 100.0 * (1.0 - annual_loss / *facts.junior_cohort_enrolled);
  result.verdict = AtLeast(*result.value, *result.threshold) ? Verdict::kMeets : Verdict::kDoesNotMeet;
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
  RatioAtLeast(result, *facts.disabled_enrolled,
               *facts.disabled_school_age_children - (excludes_deferred ? *facts.disabled_deferred : 0));
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
  for (const SchoolInput& school : input.schools) {
    const SchoolFunding& f = school.funding;
    if (!f.operating_budget_fen || !f.training_budget_fen) continue;
    ++schools_with_budgets;
    operating += *f.operating_budget_fen;
    training += *f.training_budget_fen;
    const double share = *f.operating_budget_fen > 0 ? Percent(*f.training_budget_fen, *f.operating_budget_fen) : 0;
    if (!AtLeast(share, *result.threshold)) {
      ++failing;
      result.failing.push_back(absl::StrFormat("%s: %.2f%%", Label(school), share));
    }
  }
  if (schools_with_budgets == 0) {
    if (!input.facts.operating_budget_fen || !input.facts.training_budget_fen) {
      Pending(result, "operating-fund and training budgets (per school, or district totals)",
              "公用经费预算和教师培训经费预算（分校或全区合计）");
      return result;
    }
    RatioAtLeast(result, *input.facts.training_budget_fen / 100.0, *input.facts.operating_budget_fen / 100.0);
    Note(result, "per-school budgets not supplied: verdict on the district totals", "未提供分校预算：按全区合计判定");
    return result;
  }
  RatioAtLeast(result, training / 100.0, operating / 100.0);
  if (failing > 0) result.verdict = Verdict::kDoesNotMeet;
  Note(result,
       absl::StrCat(schools_with_budgets - failing, " of ", schools_with_budgets, " schools budget at least 5%"),
       absl::StrCat(schools_with_budgets, " 所学校中 ", schools_with_budgets - failing, " 所安排不低于5%"));
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
  result.verdict = AtLeast(*result.value, *result.threshold) ? Verdict::kMeets : Verdict::kDoesNotMeet;
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
  evaluation.indicators.push_back(Rotation(facts));
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
