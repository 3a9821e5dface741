#include "services/indicator_evaluation/domain/scenario.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/domain/text.h"
#include "common/status/texts.h"

namespace gzedu::indicators {
namespace {

engine::SchoolInput* FindSchool(engine::DistrictInput* input, const std::string& code) {
  for (engine::SchoolInput& school : input->schools) {
    if (school.school_code == code) return &school;
  }
  return nullptr;
}

engine::SectionInput* FindSection(engine::SchoolInput* school, Stage stage) {
  for (engine::SectionInput& section : school->sections) {
    if (section.stage == stage) return &section;
  }
  return nullptr;
}

// Scales a section's students by `factor`, keeping its classes. Known class
// sizes are scaled by the same factor: each class takes a share of the
// added (or removed) students in proportion to its size, the remainders
// going to the largest fractional parts, so the sizes still add up (to the
// students, when they did before). No class shrinks when students are
// added and none grows when they are removed: a class above the limit
// stays above it unless students are taken from it.
void ScaleSection(engine::SectionInput& section, double factor) {
  const int32_t students_before = section.students;
  section.students = static_cast<int32_t>(std::lround(students_before * factor));
  if (section.class_sizes.empty()) return;
  int64_t sizes_total = 0;
  for (int32_t size : section.class_sizes) sizes_total += size;
  if (sizes_total <= 0) return;
  const int64_t target_total =
      sizes_total == students_before ? section.students : std::llround(static_cast<double>(sizes_total) * factor);
  std::vector<int64_t> remainders(section.class_sizes.size());
  int64_t assigned = 0;
  for (size_t i = 0; i < section.class_sizes.size(); ++i) {
    const int64_t scaled = section.class_sizes[i] * target_total;
    remainders[i] = scaled % sizes_total;
    section.class_sizes[i] = static_cast<int32_t>(scaled / sizes_total);
    assigned += section.class_sizes[i];
  }
  std::vector<size_t> order(section.class_sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t i = 0; assigned < target_total && i < order.size(); ++i, ++assigned) ++section.class_sizes[order[i]];
}

// A new school's students spread evenly over its classes (a planned school
// has no history of uneven classes).
std::vector<int32_t> EvenClassSizes(int32_t students, int32_t classes) {
  std::vector<int32_t> sizes;
  for (int32_t c = 0; c < classes; ++c) sizes.push_back(students / classes + (c < students % classes));
  return sizes;
}

class Applier {
 public:
  Applier(engine::DistrictInput* input, FieldViolations& violations, std::string path)
      : input_(input), violations_(violations), path_(std::move(path)) {}

  void operator()(const EnrolmentChange& c) {
    if (!std::isfinite(c.percent) || c.percent < -100) {
      violations_.Add(path_ + ".enrolment.percent", "must be a number >= -100", "必须是不小于 -100 的数");
      return;
    }
    if (!c.school_code.empty() && FindSchool(input_, c.school_code) == nullptr) {
      violations_.Add(path_ + ".enrolment.school_code",
                      absl::StrCat("school ", c.school_code, " is not in the district"),
                      absl::StrCat("学校 ", c.school_code, " 不在该区"));
      return;
    }
    for (engine::SchoolInput& school : input_->schools) {
      if (!c.school_code.empty() && school.school_code != c.school_code) continue;
      for (engine::SectionInput& section : school.sections) {
        if (!c.stage || section.stage == *c.stage) ScaleSection(section, 1 + c.percent / 100);
      }
    }
  }

  void operator()(const NewSchool& c) {
    const std::string at = path_ + ".new_school";
    if (!IsDigits(c.school_code, 10)) violations_.Add(at + ".school_code", texts::InvalidSchoolCode());
    if (FindSchool(input_, c.school_code) != nullptr) {
      violations_.Add(at + ".school_code", absl::StrCat("school ", c.school_code, " exists already"),
                      absl::StrCat("学校 ", c.school_code, " 已存在"));
    }
    if (c.students <= 0) violations_.Add(at + ".students", texts::MustBePositive());
    if (c.classes <= 0) violations_.Add(at + ".classes", texts::MustBePositive());
    const engine::TeacherCounts& t = c.teachers;
    for (int32_t count : {t.full_time, t.above_required_qualification, t.backbone_county_or_above, t.pe_music_art}) {
      if (count < 0) {
        violations_.Add(at, "teacher counts must be >= 0", "教师数不能为负数");
        break;
      }
    }
    if (c.facilities.teaching_area_m2 < 0 || c.facilities.sports_area_m2 < 0 || c.facilities.equipment_value_fen < 0 ||
        c.facilities.multimedia_rooms < 0) {
      violations_.Add(at, "facilities must be >= 0", "校舍和设施不能为负数");
    }
    engine::SchoolInput school;
    school.school_code = c.school_code;
    school.name = c.name.empty() ? "new school " + c.school_code : c.name;
    school.type = c.stage == Stage::kJunior ? engine::SchoolType::kJunior : engine::SchoolType::kPrimary;
    engine::SectionInput section;
    section.stage = c.stage;
    section.students = c.students;
    section.classes = c.classes;
    if (c.classes > 0 && c.students >= 0) section.class_sizes = EvenClassSizes(c.students, c.classes);
    section.teachers = c.teachers;
    section.teachers->certified = c.teachers.full_time;
    section.teachers->training_complete = c.teachers.full_time;
    section.facilities = c.facilities;
    school.shared_facilities = c.facilities;
    school.sections.push_back(section);
    input_->schools.push_back(std::move(school));
  }

  void operator()(const TeacherChange& c) {
    const std::string at = path_ + ".teachers";
    engine::SchoolInput* school = FindSchool(input_, c.school_code);
    engine::SectionInput* section = school ? FindSection(school, c.stage) : nullptr;
    if (section == nullptr) {
      violations_.Add(
          at + ".school_code",
          absl::StrCat("school ", c.school_code, " has no ", StageName(c.stage), " section in this district-year"),
          absl::StrCat("学校 ", c.school_code, " 在该区该学年没有", StageNameInChinese(c.stage), "学段单元"));
      return;
    }
    // A change to teachers the district never reported starts from none.
    if (!section->teachers) section->teachers = engine::TeacherCounts{};
    engine::TeacherCounts& t = *section->teachers;
    Add(t.full_time, c.delta.full_time, at + ".full_time_teachers");
    Add(t.above_required_qualification, c.delta.above_required_qualification, at + ".above_required_qualification");
    Add(t.backbone_county_or_above, c.delta.backbone_county_or_above, at + ".backbone_county_or_above");
    Add(t.pe_music_art, c.delta.pe_music_art, at + ".pe_music_art");
    // New teachers come certified and trained; removed ones leave both.
    t.certified = std::max(0, t.certified + c.delta.full_time);
    t.training_complete = std::max(0, t.training_complete + c.delta.full_time);
  }

  void operator()(const FacilityChange& c) {
    const std::string at = path_ + ".facilities";
    engine::SchoolInput* school = FindSchool(input_, c.school_code);
    if (school == nullptr) {
      violations_.Add(at + ".school_code", absl::StrCat("school ", c.school_code, " is not in the district"),
                      absl::StrCat("学校 ", c.school_code, " 不在该区"));
      return;
    }
    const engine::Facilities& d = c.delta;
    if (!school->shared_facilities) school->shared_facilities = engine::Facilities{};
    engine::Facilities& f = *school->shared_facilities;
    f.teaching_area_m2 += d.teaching_area_m2;
    f.sports_area_m2 += d.sports_area_m2;
    f.equipment_value_fen += d.equipment_value_fen;
    f.multimedia_rooms += d.multimedia_rooms;
    int64_t students = 0;
    for (const engine::SectionInput& section : school->sections) students += section.students;
    for (engine::SectionInput& section : school->sections) {
      if (!section.facilities || students == 0) continue;
      const double share = static_cast<double>(section.students) / students;
      section.facilities->teaching_area_m2 += d.teaching_area_m2 * share;
      section.facilities->sports_area_m2 += d.sports_area_m2 * share;
      section.facilities->equipment_value_fen += std::llround(d.equipment_value_fen * share);
      section.facilities->multimedia_rooms += d.multimedia_rooms * share;
    }
    if (f.teaching_area_m2 < 0 || f.sports_area_m2 < 0 || f.equipment_value_fen < 0 || f.multimedia_rooms < 0) {
      violations_.Add(at, "would leave the school with negative facilities", "会使该校的校舍或设施变为负数");
    }
  }

 private:
  void Add(int32_t& count, int32_t delta, const std::string& field) {
    count += delta;
    if (count < 0) violations_.Add(field, "would leave a negative count", "会使人数变为负数");
  }

  engine::DistrictInput* input_;
  FieldViolations& violations_;
  std::string path_;
};

}  // namespace

void ApplyScenario(const std::vector<ScenarioChange>& changes, engine::DistrictInput* input,
                   FieldViolations& violations) {
  for (size_t i = 0; i < changes.size(); ++i) {
    std::visit(Applier(input, violations, absl::StrCat("changes[", i, "]")), changes[i]);
  }
}

}  // namespace gzedu::indicators
