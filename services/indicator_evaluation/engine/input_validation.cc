#include "services/indicator_evaluation/engine/input_validation.h"

#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/domain/bound_messages.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/domain/input_bounds.h"
#include "common/status/texts.h"

namespace gzedu::engine {
namespace {

// Collects the problems of one input under a root path.
class Checker {
 public:
  explicit Checker(std::vector<InputProblem>* problems) : problems_(problems) {}

  void Add(const std::string& path, LocalizedText description) {
    problems_->emplace_back(path, std::move(description));
  }
  void Add(const std::string& path, std::string description, std::string description_zh) {
    problems_->emplace_back(path, LocalizedText{std::move(description), std::move(description_zh)});
  }

  // A whole number within 0..limit.
  void Count(int64_t value, const std::string& path, int64_t limit, const LocalizedText& what) {
    if (value < 0) {
      Add(path, absl::StrCat(value, " must be >= 0"), absl::StrCat(value, " 不能为负数"));
    } else if (value > limit) {
      Add(path, bounds::AboveLimit(value, limit, what));
    }
  }
  void Count(const std::optional<int32_t>& value, const std::string& path, int64_t limit, const LocalizedText& what) {
    if (value) Count(*value, path, limit, what);
  }

  // A measured quantity (m², rooms): finite, within 0..limit, at most two
  // decimals.
  void Measure(double value, const std::string& path, double limit, const LocalizedText& what,
               const LocalizedText& unit) {
    if (!std::isfinite(value)) {
      Add(path, absl::StrCat(bounds::FormatNumber(value), " must be a finite number"),
          absl::StrCat(bounds::FormatNumber(value), " 必须是有限的数值"));
    } else if (value < 0) {
      Add(path, absl::StrCat(bounds::FormatNumber(value), " must be >= 0"),
          absl::StrCat(bounds::FormatNumber(value), " 不能为负数"));
    } else if (value > limit) {
      Add(path, bounds::AboveLimit(value, limit, what));
    } else if (!bounds::HasAtMostTwoDecimals(value)) {
      Add(path, bounds::TooManyDecimals(value, unit));
    }
  }

  // An amount of money in fen: within 0..10^12 yuan.
  void Amount(int64_t fen, const std::string& path) {
    if (fen < 0) {
      Add(path, absl::StrCat(bounds::FormatFenAsYuan(fen), " yuan must be >= 0"),
          absl::StrCat(bounds::FormatFenAsYuan(fen), " 元不能为负数"));
    } else if (fen > bounds::kMaxAmountFen) {
      Add(path, bounds::AmountAboveLimit(bounds::FormatFenAsYuan(fen), bounds::kMaxAmountFen));
    }
  }
  void Amount(const std::optional<int64_t>& fen, const std::string& path) {
    if (fen) Amount(*fen, path);
  }

  // A part that cannot exceed its whole (both given).
  void Part(const std::optional<int64_t>& part, const std::optional<int64_t>& whole, const std::string& part_path,
            absl::string_view part_name, absl::string_view whole_name) {
    if (!part || !whole || *part < 0 || *whole < 0 || *part <= *whole) return;
    Add(part_path, absl::StrCat(part_name, " (", *part, ") is more than ", whole_name, " (", *whole, ")"),
        absl::StrCat(part_name, "（", *part, "）大于 ", whole_name, "（", *whole, "）"));
  }
  // The same for amounts of money, shown in yuan.
  void AmountPart(const std::optional<int64_t>& part, const std::optional<int64_t>& whole, const std::string& part_path,
                  const LocalizedText& part_name, const LocalizedText& whole_name) {
    if (!part || !whole || *part < 0 || *whole < 0 || *part <= *whole) return;
    Add(part_path,
        absl::StrCat(part_name.en, " (", bounds::FormatFenAsYuan(*part), " yuan) is more than ", whole_name.en, " (",
                     bounds::FormatFenAsYuan(*whole), " yuan)"),
        absl::StrCat(part_name.zh, "（", bounds::FormatFenAsYuan(*part), " 元）大于", whole_name.zh, "（",
                     bounds::FormatFenAsYuan(*whole), " 元）"));
  }

 private:
  std::vector<InputProblem>* problems_;
};

std::string Join(const std::string& path, absl::string_view name) {
  return path.empty() ? std::string(name) : absl::StrCat(path, ".", name);
}
std::string Indexed(const std::string& path, absl::string_view name, size_t i) {
  return absl::StrCat(Join(path, name), "[", i, "]");
}

std::optional<int64_t> Wide(const std::optional<int32_t>& value) {
  return value ? std::optional<int64_t>(*value) : std::nullopt;
}

const char* TypeWord(SchoolType type) {
  switch (type) {
    case SchoolType::kPrimary:
      return "primary";
    case SchoolType::kJunior:
      return "junior";
    case SchoolType::kNineYear:
      return "nine_year";
    case SchoolType::kTwelveYear:
      return "twelve_year";
    case SchoolType::kCompleteMiddle:
      return "complete_middle";
    case SchoolType::kTeachingPoint:
      return "teaching_point";
    case SchoolType::kSpecialEducation:
      return "special_education";
  }
  return "unknown";
}

const char* StageWord(Stage stage) { return stage == Stage::kJunior ? "junior" : "primary"; }

// The school types as the Chinese forms name them.
const char* TypeWordInChinese(SchoolType type) {
  switch (type) {
    case SchoolType::kPrimary:
      return "小学";
    case SchoolType::kJunior:
      return "初级中学";
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
  return "未知类型的学校";
}

const char* StageWordInChinese(Stage stage) { return stage == Stage::kJunior ? "初中" : "小学"; }

const LocalizedText kSquareMetres{"m²", "m²"};
const LocalizedText kAreaUnit{"m²", "面积"};
const LocalizedText kRooms{"rooms", "间"};
const LocalizedText kRoomsUnit{"rooms", "间数"};
const LocalizedText kStudentsPerSection{"students per section", "每个学段单元的在校生数"};
const LocalizedText kStudentsPerSchool{"students per school", "每所学校的在校生数"};

void CheckFacilities(Checker& c, const Facilities& f, const std::string& path) {
  c.Measure(f.teaching_area_m2, Join(path, "teaching_area_m2"), bounds::kMaxAreaM2, kSquareMetres, kAreaUnit);
  c.Measure(f.sports_area_m2, Join(path, "sports_area_m2"), bounds::kMaxAreaM2, kSquareMetres, kAreaUnit);
  c.Amount(f.equipment_value_fen, Join(path, "equipment_value_fen"));
  c.Measure(f.multimedia_rooms, Join(path, "multimedia_rooms"), bounds::kMaxRooms, kRooms, kRoomsUnit);
}

void CheckTeachers(Checker& c, const TeacherCounts& t, const std::string& path) {
  c.Count(t.full_time, Join(path, "full_time"), bounds::kMaxTeachers,
          {"teachers per section", "每个学段单元的专任教师数"});
  const std::pair<const char*, int32_t> parts[] = {
      {"above_required_qualification", t.above_required_qualification},
      {"backbone_county_or_above", t.backbone_county_or_above},
      {"pe_music_art", t.pe_music_art},
      {"certified", t.certified},
      {"training_complete", t.training_complete},
  };
  for (const auto& [name, value] : parts) {
    const std::string field = Join(path, name);
    if (value < 0) {
      c.Add(field, absl::StrCat(value, " must be >= 0"), absl::StrCat(value, " 不能为负数"));
    } else if (t.full_time >= 0 && value > t.full_time) {
      c.Add(field,
            absl::StrCat(value, " is more than full_time (", t.full_time,
                         "): only the section's full-time teachers are counted"),
            absl::StrCat(value, " 大于 full_time（", t.full_time, "）：只计该学段单元的专任教师"));
    }
  }
}

void CheckSection(Checker& c, const SectionInput& s, const std::string& path) {
  c.Count(s.students, Join(path, "students"), bounds::kMaxStudents, kStudentsPerSection);
  c.Count(s.classes, Join(path, "classes"), bounds::kMaxClasses, {"classes per section", "每个学段单元的班级数"});
  const bool counts_valid =
      s.students >= 0 && s.students <= bounds::kMaxStudents && s.classes >= 0 && s.classes <= bounds::kMaxClasses;
  if (!s.class_sizes.empty()) {
    const std::string sizes = Join(path, "class_sizes");
    if (s.classes >= 0 && static_cast<int64_t>(s.class_sizes.size()) != s.classes) {
      c.Add(sizes,
            absl::StrCat("has ", s.class_sizes.size(), " entries but classes is ", s.classes,
                         "; give one size per class"),
            absl::StrCat("有 ", s.class_sizes.size(), " 项，但班级数为 ", s.classes, "；每个班给出一个班额"));
    }
    int64_t total = 0;
    bool sizes_valid = true;
    for (size_t i = 0; i < s.class_sizes.size(); ++i) {
      const int32_t size = s.class_sizes[i];
      if (size < 1 || size > bounds::kMaxClassSize) {
        c.Add(absl::StrCat(sizes, "[", i, "]"),
              size < 1 ? LocalizedText{absl::StrCat(size, " must be at least 1 (a class has students)"),
                                       absl::StrCat(size, " 不能小于 1（每个班都有学生）")}
                       : bounds::AboveLimit(size, bounds::kMaxClassSize, {"students per class", "每班人数"}));
        sizes_valid = false;
      }
      total += size;
    }
    if (sizes_valid && s.students >= 0 && total != s.students) {
      c.Add(sizes, absl::StrCat("add up to ", total, " but students is ", s.students),
            absl::StrCat("各班人数合计 ", total, "，但在校生数为 ", s.students));
    }
  } else if (counts_valid && s.classes > s.students) {
    // With class sizes given, their sum and count already say this.
    c.Add(Join(path, "classes"),
          absl::StrCat(s.classes, " classes for ", s.students, " students: a class has at least one student"),
          absl::StrCat(s.students, " 名学生分 ", s.classes, " 个班：每个班至少有一名学生"));
  } else if (counts_valid && s.classes > 0 && s.students > s.classes * bounds::kMaxClassSize) {
    c.Add(Join(path, "students"),
          absl::StrCat(s.students, " students in ", s.classes, " classes is more than the limit of ",
                       bounds::kMaxClassSize, " students per class"),
          absl::StrCat(s.classes, " 个班共 ", s.students, " 名学生，超过每班 ", bounds::kMaxClassSize, " 人的上限"));
  }
  if (s.teachers) CheckTeachers(c, *s.teachers, Join(path, "teachers"));
  if (s.facilities) CheckFacilities(c, *s.facilities, Join(path, "facilities"));
}

void CheckRooms(Checker& c, const std::vector<double>& areas, const std::string& path) {
  if (static_cast<double>(areas.size()) > bounds::kMaxRooms) {
    c.Add(path, bounds::AboveLimit(static_cast<double>(areas.size()), bounds::kMaxRooms, kRooms));
    return;
  }
  for (size_t i = 0; i < areas.size(); ++i) {
    const std::string room = absl::StrCat(path, "[", i, "]");
    if (std::isfinite(areas[i]) && areas[i] <= 0) {
      c.Add(room, absl::StrCat(bounds::FormatNumber(areas[i]), " must be > 0 (a room's floor area in m²)"),
            absl::StrCat(bounds::FormatNumber(areas[i]), " 必须大于 0（功能室的面积，单位 m²）"));
    } else {
      c.Measure(areas[i], room, bounds::kMaxRoomAreaM2, {"m² per room", "每间 m²"}, kAreaUnit);
    }
  }
}

void CheckSchool(Checker& c, const SchoolInput& school, const std::string& path,
                 const std::optional<int64_t>& district_operating_budget_fen) {
  if (school.school_code.empty()) c.Add(Join(path, "school_code"), texts::MustNotBeEmpty());
  std::set<Stage> stages;
  int64_t students = 0;
  for (size_t i = 0; i < school.sections.size(); ++i) {
    const SectionInput& section = school.sections[i];
    const std::string section_path = Indexed(path, "sections", i);
    if (school.type == SchoolType::kSpecialEducation) {
      c.Add(Join(section_path, "stage"),
            "a special_education school has no sections (it is left out of the resource indicators); "
            "give its students in special_education_students",
            "特殊教育学校没有学段单元（不计入资源配置指标）；其在校生填在 special_education_students");
    } else if (!SchoolTypeHasStage(school.type, section.stage)) {
      c.Add(Join(section_path, "stage"),
            absl::StrCat("a ", TypeWord(school.type), " school has no ", StageWord(section.stage), " section"),
            absl::StrCat(TypeWordInChinese(school.type), "没有", StageWordInChinese(section.stage), "学段"));
    }
    if (!stages.insert(section.stage).second) {
      c.Add(Join(section_path, "stage"),
            absl::StrCat("a school has at most one section per stage; ", StageWord(section.stage), " repeats"),
            absl::StrCat("每所学校每个学段至多一个学段单元；", StageWordInChinese(section.stage), "重复"));
    }
    CheckSection(c, section, section_path);
    students += std::max<int64_t>(0, section.students);
  }
  const bool has_senior = school.type == SchoolType::kTwelveYear || school.type == SchoolType::kCompleteMiddle;
  if (school.senior_students != 0 && !has_senior) {
    c.Add(Join(path, "senior_students"),
          absl::StrCat("must be 0: a ", TypeWord(school.type),
                       " school has no senior part (only twelve_year and complete_middle schools do)"),
          absl::StrCat("必须为 0：", TypeWordInChinese(school.type), "没有高中部（只有十二年一贯制学校和完全中学有）"));
  } else {
    c.Count(school.senior_students, Join(path, "senior_students"), bounds::kMaxStudents, kStudentsPerSchool);
  }
  if (school.special_education_students != 0 && school.type != SchoolType::kSpecialEducation) {
    c.Add(Join(path, "special_education_students"),
          absl::StrCat("must be 0: only a special_education school records its students here (this one is ",
                       TypeWord(school.type), ")"),
          absl::StrCat("必须为 0：只有特殊教育学校在此填写在校生数（该校是", TypeWordInChinese(school.type), "）"));
  } else {
    c.Count(school.special_education_students, Join(path, "special_education_students"), bounds::kMaxStudents,
            kStudentsPerSchool);
  }
  students += std::max<int64_t>(0, school.senior_students) + std::max<int64_t>(0, school.special_education_students);
  // The school as a whole, when no part is beyond the bound on its own.
  int64_t largest = std::max(school.senior_students, school.special_education_students);
  for (const SectionInput& section : school.sections) largest = std::max<int64_t>(largest, section.students);
  if (largest <= bounds::kMaxStudents && students > bounds::kMaxStudents) {
    c.Add(Join(path, "sections"),
          absl::StrCat("the school's students together: ",
                       bounds::AboveLimit(students, bounds::kMaxStudents, kStudentsPerSchool).en),
          absl::StrCat("全校在校生合计 ", bounds::AboveLimit(students, bounds::kMaxStudents, kStudentsPerSchool).zh));
  }
  if (school.shared_facilities) CheckFacilities(c, *school.shared_facilities, Join(path, "shared_facilities"));
  CheckRooms(c, school.music_room_areas_m2, Join(path, "music_room_areas_m2"));
  CheckRooms(c, school.art_room_areas_m2, Join(path, "art_room_areas_m2"));
  const SchoolFunding& f = school.funding;
  const std::string funding = Join(path, "funding");
  c.Amount(f.operating_budget_fen, Join(funding, "operating_budget_fen"));
  c.Amount(f.training_budget_fen, Join(funding, "training_budget_fen"));
  c.Amount(f.operating_funds_fen, Join(funding, "operating_funds_fen"));
  // Q4: the training budget is a part of the operating-fund budget.
  c.AmountPart(f.training_budget_fen, f.operating_budget_fen, Join(funding, "training_budget_fen"),
               {"the training budget", "培训经费预算"},
               {"the school's operating_budget_fen", "该校的 operating_budget_fen"});
  c.AmountPart(f.operating_budget_fen, district_operating_budget_fen, Join(funding, "operating_budget_fen"),
               {"the school's operating budget", "该校的公用经费预算"},
               {"the district's facts.operating_budget_fen", "全区的 facts.operating_budget_fen"});
}

}  // namespace

bool SchoolTypeHasStage(SchoolType type, Stage stage) {
  switch (type) {
    case SchoolType::kPrimary:
    case SchoolType::kTeachingPoint:
      return stage == Stage::kPrimary;
    case SchoolType::kJunior:
    case SchoolType::kCompleteMiddle:
      return stage == Stage::kJunior;
    case SchoolType::kNineYear:
    case SchoolType::kTwelveYear:
      return stage == Stage::kPrimary || stage == Stage::kJunior;
    case SchoolType::kSpecialEducation:
      return false;
  }
  return false;
}

bool IsDistrictCode(const std::string& code) {
  if (FindDistrict(code) != nullptr) return true;
  if (code.size() < 6 || code.size() > 12) return false;
  for (char ch : code) {
    if (ch < '0' || ch > '9') return false;
  }
  return true;
}

void ValidateDistrictFacts(const DistrictFacts& f, const std::string& path, std::vector<InputProblem>* problems) {
  Checker c(problems);
  const auto field = [&](absl::string_view name) { return Join(path, name); };
  const LocalizedText kPeople{"people (a district's whole population)", "人（全区人口）"};
  c.Amount(f.operating_base_per_student_primary_fen, field("operating_base_per_student_primary_fen"));
  c.Amount(f.operating_base_per_student_junior_fen, field("operating_base_per_student_junior_fen"));
  for (const auto& [name, pay] : {std::make_pair("teacher_average_pay_yuan", f.teacher_average_pay_yuan),
                                  std::make_pair("civil_servant_average_pay_yuan", f.civil_servant_average_pay_yuan)}) {
    if (!pay) continue;
    if (!std::isfinite(*pay) || *pay <= 0) {
      c.Add(field(name), absl::StrCat(bounds::FormatNumber(*pay), " must be an average pay > 0"),
            absl::StrCat(bounds::FormatNumber(*pay), " 不是有效的平均工资（必须大于 0）"));
    } else if (*pay > bounds::kMaxAveragePayYuan) {
      c.Add(field(name), bounds::AboveLimit(*pay, bounds::kMaxAveragePayYuan, {"yuan of average pay", "平均工资，元"}));
    }
  }
  const std::pair<const char*, const std::optional<int32_t>*> counts[] = {
      {"rotation_eligible_teachers", &f.rotation_eligible_teachers},
      {"rotated_teachers", &f.rotated_teachers},
      {"rotated_backbone_teachers", &f.rotated_backbone_teachers},
      {"zoned_admission_primary", &f.zoned_admission_primary},
      {"admission_primary_total", &f.admission_primary_total},
      {"zoned_admission_junior", &f.zoned_admission_junior},
      {"admission_junior_total", &f.admission_junior_total},
      {"quota_total_places", &f.quota_total_places},
      {"quota_hk_macao_class_places", &f.quota_hk_macao_class_places},
      {"quota_allocated_places", &f.quota_allocated_places},
      {"migrant_children_eligible", &f.migrant_children_eligible},
      {"migrant_children_in_public_schools", &f.migrant_children_in_public_schools},
      {"migrant_children_in_purchased_places", &f.migrant_children_in_purchased_places},
      {"junior_graduates", &f.junior_graduates},
      {"junior_cohort_enrolled", &f.junior_cohort_enrolled},
      {"junior_transferred_in", &f.junior_transferred_in},
      {"junior_transferred_out", &f.junior_transferred_out},
      {"junior_deaths", &f.junior_deaths},
      {"junior_dropouts", &f.junior_dropouts},
      {"disabled_school_age_children", &f.disabled_school_age_children},
      {"disabled_deferred", &f.disabled_deferred},
      {"disabled_enrolled", &f.disabled_enrolled},
  };
  for (const auto& [name, value] : counts) c.Count(*value, field(name), bounds::kMaxDistrictCount, kPeople);
  c.Amount(f.operating_budget_fen, field("operating_budget_fen"));
  c.Amount(f.training_budget_fen, field("training_budget_fen"));
  if (f.monitoring_difference_rate && (!std::isfinite(*f.monitoring_difference_rate) ||
                                       *f.monitoring_difference_rate < 0 || *f.monitoring_difference_rate > 1)) {
    c.Add(
        field("monitoring_difference_rate"),
        absl::StrCat(bounds::FormatNumber(*f.monitoring_difference_rate), " must be a rate from 0 to 1 (0.15 for 15%)"),
        absl::StrCat(bounds::FormatNumber(*f.monitoring_difference_rate),
                     " 必须是 0 到 1 之间的比率（15% 写作 0.15）"));
  }
  if (f.social_recognition_percent && (!std::isfinite(*f.social_recognition_percent) ||
                                       *f.social_recognition_percent < 0 || *f.social_recognition_percent > 100)) {
    c.Add(field("social_recognition_percent"),
          absl::StrCat(bounds::FormatNumber(*f.social_recognition_percent), " must be a percentage from 0 to 100"),
          absl::StrCat(bounds::FormatNumber(*f.social_recognition_percent), " 必须是 0 到 100 之间的百分数"));
  }
  if (f.basic_balanced_recognised_year &&
      (*f.basic_balanced_recognised_year < 1990 || *f.basic_balanced_recognised_year > 2100)) {
    c.Add(field("basic_balanced_recognised_year"),
          absl::StrCat(*f.basic_balanced_recognised_year, " must be a year from 1990 to 2100"),
          absl::StrCat(*f.basic_balanced_recognised_year, " 必须是 1990 到 2100 之间的年份"));
  }

  // Parts within their wholes; a negative count (already refused) takes no
  // part in them.
  const auto given = [](const std::optional<int32_t>& value) { return value && *value >= 0; };
  // G11: the backbone among the rotated. The rotated are not a part of the
  // eligible: a teacher counts as rotated when a rotation took effect, eligible
  // or not, so a district may rotate more teachers than it has eligible ones.
  c.Part(Wide(f.rotated_backbone_teachers), Wide(f.rotated_teachers), field("rotated_backbone_teachers"),
         "rotated_backbone_teachers", "rotated_teachers");
  // G13.
  c.Part(Wide(f.zoned_admission_primary), Wide(f.admission_primary_total), field("zoned_admission_primary"),
         "zoned_admission_primary", "admission_primary_total");
  c.Part(Wide(f.zoned_admission_junior), Wide(f.admission_junior_total), field("zoned_admission_junior"),
         "zoned_admission_junior", "admission_junior_total");
  // G14.
  c.Part(Wide(f.quota_hk_macao_class_places), Wide(f.quota_total_places), field("quota_hk_macao_class_places"),
         "quota_hk_macao_class_places", "quota_total_places");
  c.Part(Wide(f.quota_allocated_places), Wide(f.quota_total_places), field("quota_allocated_places"),
         "quota_allocated_places", "quota_total_places");
  // G15: a child is in a public school or in a purchased place, not both.
  if (given(f.migrant_children_eligible) && f.migrant_children_in_public_schools.value_or(0) >= 0 &&
      f.migrant_children_in_purchased_places.value_or(0) >= 0) {
    const int64_t placed = static_cast<int64_t>(f.migrant_children_in_public_schools.value_or(0)) +
                           f.migrant_children_in_purchased_places.value_or(0);
    if (placed > *f.migrant_children_eligible) {
      const bool both = f.migrant_children_in_public_schools && f.migrant_children_in_purchased_places;
      c.Add(field(both || f.migrant_children_in_public_schools ? "migrant_children_in_public_schools"
                                                               : "migrant_children_in_purchased_places"),
            absl::StrCat(both ? "migrant_children_in_public_schools + migrant_children_in_purchased_places ("
                              : (f.migrant_children_in_public_schools ? "migrant_children_in_public_schools ("
                                                                      : "migrant_children_in_purchased_places ("),
                         placed, ") is more than migrant_children_eligible (", *f.migrant_children_eligible, ")"),
            absl::StrCat(both ? "migrant_children_in_public_schools + migrant_children_in_purchased_places"
                              : (f.migrant_children_in_public_schools ? "migrant_children_in_public_schools"
                                                                      : "migrant_children_in_purchased_places"),
                         "（", placed, "）大于 migrant_children_eligible（", *f.migrant_children_eligible, "）"));
    }
  }
  // Q1: the cohort three years earlier, with transfers and deaths since.
  if (given(f.junior_cohort_enrolled) && given(f.junior_transferred_in) && given(f.junior_transferred_out) &&
      given(f.junior_deaths)) {
    const int64_t entered = static_cast<int64_t>(*f.junior_cohort_enrolled) + *f.junior_transferred_in;
    const int64_t left = static_cast<int64_t>(*f.junior_transferred_out) + *f.junior_deaths;
    if (left > entered) {
      c.Add(field("junior_transferred_out"),
            absl::StrCat("junior_transferred_out + junior_deaths (", left,
                         ") is more than junior_cohort_enrolled + junior_transferred_in (", entered, ")"),
            absl::StrCat("junior_transferred_out + junior_deaths（", left,
                         "）大于 junior_cohort_enrolled + junior_transferred_in（", entered, "）"));
    } else if (given(f.junior_graduates) && *f.junior_graduates > entered - left) {
      c.Add(field("junior_graduates"),
            absl::StrCat("junior_graduates (", *f.junior_graduates,
                         ") is more than the cohort that remained: junior_cohort_enrolled + junior_transferred_in - "
                         "junior_transferred_out - junior_deaths = ",
                         entered - left),
            absl::StrCat("junior_graduates（", *f.junior_graduates,
                         "）大于留下的同届学生数：junior_cohort_enrolled + junior_transferred_in - "
                         "junior_transferred_out - junior_deaths = ",
                         entered - left));
    }
  }
  // Q2: a deferred child is not enrolled.
  if (given(f.disabled_school_age_children) && f.disabled_enrolled.value_or(0) >= 0 &&
      f.disabled_deferred.value_or(0) >= 0) {
    const int64_t accounted = static_cast<int64_t>(f.disabled_enrolled.value_or(0)) + f.disabled_deferred.value_or(0);
    if (accounted > *f.disabled_school_age_children) {
      const bool both = f.disabled_enrolled && f.disabled_deferred;
      c.Add(field(f.disabled_enrolled ? "disabled_enrolled" : "disabled_deferred"),
            absl::StrCat(both ? "disabled_enrolled + disabled_deferred ("
                              : (f.disabled_enrolled ? "disabled_enrolled (" : "disabled_deferred ("),
                         accounted, ") is more than disabled_school_age_children (", *f.disabled_school_age_children,
                         ")"),
            absl::StrCat(both ? "disabled_enrolled + disabled_deferred"
                              : (f.disabled_enrolled ? "disabled_enrolled" : "disabled_deferred"),
                         "（", accounted, "）大于 disabled_school_age_children（", *f.disabled_school_age_children,
                         "）"));
    }
  }
  // Q4.
  c.AmountPart(f.training_budget_fen, f.operating_budget_fen, field("training_budget_fen"),
               {"the training budget", "培训经费预算"}, {"operating_budget_fen", " operating_budget_fen"});
}

void ValidateDistrictInput(const DistrictInput& input, const std::string& root, std::vector<InputProblem>* problems) {
  Checker c(problems);
  if (!IsDistrictCode(input.district_code)) {
    c.Add(Join(root, "district_code"),
          absl::StrCat("'", input.district_code,
                       "' is not a district code: one of Guangzhou's 11 (440103 ... 440118) or another "
                       "county-level code of 6 to 12 digits"),
          absl::StrCat("“", input.district_code,
                       "”不是区代码：应为广州市 11 个区之一（440103 … 440118）或其他 6 到 12 位数字的县级代码"));
  }
  if (input.school_year < 2000 || input.school_year > 2100) {
    c.Add(Join(root, "school_year"), absl::StrCat(input.school_year, " must be a year from 2000 to 2100"),
          absl::StrCat(input.school_year, " 必须是 2000 到 2100 之间的学年"));
  }
  if (static_cast<int64_t>(input.schools.size()) > bounds::kMaxSchools) {
    c.Add(Join(root, "schools"), bounds::AboveLimit(static_cast<int64_t>(input.schools.size()), bounds::kMaxSchools,
                                                    {"schools per district", "每个区的学校数"}));
  }
  std::map<std::string, size_t> first_index;
  for (size_t i = 0; i < input.schools.size(); ++i) {
    const std::string path = Indexed(root, "schools", i);
    CheckSchool(c, input.schools[i], path, input.facts.operating_budget_fen);
    if (input.schools[i].school_code.empty()) continue;
    auto [it, inserted] = first_index.emplace(input.schools[i].school_code, i);
    if (!inserted) {
      c.Add(Join(path, "school_code"),
            absl::StrCat("'", input.schools[i].school_code, "' repeats ", Indexed(root, "schools", it->second),
                         ": a school is listed once, with all its sections"),
            absl::StrCat("“", input.schools[i].school_code, "”与 ", Indexed(root, "schools", it->second),
                         " 重复：每所学校只列一次，连同其全部学段单元"));
    }
  }
  ValidateDistrictFacts(input.facts, Join(root, "facts"), problems);
  static const std::set<std::string> kAttested = {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"};
  for (const auto& [id, attestation] : input.attestations) {
    const std::string path = Join(Join(root, "attestations"), id);
    if (kAttested.count(id) == 0) {
      c.Add(path, "is not an attested indicator (G1, G2, G10, Q3, Q5, Q6, Q7, Q8)",
            "不是以佐证材料认定的指标（G1、G2、G10、Q3、Q5、Q6、Q7、Q8）");
    } else if (!attestation.date.empty() && !Date::Parse(attestation.date)) {
      c.Add(Join(path, "date"), absl::StrCat("'", attestation.date, "' is not a date YYYY-MM-DD"),
            absl::StrCat("“", attestation.date, "”不是日期，应写作 年-月-日（如 2024-09-01）"));
    }
  }
  // Nothing is recognised, nor built, after the school year it is evaluated in
  // (which ends in August of the next calendar year).
  if (input.facts.basic_balanced_recognised_year && input.school_year >= 2000 &&
      *input.facts.basic_balanced_recognised_year > input.school_year + 1) {
    c.Add(Join(Join(root, "facts"), "basic_balanced_recognised_year"),
          absl::StrCat(*input.facts.basic_balanced_recognised_year, " is after the school year ", input.school_year),
          absl::StrCat(*input.facts.basic_balanced_recognised_year, " 晚于评估的 ", input.school_year, " 学年"));
  }
  for (size_t i = 0; i < input.schools.size(); ++i) {
    const int32_t built = input.schools[i].build_year;
    if (built != 0 && input.school_year >= 2000 && built > input.school_year + 1) {
      c.Add(Join(Indexed(root, "schools", i), "build_year"),
            absl::StrCat(built, " is after the school year ", input.school_year, " (0 when unknown)"),
            absl::StrCat(built, " 晚于评估的 ", input.school_year, " 学年（不详时填 0）"));
    }
  }
  for (size_t i = 0; i < input.vetoes.size(); ++i) {
    if (input.vetoes[i].kind.empty()) c.Add(Join(Indexed(root, "vetoes", i), "kind"), texts::MustNotBeEmpty());
    if (input.vetoes[i].evidence.empty()) {
      c.Add(Join(Indexed(root, "vetoes", i), "evidence"), "must name the evidence (a document, an inspection report)",
            "必须写明佐证材料（文件、督导报告等）");
    }
  }
  const Conventions& conventions = input.conventions;
  c.Count(conventions.teaching_point_min_students, Join(Join(root, "conventions"), "teaching_point_min_students"),
          bounds::kMaxStudents, kStudentsPerSection);
}

}  // namespace gzedu::engine
