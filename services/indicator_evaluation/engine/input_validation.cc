#include "services/indicator_evaluation/engine/input_validation.h"

#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/domain/bound_messages.h"
#include "common/domain/date.h"
#include "common/domain/districts.h"
#include "common/domain/input_bounds.h"

namespace gzedu::engine {
namespace {

// Collects the problems of one input under a root path.
class Checker {
 public:
  explicit Checker(std::vector<InputProblem>* problems) : problems_(problems) {}

  void Add(const std::string& path, std::string description) { problems_->push_back({path, std::move(description)}); }

  // A whole number within 0..limit.
  void Count(int64_t value, const std::string& path, int64_t limit, absl::string_view what) {
    if (value < 0) {
      Add(path, absl::StrCat(value, " must be >= 0"));
    } else if (value > limit) {
      Add(path, bounds::AboveLimit(value, limit, what));
    }
  }
  void Count(const std::optional<int32_t>& value, const std::string& path, int64_t limit, absl::string_view what) {
    if (value) Count(*value, path, limit, what);
  }

  // A measured quantity (m², rooms): finite, within 0..limit, at most two
  // decimals.
  void Measure(double value, const std::string& path, double limit, absl::string_view what, absl::string_view unit) {
    if (!std::isfinite(value)) {
      Add(path, absl::StrCat(bounds::FormatNumber(value), " must be a finite number"));
    } else if (value < 0) {
      Add(path, absl::StrCat(bounds::FormatNumber(value), " must be >= 0"));
    } else if (value > limit) {
      Add(path, bounds::AboveLimit(value, limit, what));
    } else if (!bounds::HasAtMostTwoDecimals(value)) {
      Add(path, bounds::TooManyDecimals(value, unit));
    }
  }

  // An amount of money in fen: within 0..10^12 yuan.
  void Amount(int64_t fen, const std::string& path) {
    if (fen < 0) {
      Add(path, absl::StrCat(bounds::FormatFenAsYuan(fen), " yuan must be >= 0"));
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
    Add(part_path, absl::StrCat(part_name, " (", *part, ") is more than ", whole_name, " (", *whole, ")"));
  }
  // The same for amounts of money, shown in yuan.
  void AmountPart(const std::optional<int64_t>& part, const std::optional<int64_t>& whole, const std::string& part_path,
                  absl::string_view part_name, absl::string_view whole_name) {
    if (!part || !whole || *part < 0 || *whole < 0 || *part <= *whole) return;
    Add(part_path, absl::StrCat(part_name, " (", bounds::FormatFenAsYuan(*part), " yuan) is more than ", whole_name,
                                " (", bounds::FormatFenAsYuan(*whole), " yuan)"));
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

void CheckFacilities(Checker& c, const Facilities& f, const std::string& path) {
  c.Measure(f.teaching_area_m2, Join(path, "teaching_area_m2"), bounds::kMaxAreaM2, "m²", "m²");
  c.Measure(f.sports_area_m2, Join(path, "sports_area_m2"), bounds::kMaxAreaM2, "m²", "m²");
  c.Amount(f.equipment_value_fen, Join(path, "equipment_value_fen"));
  c.Measure(f.multimedia_rooms, Join(path, "multimedia_rooms"), bounds::kMaxRooms, "rooms", "rooms");
}

void CheckTeachers(Checker& c, const TeacherCounts& t, const std::string& path) {
  c.Count(t.full_time, Join(path, "full_time"), bounds::kMaxTeachers, "teachers per section");
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
      c.Add(field, absl::StrCat(value, " must be >= 0"));
    } else if (t.full_time >= 0 && value > t.full_time) {
      c.Add(field, absl::StrCat(value, " is more than full_time (", t.full_time,
                                "): only the section's full-time teachers are counted"));
    }
  }
}

void CheckSection(Checker& c, const SectionInput& s, const std::string& path) {
  c.Count(s.students, Join(path, "students"), bounds::kMaxStudents, "students per section");
  c.Count(s.classes, Join(path, "classes"), bounds::kMaxClasses, "classes per section");
  const bool counts_valid =
      s.students >= 0 && s.students <= bounds::kMaxStudents && s.classes >= 0 && s.classes <= bounds::kMaxClasses;
  if (!s.class_sizes.empty()) {
    const std::string sizes = Join(path, "class_sizes");
    if (s.classes >= 0 && static_cast<int64_t>(s.class_sizes.size()) != s.classes) {
      c.Add(sizes, absl::StrCat("has ", s.class_sizes.size(), " entries but classes is ", s.classes,
                                "; give one size per class"));
    }
    int64_t total = 0;
    bool sizes_valid = true;
    for (size_t i = 0; i < s.class_sizes.size(); ++i) {
      const int32_t size = s.class_sizes[i];
      if (size < 1 || size > bounds::kMaxClassSize) {
        c.Add(absl::StrCat(sizes, "[", i, "]"),
              size < 1 ? absl::StrCat(size, " must be at least 1 (a class has students)")
                       : bounds::AboveLimit(size, bounds::kMaxClassSize, "students per class"));
        sizes_valid = false;
      }
      total += size;
    }
    if (sizes_valid && s.students >= 0 && total != s.students) {
      c.Add(sizes, absl::StrCat("add up to ", total, " but students is ", s.students));
    }
  } else if (counts_valid && s.classes > s.students) {
    // With class sizes given, their sum and count already say this.
    c.Add(Join(path, "classes"),
          absl::StrCat(s.classes, " classes for ", s.students, " students: a class has at least one student"));
  } else if (counts_valid && s.classes > 0 && s.students > s.classes * bounds::kMaxClassSize) {
    c.Add(Join(path, "students"),
          absl::StrCat(s.students, " students in ", s.classes, " classes is more than the limit of ",
                       bounds::kMaxClassSize, " students per class"));
  }
  if (s.teachers) CheckTeachers(c, *s.teachers, Join(path, "teachers"));
  if (s.facilities) CheckFacilities(c, *s.facilities, Join(path, "facilities"));
}

void CheckRooms(Checker& c, const std::vector<double>& areas, const std::string& path) {
  if (static_cast<double>(areas.size()) > bounds::kMaxRooms) {
    c.Add(path, bounds::AboveLimit(static_cast<double>(areas.size()), bounds::kMaxRooms, "rooms"));
    return;
  }
  for (size_t i = 0; i < areas.size(); ++i) {
    const std::string room = absl::StrCat(path, "[", i, "]");
    if (std::isfinite(areas[i]) && areas[i] <= 0) {
      c.Add(room, absl::StrCat(bounds::FormatNumber(areas[i]), " must be > 0 (a room's floor area in m²)"));
    } else {
      c.Measure(areas[i], room, bounds::kMaxRoomAreaM2, "m² per room", "m²");
    }
  }
}

void CheckSchool(Checker& c, const SchoolInput& school, const std::string& path,
                 const std::optional<int64_t>& district_operating_budget_fen) {
  if (school.school_code.empty()) c.Add(Join(path, "school_code"), "must not be empty");
  std::set<Stage> stages;
  int64_t students = 0;
  for (size_t i = 0; i < school.sections.size(); ++i) {
    const SectionInput& section = school.sections[i];
    const std::string section_path = Indexed(path, "sections", i);
    if (school.type == SchoolType::kSpecialEducation) {
      c.Add(Join(section_path, "stage"),
            "a special_education school has no sections (it is left out of the resource indicators); "
            "give its students in special_education_students");
    } else if (!SchoolTypeHasStage(school.type, section.stage)) {
      c.Add(Join(section_path, "stage"),
            absl::StrCat("a ", TypeWord(school.type), " school has no ", StageWord(section.stage), " section"));
    }
    if (!stages.insert(section.stage).second) {
      c.Add(Join(section_path, "stage"),
            absl::StrCat("a school has at most one section per stage; ", StageWord(section.stage), " repeats"));
    }
    CheckSection(c, section, section_path);
    students += std::max<int64_t>(0, section.students);
  }
  const bool has_senior = school.type == SchoolType::kTwelveYear || school.type == SchoolType::kCompleteMiddle;
  if (school.senior_students != 0 && !has_senior) {
    c.Add(Join(path, "senior_students"),
          absl::StrCat("must be 0: a ", TypeWord(school.type),
                       " school has no senior part (only twelve_year and complete_middle schools do)"));
  } else {
    c.Count(school.senior_students, Join(path, "senior_students"), bounds::kMaxStudents, "students per school");
  }
  if (school.special_education_students != 0 && school.type != SchoolType::kSpecialEducation) {
    c.Add(Join(path, "special_education_students"),
          absl::StrCat("must be 0: only a special_education school records its students here (this one is ",
                       TypeWord(school.type), ")"));
  } else {
    c.Count(school.special_education_students, Join(path, "special_education_students"), bounds::kMaxStudents,
            "students per school");
  }
  students += std::max<int64_t>(0, school.senior_students) + std::max<int64_t>(0, school.special_education_students);
  // The school as a whole, when no part is beyond the bound on its own.
  int64_t largest = std::max(school.senior_students, school.special_education_students);
  for (const SectionInput& section : school.sections) largest = std::max<int64_t>(largest, section.students);
  if (largest <= bounds::kMaxStudents && students > bounds::kMaxStudents) {
    c.Add(Join(path, "sections"),
          absl::StrCat("the school's students together: ",
                       bounds::AboveLimit(students, bounds::kMaxStudents, "students per school")));
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
               "the training budget", "the school's operating_budget_fen");
  c.AmountPart(f.operating_budget_fen, district_operating_budget_fen, Join(funding, "operating_budget_fen"),
               "the school's operating budget", "the district's facts.operating_budget_fen");
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
  constexpr absl::string_view kPeople = "people (a district's whole population)";
  c.Amount(f.operating_base_per_student_primary_fen, field("operating_base_per_student_primary_fen"));
  c.Amount(f.operating_base_per_student_junior_fen, field("operating_base_per_student_junior_fen"));
  for (const auto& [name, pay] : {std::make_pair("teacher_average_pay_yuan", f.teacher_average_pay_yuan),
                                  std::make_pair("civil_servant_average_pay_yuan", f.civil_servant_average_pay_yuan)}) {
    if (!pay) continue;
    if (!std::isfinite(*pay) || *pay <= 0) {
      c.Add(field(name), absl::StrCat(bounds::FormatNumber(*pay), " must be an average pay > 0"));
    } else if (*pay > bounds::kMaxAveragePayYuan) {
      c.Add(field(name), bounds::AboveLimit(*pay, bounds::kMaxAveragePayYuan, "yuan of average pay"));
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
    c.Add(field("monitoring_difference_rate"), absl::StrCat(bounds::FormatNumber(*f.monitoring_difference_rate),
                                                            " must be a rate from 0 to 1 (0.15 for 15%)"));
  }
  if (f.social_recognition_percent && (!std::isfinite(*f.social_recognition_percent) ||
                                       *f.social_recognition_percent < 0 || *f.social_recognition_percent > 100)) {
    c.Add(field("social_recognition_percent"),
          absl::StrCat(bounds::FormatNumber(*f.social_recognition_percent), " must be a percentage from 0 to 100"));
  }
  if (f.basic_balanced_recognised_year &&
      (*f.basic_balanced_recognised_year < 1990 || *f.basic_balanced_recognised_year > 2100)) {
    c.Add(field("basic_balanced_recognised_year"),
          absl::StrCat(*f.basic_balanced_recognised_year, " must be a year from 1990 to 2100"));
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
                         placed, ") is more than migrant_children_eligible (", *f.migrant_children_eligible, ")"));
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
                         ") is more than junior_cohort_enrolled + junior_transferred_in (", entered, ")"));
    } else if (given(f.junior_graduates) && *f.junior_graduates > entered - left) {
      c.Add(field("junior_graduates"),
            absl::StrCat("junior_graduates (", *f.junior_graduates,
                         ") is more than the cohort that remained: junior_cohort_enrolled + junior_transferred_in - "
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
                         ")"));
    }
  }
  // Q4.
  c.AmountPart(f.training_budget_fen, f.operating_budget_fen, field("training_budget_fen"), "the training budget",
               "operating_budget_fen");
}

void ValidateDistrictInput(const DistrictInput& input, const std::string& root, std::vector<InputProblem>* problems) {
  Checker c(problems);
  if (!IsDistrictCode(input.district_code)) {
    c.Add(Join(root, "district_code"),
          absl::StrCat("'", input.district_code,
                       "' is not a district code: one of Guangzhou's 11 (440103 ... 440118) or another "
                       "county-level code of 6 to 12 digits"));
  }
  if (input.school_year < 2000 || input.school_year > 2100) {
    c.Add(Join(root, "school_year"), absl::StrCat(input.school_year, " must be a year from 2000 to 2100"));
  }
  if (static_cast<int64_t>(input.schools.size()) > bounds::kMaxSchools) {
    c.Add(Join(root, "schools"),
          bounds::AboveLimit(static_cast<int64_t>(input.schools.size()), bounds::kMaxSchools, "schools per district"));
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
                         ": a school is listed once, with all its sections"));
    }
  }
  ValidateDistrictFacts(input.facts, Join(root, "facts"), problems);
  static const std::set<std::string> kAttested = {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"};
  for (const auto& [id, attestation] : input.attestations) {
    const std::string path = Join(Join(root, "attestations"), id);
    if (kAttested.count(id) == 0) {
      c.Add(path, "is not an attested indicator (G1, G2, G10, Q3, Q5, Q6, Q7, Q8)");
    } else if (!attestation.date.empty() && !Date::Parse(attestation.date)) {
      c.Add(Join(path, "date"), absl::StrCat("'", attestation.date, "' is not a date YYYY-MM-DD"));
    }
  }
  // Nothing is recognised, nor built, after the school year it is evaluated in
  // (which ends in August of the next calendar year).
  if (input.facts.basic_balanced_recognised_year && input.school_year >= 2000 &&
      *input.facts.basic_balanced_recognised_year > input.school_year + 1) {
    c.Add(Join(Join(root, "facts"), "basic_balanced_recognised_year"),
          absl::StrCat(*input.facts.basic_balanced_recognised_year, " is after the school year ", input.school_year));
  }
  for (size_t i = 0; i < input.schools.size(); ++i) {
    const int32_t built = input.schools[i].build_year;
    if (built != 0 && input.school_year >= 2000 && built > input.school_year + 1) {
      c.Add(Join(Indexed(root, "schools", i), "build_year"),
            absl::StrCat(built, " is after the school year ", input.school_year, " (0 when unknown)"));
    }
  }
  for (size_t i = 0; i < input.vetoes.size(); ++i) {
    if (input.vetoes[i].kind.empty()) c.Add(Join(Indexed(root, "vetoes", i), "kind"), "must not be empty");
    if (input.vetoes[i].evidence.empty()) {
      c.Add(Join(Indexed(root, "vetoes", i), "evidence"), "must name the evidence (a document, an inspection report)");
    }
  }
  const Conventions& conventions = input.conventions;
  c.Count(conventions.teaching_point_min_students, Join(Join(root, "conventions"), "teaching_point_min_students"),
          bounds::kMaxStudents, "students per section");
}

}  // namespace gzedu::engine
