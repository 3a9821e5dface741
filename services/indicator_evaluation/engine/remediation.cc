#include "services/indicator_evaluation/engine/remediation.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"

namespace gzedu::engine {
namespace {

constexpr std::array<double, kResourceIndicatorCount> kScale = {100, 100, 100, 1, 1, 1, 100};
constexpr std::array<const char*, kResourceIndicatorCount> kUnits = {"teachers above the required qualification",
                                                                     "county-level backbone teachers",
                                                                     "PE, music and art teachers",
                                                                     "m2 of teaching and auxiliary area",
                                                                     "m2 of sports area",
                                                                     "yuan of teaching equipment",
                                                                     "multimedia classrooms"};
// The resolution additions are rounded up to: whole teachers and rooms,
// 0.01 m2, whole yuan.
constexpr std::array<double, kResourceIndicatorCount> kStep = {1, 1, 1, 0.01, 0.01, 1, 1};
constexpr double kEpsilon = 1e-9;
// The same resource units in Chinese, for the district steps.
constexpr std::array<const char*, kResourceIndicatorCount> kUnitsZh = {
    "名高于规定学历教师", "名县级以上骨干教师", "名体育、艺术专任教师", "平方米教学及辅助用房",
    "平方米体育运动场馆", "元教学仪器设备",     "间网络多媒体教室"};

// Remediation: how many sections to name as the drivers of a failing CV.
constexpr size_t kCvDriverCount = 5;
double RoundUp(double amount, double step) {
  if (amount <= kEpsilon) return 0;
  return std::ceil(amount / step - kEpsilon) * step;
}

std::string StageWord(Stage stage) { return std::string(StageName(stage)); }
std::string StageWordZh(Stage stage) { return stage == Stage::kPrimary ? "小学" : "初中"; }
std::string Label(const SchoolInput& school) { return absl::StrCat(school.school_code, " ", school.name); }

int64_t CompulsoryStudents(const SchoolInput& school) {
  int64_t students = 0;
  for (const SectionInput& section : school.sections) students += section.students;
  return students;
}

// The smallest whole n with 100 * n >= percent * denominator, in exact
// integer arithmetic (thresholds have at most two decimals).
int64_t MinCountForPercent(double percent, int64_t denominator) {
  const int64_t basis_points = std::llround(percent * 100);
  if (denominator <= 0) return 0;
  return (basis_points * denominator + 9999) / 10000;
}

DistrictRemediationStep NewStep(const IndicatorResult& result, std::string kind) {
  DistrictRemediationStep step;
  step.indicator_id = result.indicator_id;
  step.stage = result.stage;
  step.kind = std::move(kind);
  return step;
}

// A failing indicator no amount can be computed for: the district acts and
// attests (or the next survey or monitoring decides).
DistrictRemediationStep NotComputable(const IndicatorResult& result, std::string en, std::string zh) {
  DistrictRemediationStep step = NewStep(result, "attest");
  step.computable = false;
  step.summary = std::move(en);
  step.summary_zh = std::move(zh);
  return step;
}

// R1-R7: the district value below its threshold. The shortfall is
// (threshold - value) * students / scale; it is placed on the sections
// with the lowest values first, each lifted to the threshold, because
// there the addition also reduces the CV and passes sections.
std::optional<DistrictRemediationStep> DistrictValueStep(const IndicatorResult& result, const StageResult& stage,
                                                         int k) {
  const double threshold = ResourceThreshold(k, stage.stage);
  const double value = stage.district_values[k];
  if (stage.students <= 0 || value >= threshold * (1 - 1e-12)) return std::nullopt;
  std::vector<const SectionResult*> sections;
  for (const SectionResult& section : stage.section_results) {
    if (section.students > 0 && section.values[k] < threshold) sections.push_back(&section);
  }
  std::stable_sort(sections.begin(), sections.end(), [k](const SectionResult* a, const SectionResult* b) {
    if (a->values[k] != b->values[k]) return a->values[k] < b->values[k];
    return a->students > b->students;
  });
  // Lifting every section below the threshold to it always suffices (their
  // shortfalls add up to at least the district's), so the total is capped
  // by that sum: floating-point noise in the district value must not ask
  // for one more step than the sections can take.
  double lift_all = 0;
  for (const SectionResult* section : sections) {
    lift_all += RoundUp((threshold - section->values[k]) * section->students / kScale[k], kStep[k]);
  }
  DistrictRemediationStep step = NewStep(result, "district_value");
  const double amount = std::min(RoundUp((threshold - value) * stage.students / kScale[k], kStep[k]), lift_all);
  step.amount = amount;
  step.unit = kUnits[k];
  step.unit_zh = kUnitsZh[k];
  step.summary = absl::StrFormat(
      "district value %.4f is below the threshold %.2f: add %.2f %s across the %s sections (%d students), "
      "lowest sections first",
      value, threshold, amount, kUnits[k], StageWord(stage.stage), stage.students);
  step.summary_zh =
      absl::StrFormat("区域值 %.4f 低于标准 %.2f：%s学段单元（%d 名学生）共需增加 %.2f %s，优先补给数值最低的学段单元",
                      value, threshold, StageWordZh(stage.stage), stage.students, amount, kUnitsZh[k]);
  double remaining = amount;
  for (const SectionResult* section : sections) {
    if (remaining <= kEpsilon) break;
    const double need = RoundUp((threshold - section->values[k]) * section->students / kScale[k], kStep[k]);
    const double take = std::min(need, remaining);
    remaining -= take;
    const double after = section->values[k] + kScale[k] * take / section->students;
    RemediationTarget target;
    target.label = absl::StrCat(section->school_code, " ", section->school_name);
    target.stage = section->stage;
    target.amount = take;
    target.note = absl::StrFormat("%.2f -> %.2f, %d students", section->values[k], after, section->students);
    target.note_zh = absl::StrFormat("%.2f -> %.2f，%d 名学生", section->values[k], after, section->students);
    step.targets.push_back(std::move(target));
  }
  return step;
}

// R1-R7: a CV above its limit, with the sections driving it.
std::optional<DistrictRemediationStep> CvStep(const IndicatorResult& result, const StageResult& stage, int k,
                                              const std::vector<CvDriver>& drivers) {
  if (stage.cv[k] <= stage.cv_max) return std::nullopt;
  DistrictRemediationStep step = NewStep(result, "cv");
  step.unit = "share of the weighted variance";
  step.unit_zh = "占加权方差的比例";
  step.summary = absl::StrFormat(
      "inter-school CV %.4f is above the limit %.2f: raise the sections farthest below the district value "
      "(these drive the variance; see their section plans)",
      stage.cv[k], stage.cv_max);
  step.summary_zh =
      absl::StrFormat("校际差异系数 %.4f 超过上限 %.2f：补强低于区域值最多的学段单元（以下学段单元为差异主要来源）",
                      stage.cv[k], stage.cv_max);
  for (const CvDriver& driver : drivers) {
    if (driver.stage != stage.stage || driver.indicator_id != result.indicator_id) continue;
    for (const auto& [section, share] : driver.top_sections) {
      RemediationTarget target;
      target.label = section;
      target.stage = stage.stage;
      target.amount = share;
      target.note = absl::StrFormat("%.1f%% of the variance", 100 * share);
      target.note_zh = absl::StrFormat("占方差 %.1f%%", 100 * share);
      step.targets.push_back(std::move(target));
    }
  }
  return step;
}

DistrictRemediationStep SchoolSizeStep(const IndicatorResult& result, const DistrictInput& input) {
  DistrictRemediationStep step = NewStep(result, "school_size");
  int64_t over_total = 0;
  for (const SchoolInput& school : input.schools) {
    if (school.type == SchoolType::kSpecialEducation) continue;
    const bool through = school.type == SchoolType::kNineYear || school.type == SchoolType::kTwelveYear;
    const int32_t limit = through ? kMaxThroughSchoolSize : kMaxSchoolSize;
    const int64_t students = CompulsoryStudents(school);
    if (students <= limit) continue;
    over_total += students - limit;
    RemediationTarget target;
    target.label = Label(school);
    target.amount = students - limit;
    target.note = absl::StrCat(students, " students, limit ", limit);
    target.note_zh = absl::StrCat(students, " 名学生，上限 ", limit);
    step.targets.push_back(std::move(target));
  }
  step.amount = static_cast<double>(over_total);
  step.unit = "students over the school-size limit";
  step.unit_zh = "名超出办学规模上限的学生";
  step.summary = absl::StrCat(step.targets.size(), " schools exceed the size limit by ", over_total,
                              " students in all: move them to other schools or a new school or campus");
  step.summary_zh = absl::StrCat(step.targets.size(), " 所学校超出办学规模上限，共超 ", over_total,
                                 " 人：分流到其他学校或新建学校、校区");
  return step;
}

// G5: per section, the classes to add so that every class can fit the
// limit (ceil(students / limit) - classes) and, where class sizes are
// known, the oversize classes and the students above the limit in them.
DistrictRemediationStep ClassSizeStep(const IndicatorResult& result, const DistrictInput& input) {
  DistrictRemediationStep step = NewStep(result, "class_size");
  int64_t classes_to_add = 0;
  int64_t oversize_classes = 0;
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      const int32_t limit = section.stage == Stage::kPrimary ? kMaxPrimaryClassSize : kMaxJuniorClassSize;
      const int64_t needed = (static_cast<int64_t>(section.students) + limit - 1) / limit;
      const int64_t add = std::max<int64_t>(0, needed - section.classes);
      int32_t oversize = 0;
      int64_t students_over = 0;
      for (int32_t size : section.class_sizes) {
        if (size <= limit) continue;
        ++oversize;
        students_over += size - limit;
      }
      if (add == 0 && oversize == 0) continue;
      classes_to_add += add;
      oversize_classes += oversize;
      RemediationTarget target;
      target.label = Label(school);
      target.stage = section.stage;
      target.amount = static_cast<double>(add);
      target.note = absl::StrCat(section.students, " students in ", section.classes, " classes need ", needed,
                                 " classes of at most ", limit);
      target.note_zh = absl::StrCat(section.students, " 名学生、", section.classes, " 个班，每班不超过 ", limit,
                                    " 人需 ", needed, " 个班");
      if (oversize > 0) {
        absl::StrAppend(&target.note, "; ", oversize, " classes above ", limit, ", ", students_over, " students over",
                        add == 0 ? ": move the extra students into classes with room" : "");
        absl::StrAppend(&target.note_zh, "；", oversize, " 个班超过 ", limit, " 人，共超 ", students_over, " 人",
                        add == 0 ? "：将超额学生调入有空位的班级" : "");
      }
      step.targets.push_back(std::move(target));
    }
  }
  step.amount = static_cast<double>(classes_to_add);
  step.unit = "classes";
  step.unit_zh = "个班";
  step.summary = absl::StrCat("add ", classes_to_add, " classes in ", step.targets.size(), " sections (",
                              oversize_classes, " classes above the limit are known)");
  step.summary_zh = absl::StrCat(step.targets.size(), " 个学段单元共需增加 ", classes_to_add, " 个班（已知超额班级 ",
                                 oversize_classes, " 个）");
  if (classes_to_add == 0) {
    // Every section has room for its students: only the oversize classes'
    // extra students have to move.
    absl::StrAppend(&step.summary, ": every section has room; move the extra students of its oversize classes");
    absl::StrAppend(&step.summary_zh, "：各学段单元班额总量足够，将超额班级的学生调入有空位的班级");
  }
  return step;
}

// G3: the schools short of music or art rooms, as the engine lists them.
DistrictRemediationStep ArtsRoomsStep(const IndicatorResult& result) {
  DistrictRemediationStep step = NewStep(result, "arts_rooms");
  step.amount = static_cast<double>(result.failing.size());
  step.unit = "schools";
  step.unit_zh = "所学校";
  step.summary = "add or enlarge music and art rooms (one each per 12 classes, at least 96 and 90 m2) in these schools";
  step.summary_zh = "在以下学校增加或扩建音乐、美术专用教室（每12个班各1间，面积不小于96、90平方米）";
  for (const std::string& failing : result.failing) {
    RemediationTarget target;
    target.label = failing.substr(0, failing.find(':'));
    target.note = failing.find(": ") == std::string::npos ? failing : failing.substr(failing.find(": ") + 2);
    target.note_zh = target.note;
    step.targets.push_back(std::move(target));
  }
  return step;
}

// G6 and G7: the yuan each short-funded school needs.
DistrictRemediationStep FundingStep(const IndicatorResult& result, const DistrictInput& input) {
  const bool special = result.indicator_id == "G7";
  DistrictRemediationStep step = NewStep(result, special ? "special_education_funds" : "small_school_funds");
  int64_t total_fen = 0;
  for (const SchoolInput& school : input.schools) {
    if (!school.funding.operating_funds_fen) continue;
    int64_t required_fen = 0;
    if (special) {
      if (school.type != SchoolType::kSpecialEducation || school.special_education_students <= 0) continue;
      required_fen = kSpecialEducationFundsPerStudentFen * school.special_education_students;
    } else {
      const bool small_rural = school.type == SchoolType::kTeachingPoint ||
                               (school.locale == Locale::kRural && school.type == SchoolType::kPrimary);
      if (!small_rural || CompulsoryStudents(school) >= kSmallSchoolFundedStudents ||
          !input.facts.operating_base_per_student_primary_fen) {
        continue;
      }
      required_fen = kSmallSchoolFundedStudents * *input.facts.operating_base_per_student_primary_fen;
    }
    const int64_t short_fen = required_fen - *school.funding.operating_funds_fen;
    if (short_fen <= 0) continue;
    total_fen += short_fen;
    RemediationTarget target;
    target.label = Label(school);
    target.amount = short_fen / 100.0;
    target.note = absl::StrFormat("%.2f yuan received, %.2f required", *school.funding.operating_funds_fen / 100.0,
                                  required_fen / 100.0);
    target.note_zh = absl::StrFormat("已拨 %.2f 元，应拨 %.2f 元", *school.funding.operating_funds_fen / 100.0,
                                     required_fen / 100.0);
    step.targets.push_back(std::move(target));
  }
  step.amount = total_fen / 100.0;
  step.unit = "yuan of operating funds";
  step.unit_zh = "元公用经费";
  step.summary = absl::StrFormat("allocate %.2f yuan more operating funds to %d schools", total_fen / 100.0,
                                 static_cast<int>(step.targets.size()));
  step.summary_zh =
      absl::StrFormat("向 %d 所学校增拨公用经费 %.2f 元", static_cast<int>(step.targets.size()), total_fen / 100.0);
  return step;
}

// G9 and G12: teachers still to train or certify, per section.
DistrictRemediationStep TeacherShareStep(const IndicatorResult& result, const DistrictInput& input) {
  const bool training = result.indicator_id == "G9";
  DistrictRemediationStep step = NewStep(result, training ? "teacher_training" : "teacher_certification");
  int64_t total = 0;
  for (const SchoolInput& school : input.schools) {
    for (const SectionInput& section : school.sections) {
      if (!section.teachers) continue;
      const int32_t done = training ? section.teachers->training_complete : section.teachers->certified;
      const int32_t missing = section.teachers->full_time - done;
      if (missing <= 0) continue;
      total += missing;
      RemediationTarget target;
      target.label = Label(school);
      target.stage = section.stage;
      target.amount = missing;
      target.note = absl::StrCat(done, " of ", section.teachers->full_time, " full-time teachers");
      target.note_zh = absl::StrCat(section.teachers->full_time, " 名专任教师中 ", done, " 名");
      step.targets.push_back(std::move(target));
    }
  }
  step.amount = static_cast<double>(total);
  step.unit = training ? "teachers to complete 360 training hours" : "teachers to certify";
  step.unit_zh = training ? "名教师需完成360学时培训" : "名教师需取得教师资格证";
  step.summary = absl::StrCat(total, " ", step.unit, " in ", step.targets.size(), " sections");
  step.summary_zh = absl::StrCat(step.targets.size(), " 个学段单元共 ", total, " ", step.unit_zh);
  return step;
}

std::optional<DistrictRemediationStep> RotationStep(const IndicatorResult& result, const DistrictFacts& facts) {
  if (!facts.rotation_eligible_teachers || !facts.rotated_teachers || !facts.rotated_backbone_teachers) {
    return std::nullopt;
  }
  DistrictRemediationStep step = NewStep(result, "rotation");
  const int64_t rotated = *facts.rotated_teachers;
  const int64_t backbone = *facts.rotated_backbone_teachers;
  const int64_t more = std::max<int64_t>(
      0, MinCountForPercent(result.threshold.value_or(10), *facts.rotation_eligible_teachers) - rotated);
  const int64_t more_backbone =
      std::max<int64_t>(0, MinCountForPercent(kMinBackboneSharePercent, rotated + more) - backbone);
  step.amount = static_cast<double>(more);
  step.unit = "more teachers to rotate";
  step.unit_zh = "名教师需增加交流轮岗";
  step.summary = absl::StrCat("rotate ", more, " more teachers (", rotated, " of ", *facts.rotation_eligible_teachers,
                              " eligible now), of whom at least ", more_backbone,
                              " more backbone teachers (backbone at least 20% of those rotated)");
  step.summary_zh =
      absl::StrCat("再交流轮岗 ", more, " 名教师（目前符合条件 ", *facts.rotation_eligible_teachers, " 名中已交流 ",
                   rotated, " 名），其中骨干教师至少再增加 ", more_backbone, " 名（骨干不低于交流总数的20%）");
  step.targets.push_back({"rotations", std::nullopt, static_cast<double>(more), "more rotations", "增加交流人数"});
  step.targets.push_back({"backbone rotations", std::nullopt, static_cast<double>(more_backbone),
                          "more backbone teachers rotated", "增加交流的骨干教师"});
  return step;
}

std::optional<DistrictRemediationStep> ZonedAdmissionStep(const IndicatorResult& result, const DistrictFacts& facts) {
  if (!facts.zoned_admission_primary || !facts.admission_primary_total || !facts.zoned_admission_junior ||
      !facts.admission_junior_total) {
    return std::nullopt;
  }
  const IndicatorDefinition* definition = FindIndicator("G13");
  DistrictRemediationStep step = NewStep(result, "zoned_admission");
  int64_t total = 0;
  const struct {
    Stage stage;
    int32_t zoned;
    int32_t admitted;
    double threshold;
  } stages[] = {
      {Stage::kPrimary, *facts.zoned_admission_primary, *facts.admission_primary_total,
       definition->threshold_primary.value_or(100)},
      {Stage::kJunior, *facts.zoned_admission_junior, *facts.admission_junior_total,
       definition->threshold_junior.value_or(95)},
  };
  for (const auto& s : stages) {
    const int64_t more = MinCountForPercent(s.threshold, s.admitted) - s.zoned;
    if (s.admitted <= 0 || more <= 0) continue;
    total += more;
    RemediationTarget target;
    target.label = "admissions";
    target.stage = s.stage;
    target.amount = static_cast<double>(more);
    target.note = absl::StrFormat("%d of %d admitted by zoning; at least %.0f%%", s.zoned, s.admitted, s.threshold);
    target.note_zh = absl::StrFormat("%d 名入学者中划片入学 %d 名；不低于 %.0f%%", s.admitted, s.zoned, s.threshold);
    step.targets.push_back(std::move(target));
  }
  step.amount = static_cast<double>(total);
  step.unit = "more admissions by nearby zoning";
  step.unit_zh = "名学生需改为就近划片入学";
  step.summary = absl::StrCat("admit ", total, " more pupils by nearby zoning in urban and town public schools");
  step.summary_zh = absl::StrCat("城区和镇区公办学校需再有 ", total, " 名学生就近划片入学");
  return step;
}

// A ratio indicator short of its threshold: how many more units the
// numerator needs, from the result's own numerator and denominator.
std::optional<DistrictRemediationStep> RatioStep(const IndicatorResult& result, std::string kind, std::string unit,
                                                 std::string unit_zh, std::string action, std::string action_zh) {
  if (!result.numerator || !result.denominator || !result.threshold) return std::nullopt;
  const int64_t numerator = std::llround(*result.numerator);
  const int64_t denominator = std::llround(*result.denominator);
  const int64_t more = std::max<int64_t>(0, MinCountForPercent(*result.threshold, denominator) - numerator);
  DistrictRemediationStep step = NewStep(result, std::move(kind));
  step.amount = static_cast<double>(more);
  step.unit = std::move(unit);
  step.unit_zh = std::move(unit_zh);
  step.summary =
      absl::StrFormat("%s %d (%d of %d now; at least %.0f%%)", action, more, numerator, denominator, *result.threshold);
  step.summary_zh = absl::StrFormat("%s %d（目前 %d / %d；不低于 %.0f%%）", action_zh, more, numerator, denominator,
                                    *result.threshold);
  return step;
}

// Q4: per school, the training budget to add so that it reaches 5% of the
// operating budget; the district totals when schools' budgets are absent.
DistrictRemediationStep TrainingBudgetStep(const IndicatorResult& result, const DistrictInput& input) {
  DistrictRemediationStep step = NewStep(result, "training_budget");
  const double threshold = result.threshold.value_or(5);
  const auto short_fen = [threshold](int64_t operating_fen, int64_t training_fen) {
    return std::max<int64_t>(0, MinCountForPercent(threshold, operating_fen) - training_fen);
  };
  int64_t total_fen = 0;
  for (const SchoolInput& school : input.schools) {
    const SchoolFunding& f = school.funding;
    if (!f.operating_budget_fen || !f.training_budget_fen) continue;
    const int64_t add_fen = short_fen(*f.operating_budget_fen, *f.training_budget_fen);
    if (add_fen == 0) continue;
    total_fen += add_fen;
    RemediationTarget target;
    target.label = Label(school);
    target.amount = add_fen / 100.0;
    target.note = absl::StrFormat("training %.2f of operating %.2f yuan", *f.training_budget_fen / 100.0,
                                  *f.operating_budget_fen / 100.0);
    target.note_zh = absl::StrFormat("培训经费 %.2f 元，公用经费 %.2f 元", *f.training_budget_fen / 100.0,
                                     *f.operating_budget_fen / 100.0);
    step.targets.push_back(std::move(target));
  }
  if (step.targets.empty() && input.facts.operating_budget_fen && input.facts.training_budget_fen) {
    total_fen = short_fen(*input.facts.operating_budget_fen, *input.facts.training_budget_fen);
    step.targets.push_back(
        {"district total", std::nullopt, total_fen / 100.0, "district budget totals", "全区预算合计"});
  }
  step.amount = total_fen / 100.0;
  step.unit = "yuan of teacher-training budget";
  step.unit_zh = "元教师培训经费";
  step.summary = absl::StrFormat("budget %.2f yuan more for teacher training in %d schools", total_fen / 100.0,
                                 static_cast<int>(step.targets.size()));
  step.summary_zh = absl::StrFormat("%d 所学校共需增加教师培训经费预算 %.2f 元", static_cast<int>(step.targets.size()),
                                    total_fen / 100.0);
  return step;
}

std::optional<DistrictRemediationStep> TeacherPayStep(const IndicatorResult& result, const DistrictFacts& facts) {
  if (!facts.teacher_average_pay_yuan || !facts.civil_servant_average_pay_yuan) return std::nullopt;
  DistrictRemediationStep step = NewStep(result, "teacher_pay");
  const double gap = std::max(0.0, *facts.civil_servant_average_pay_yuan - *facts.teacher_average_pay_yuan);
  step.amount = gap;
  step.unit = "yuan of average pay per teacher (same basis as reported)";
  step.unit_zh = "元教师人均工资（与填报口径相同）";
  step.summary = absl::StrFormat("raise the average teacher pay by %.2f yuan to the civil servants' %.2f", gap,
                                 *facts.civil_servant_average_pay_yuan);
  step.summary_zh = absl::StrFormat("教师平均工资需提高 %.2f 元，达到公务员平均工资 %.2f 元", gap,
                                    *facts.civil_servant_average_pay_yuan);
  if (facts.performance_pay_fully_approved == false) {
    absl::StrAppend(&step.summary, "; approve the full performance-pay total and attest it");
    absl::StrAppend(&step.summary_zh, "；足额核定绩效工资总量并出具认定");
  }
  return step;
}

void AddCvDrivers(const StageResult& stage, DistrictEvaluation& evaluation) {
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    if (stage.cv[k] <= stage.cv_max || stage.section_results.empty()) continue;
    CvDriver driver;
    driver.stage = stage.stage;
    driver.indicator_id = std::string(IndicatorDefinitions()[k].id);
    double total = 0;
    for (const SectionResult& section : stage.section_results) total += section.variance_contributions[k];
    std::vector<std::pair<std::string, double>> shares;
    for (const SectionResult& section : stage.section_results) {
      shares.emplace_back(absl::StrCat(section.school_code, " ", section.school_name),
                          total > 0 ? section.variance_contributions[k] / total : 0);
    }
    const size_t top = std::min(kCvDriverCount, shares.size());
    std::partial_sort(shares.begin(), shares.begin() + top, shares.end(),
                      [](const auto& a, const auto& b) { return a.second > b.second; });
    shares.resize(top);
    driver.top_sections = std::move(shares);
    evaluation.cv_drivers.push_back(std::move(driver));
  }
}

int ResourceIndex(const std::string& id) {
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    if (IndicatorDefinitions()[k].id == id) return k;
  }
  return -1;
}

void AddDistrictSteps(const DistrictInput& input, DistrictEvaluation& evaluation) {
  std::vector<DistrictRemediationStep>& plan = evaluation.district_plan;
  for (const IndicatorResult& result : evaluation.indicators) {
    if (result.verdict != Verdict::kDoesNotMeet) continue;
    const std::string& id = result.indicator_id;
    const int k = ResourceIndex(id);
    std::optional<DistrictRemediationStep> step;
    if (k >= 0 && result.stage) {
      for (const StageResult& stage : evaluation.stages) {
        if (stage.stage != *result.stage) continue;
        bool any = false;
        if (auto s = DistrictValueStep(result, stage, k)) {
          plan.push_back(std::move(*s));
          any = true;
        }
        if (auto s = CvStep(result, stage, k, evaluation.cv_drivers)) {
          plan.push_back(std::move(*s));
          any = true;
        }
        if (!any) {
          plan.push_back(NotComputable(result, "fails, but neither its district value nor its CV could be located",
                                       "未达标，但无法定位到区域值或差异系数"));
        }
      }
      continue;
    }
    if (id == "G3") {
      step = ArtsRoomsStep(result);
    } else if (id == "G4") {
      step = SchoolSizeStep(result, input);
    } else if (id == "G5") {
      step = ClassSizeStep(result, input);
    } else if (id == "G6" || id == "G7") {
      step = FundingStep(result, input);
    } else if (id == "G8") {
      step = TeacherPayStep(result, input.facts);
    } else if (id == "G9" || id == "G12") {
      step = TeacherShareStep(result, input);
    } else if (id == "G11") {
      step = RotationStep(result, input.facts);
    } else if (id == "G13") {
      step = ZonedAdmissionStep(result, input.facts);
    } else if (id == "G14") {
      step = RatioStep(result, "quota_places", "quality senior-high places to allocate to junior schools",
                       "个优质高中招生名额需分配到初中", "allocate more quality senior-high places to junior schools:",
                       "需再分配到初中的优质高中招生名额：");
    } else if (id == "G15") {
      step = RatioStep(result, "migrant_children", "migrant children to place in public schools or purchased places",
                       "名随迁子女需在公办学校或政府购买学位就读",
                       "place more migrant children in public schools or purchased places:",
                       "需再安排在公办学校或政府购买学位就读的随迁子女：");
      if (step && input.facts.left_behind_care_system == false) {
        absl::StrAppend(&step->summary, "; set up a left-behind-children care system and attest it");
        absl::StrAppend(&step->summary_zh, "；建立留守儿童关爱体系并出具认定");
      }
    } else if (id == "Q2") {
      step = RatioStep(result, "disabled_enrolment", "disabled children to enrol", "名残疾儿童少年需入学",
                       "enrol more school-age disabled children:", "需再入学的适龄残疾儿童少年：");
    } else if (id == "Q4") {
      step = TrainingBudgetStep(result, input);
    } else if (id == "Q9") {
      step = NotComputable(result, "no amount can be computed: the next national quality monitoring decides",
                           "无法计算整改数量：以下一次国家义务教育质量监测结果为准");
    } else if (id == "S1") {
      step = NotComputable(result, "no amount can be computed: the next social recognition survey decides",
                           "无法计算整改数量：以下一次社会认可度调查结果为准");
    }
    if (!step) {
      step = NotComputable(result, "no amount can be computed from the inputs: the district must act and attest",
                           "无法根据数据计算整改数量：须由本区整改并出具认定");
    }
    plan.push_back(std::move(*step));
  }
  for (const Veto& veto : evaluation.vetoes) {
    DistrictRemediationStep step;
    step.indicator_id = "veto";
    step.kind = "veto";
    step.computable = false;
    step.summary = absl::StrCat("veto ", veto.kind, " (", veto.evidence,
                                "): no amount can be computed; the district must act and attest");
    step.summary_zh =
        absl::StrCat("一票否决 ", veto.kind, "（", veto.evidence, "）：无法计算整改数量，须由本区整改并出具认定");
    plan.push_back(std::move(step));
  }
  if (evaluation.prerequisites == Verdict::kDoesNotMeet) {
    DistrictRemediationStep step;
    step.indicator_id = "prerequisites";
    step.kind = "attest";
    step.computable = false;
    step.summary = "the prerequisites are not met: no amount can be computed";
    step.summary_zh = "前提条件未满足：无法计算整改数量";
    plan.push_back(std::move(step));
  }
  for (const StageResult& stage : evaluation.stages) {
    if (stage.sections_failing <= 0) continue;
    DistrictRemediationStep step;
    step.indicator_id = "per-section rule";
    step.stage = stage.stage;
    step.kind = "section_rule";
    step.amount = stage.sections_failing;
    step.unit = "sections";
    step.unit_zh = "个学段单元";
    step.summary = absl::StrCat(stage.sections_failing, " of ", stage.sections, " ", StageWord(stage.stage),
                                " sections fail the per-section rule: one plan per section (一校一案)");
    step.summary_zh = absl::StrCat(stage.sections, " 个", StageWordZh(stage.stage), "学段单元中 ",
                                   stage.sections_failing, " 个未达到每校要求：见一校一案");
    plan.push_back(std::move(step));
  }
}

}  // namespace

RemediationPlan PlanForSection(const SectionResult& section) {
  RemediationPlan plan;
  plan.school_code = section.school_code;
  plan.school_name = section.school_name;
  plan.stage = section.stage;
  plan.students = section.students;

  int relaxed = 0;
  double largest_shortfall = -1;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, section.stage);
    const double shortfall = (threshold - section.values[k]) / threshold;
    if (shortfall > largest_shortfall) {
      largest_shortfall = shortfall;
      relaxed = k;
    }
  }
  plan.relaxed_indicator_id = std::string(IndicatorDefinitions()[relaxed].id);

  const double students = section.students;
  for (int k = 0; k < kResourceIndicatorCount; ++k) {
    const double threshold = ResourceThreshold(k, section.stage);
    const double target = k == relaxed ? kSectionRelaxedShare * threshold : threshold;
    if (section.values[k] >= target) continue;
    // value = scale * n / P, so the numerator needed is target * P / scale.
    const double current = section.values[k] * students / kScale[k];
    const double needed = target * students / kScale[k];
    RemediationStep step;
    step.indicator_id = std::string(IndicatorDefinitions()[k].id);
    step.current_value = section.values[k];
    step.target_value = target;
    step.addition = RoundUp(needed - current, kStep[k]);
    step.unit = kUnits[k];
    plan.steps.push_back(step);
  }

  // Fewer students raise every value at once: the largest enrolment at
  // which the section passes, allowing any one indicator at 85%.
  double best_max_students = 0;
  for (int relaxed_k = 0; relaxed_k < kResourceIndicatorCount; ++relaxed_k) {
    double max_students = INFINITY;
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      const double target = ResourceThreshold(k, section.stage) * (k == relaxed_k ? kSectionRelaxedShare : 1.0);
      const double numerator = section.values[k] * students / kScale[k];
      max_students = std::min(max_students, kScale[k] * numerator / target);
    }
    best_max_students = std::max(best_max_students, max_students);
  }
  const auto allowed = static_cast<int32_t>(std::floor(best_max_students + kEpsilon));
  if (allowed >= 1 && allowed < section.students) plan.enrolment_reduction = section.students - allowed;
  return plan;
}

std::array<double, kResourceIndicatorCount> ValuesAfterPlan(const SectionResult& section, const RemediationPlan& plan) {
  std::array<double, kResourceIndicatorCount> values = section.values;
  for (const RemediationStep& step : plan.steps) {
    for (int k = 0; k < kResourceIndicatorCount; ++k) {
      if (IndicatorDefinitions()[k].id == step.indicator_id) {
        values[k] += kScale[k] * step.addition / section.students;
      }
    }
  }
  return values;
}

void AddRemediation(const DistrictInput& input, DistrictEvaluation& evaluation) {
  // One plan per failing section; for each failing CV, the sections with
  // the largest share of the weighted variance.
  for (const StageResult& stage : evaluation.stages) {
    for (const SectionResult& section : stage.section_results) {
      if (section.outcome != SectionOutcome::kFails) continue;
      evaluation.plans.push_back(PlanForSection(section));
    }
    AddCvDrivers(stage, evaluation);
  }
  AddDistrictSteps(input, evaluation);
}

}  // namespace gzedu::engine
