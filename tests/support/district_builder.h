#ifndef GZEDU_TESTS_SUPPORT_DISTRICT_BUILDER_H_
#define GZEDU_TESTS_SUPPORT_DISTRICT_BUILDER_H_

// Builds engine inputs whose district totals are exactly given figures (a
// district's published counts), spreading them over schools and sections
// the way a district's own data would add up. The spread is deterministic.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::testing {

// Splits `total` into integers proportional to `weights`, each at least its
// `minimum` (largest-remainder rounding, so the parts add up exactly).
inline std::vector<int64_t> SplitInteger(int64_t total, const std::vector<double>& weights,
                                         const std::vector<int64_t>& minimums) {
  std::vector<int64_t> parts = minimums;
  int64_t remaining = total - std::accumulate(minimums.begin(), minimums.end(), int64_t{0});
  const double weight_sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < parts.size() && weight_sum > 0; ++i) {
    const double exact = remaining * weights[i] / weight_sum;
    const auto whole = static_cast<int64_t>(std::floor(exact));
    parts[i] += whole;
    given += whole;
    remainders.push_back({exact - whole, i});
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; given < remaining && k < remainders.size(); ++k, ++given) ++parts[remainders[k].second];
  return parts;
}

// Splits `total` into doubles proportional to `weights`; the last part takes
// what rounding leaves, so the sum is `total`.
inline std::vector<double> SplitReal(double total, const std::vector<double>& weights) {
  const double weight_sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> parts(weights.size());
  double given = 0;
  for (size_t i = 0; i + 1 < weights.size(); ++i) {
    parts[i] = total * weights[i] / weight_sum;
    given += parts[i];
  }
  if (!parts.empty()) parts.back() = total - given;
  return parts;
}

// A reference to one section of a built district.
struct SectionRef {
  size_t school;
  size_t section;
};

// Every section of `stage`, in school order.
inline std::vector<SectionRef> SectionsOf(const engine::DistrictInput& input, Stage stage) {
  std::vector<SectionRef> refs;
  for (size_t s = 0; s < input.schools.size(); ++s) {
    for (size_t k = 0; k < input.schools[s].sections.size(); ++k) {
      if (input.schools[s].sections[k].stage == stage) refs.push_back({s, k});
    }
  }
  return refs;
}

inline engine::SectionInput& At(engine::DistrictInput& input, const SectionRef& ref) {
  return input.schools[ref.school].sections[ref.section];
}

// Adds `count` schools of `type` with the sections the type has.
inline void AddSchools(engine::DistrictInput& input, engine::SchoolType type, int count,
                       engine::Ownership ownership = engine::Ownership::kPublic) {
  for (int i = 0; i < count; ++i) {
    engine::SchoolInput school;
    const size_t n = input.schools.size() + 1;
    school.school_code =
        absl::StrCat("9", input.district_code.substr(2), n < 1000 ? "0" : "", n < 100 ? "0" : "", n < 10 ? "0" : "", n);
    school.name = absl::StrCat("school ", n);
    school.type = type;
    school.ownership = ownership;
    const bool primary = type == engine::SchoolType::kPrimary || type == engine::SchoolType::kTeachingPoint ||
                         type == engine::SchoolType::kNineYear || type == engine::SchoolType::kTwelveYear;
    const bool junior = type == engine::SchoolType::kJunior || type == engine::SchoolType::kCompleteMiddle ||
                        type == engine::SchoolType::kNineYear || type == engine::SchoolType::kTwelveYear;
    for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
      if (stage == Stage::kPrimary ? !primary : !junior) continue;
      engine::SectionInput section;
      section.stage = stage;
      school.sections.push_back(section);
    }
    input.schools.push_back(std::move(school));
  }
}

// Sets the students of the sections `refs` to add up to `total`, in
// proportion to `weights` (equal when empty).
inline void SpreadStudents(engine::DistrictInput& input, const std::vector<SectionRef>& refs, int64_t total,
                           std::vector<double> weights = {}) {
  if (weights.empty()) weights.assign(refs.size(), 1.0);
  const std::vector<int64_t> parts = SplitInteger(total, weights, std::vector<int64_t>(refs.size(), 1));
  for (size_t i = 0; i < refs.size(); ++i) At(input, refs[i]).students = static_cast<int32_t>(parts[i]);
}

// Gives the sections `total` classes in proportion to their students, with
// class sizes as even as possible.
inline void SpreadClasses(engine::DistrictInput& input, const std::vector<SectionRef>& refs, int64_t total) {
  std::vector<double> weights;
  for (const SectionRef& ref : refs) weights.push_back(At(input, ref).students);
  const std::vector<int64_t> classes = SplitInteger(total, weights, std::vector<int64_t>(refs.size(), 1));
  for (size_t i = 0; i < refs.size(); ++i) {
    engine::SectionInput& section = At(input, refs[i]);
    section.classes = static_cast<int32_t>(classes[i]);
    section.class_sizes.clear();
    for (int32_t c = 0; c < section.classes; ++c) {
      section.class_sizes.push_back(section.students / section.classes + (c < section.students % section.classes));
    }
  }
}

// Sets one count of every section so the counts add up to `total`, each
// section at least `min_per_100` per 100 students. `weak` sections instead
// get the smallest count at or above `weak_per_100` per 100 students.
inline void SpreadCount(engine::DistrictInput& input, const std::vector<SectionRef>& refs, int64_t total,
                        double min_per_100, int32_t engine::TeacherCounts::*field, const std::vector<size_t>& weak = {},
                        double weak_per_100 = 0) {
  std::vector<double> weights;
  std::vector<int64_t> minimums;
  for (size_t i = 0; i < refs.size(); ++i) {
    const double students = At(input, refs[i]).students;
    const bool is_weak = std::find(weak.begin(), weak.end(), i) != weak.end();
    minimums.push_back(static_cast<int64_t>(std::ceil((is_weak ? weak_per_100 : min_per_100) * students / 100 - 1e-9)));
    weights.push_back(is_weak ? 0.0 : students);
  }
  const std::vector<int64_t> parts = SplitInteger(total, weights, minimums);
  for (size_t i = 0; i < refs.size(); ++i) At(input, refs[i]).teachers.value().*field = static_cast<int32_t>(parts[i]);
}

// Gives every section its own facilities, adding up to the totals, in
// proportion to students.
inline void SpreadFacilities(engine::DistrictInput& input, const std::vector<SectionRef>& refs, double teaching_area_m2,
                             double sports_area_m2, int64_t equipment_fen, double multimedia_rooms) {
  std::vector<double> weights;
  for (const SectionRef& ref : refs) weights.push_back(At(input, ref).students);
  const std::vector<double> teaching = SplitReal(teaching_area_m2, weights);
  const std::vector<double> sports = SplitReal(sports_area_m2, weights);
  const std::vector<int64_t> equipment = SplitInteger(equipment_fen, weights, std::vector<int64_t>(refs.size(), 0));
  const std::vector<double> rooms = SplitReal(multimedia_rooms, weights);
  for (size_t i = 0; i < refs.size(); ++i) {
    engine::Facilities f;
    f.teaching_area_m2 = teaching[i];
    f.sports_area_m2 = sports[i];
    f.equipment_value_fen = equipment[i];
    f.multimedia_rooms = rooms[i];
    At(input, refs[i]).facilities = f;
  }
}

// Gives every school with sections enough music and art rooms of a
// compliant size (one per 12 classes, at least one).
inline void GiveArtsRooms(engine::DistrictInput& input) {
  for (engine::SchoolInput& school : input.schools) {
    int32_t classes = 0;
    for (const engine::SectionInput& section : school.sections) classes += section.classes;
    const int32_t rooms = std::max(1, (classes + 11) / 12);
    school.music_room_areas_m2.assign(rooms, 100.0);
    school.art_room_areas_m2.assign(rooms, 95.0);
  }
}

// Affirmed attestations for G1, G2, G10, Q3, Q5-Q8.
inline void AttestAll(engine::DistrictInput& input) {
  for (const char* id : {"G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"}) {
    input.attestations[id] = {true, "self-evaluation report", "", "2024-05-01", "district education bureau"};
  }
}

// The result of indicator `id` (of `stage`, for the per-stage ones) in an
// evaluation; throws when there is none, so that a test names what is missing.
inline const engine::IndicatorResult& Find(const engine::DistrictEvaluation& e, const std::string& id,
                                           std::optional<Stage> stage = std::nullopt) {
  for (const engine::IndicatorResult& r : e.indicators) {
    if (r.indicator_id == id && r.stage == stage) return r;
  }
  throw std::runtime_error("no indicator " + id);
}

// A district-year (440114, 2024 unless given) of these schools.
inline engine::DistrictInput District(std::vector<engine::SchoolInput> schools, std::string code = "440114",
                                      int32_t school_year = 2024) {
  engine::DistrictInput input;
  input.district_code = std::move(code);
  input.school_year = school_year;
  input.schools = std::move(schools);
  return input;
}

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_DISTRICT_BUILDER_H_
