// Speed of the indicator engine (issue: the whole city, ~2,000 sections in
// 11 districts, evaluated in under 5 ms on one core, reports included).
//
//   cmake --build build --target engine_benchmark && build/benchmarks/engine_benchmark
#include <benchmark/benchmark.h>

#include "common/domain/districts.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/json_codec.h"
#include "services/indicator_evaluation/engine/report.h"
#include "tests/support/district_builder.h"

namespace gzedu::engine {
namespace {

using gzedu::testing::AddSchools;
using gzedu::testing::AttestAll;
using gzedu::testing::GiveArtsRooms;
using gzedu::testing::SectionsOf;
using gzedu::testing::SpreadClasses;
using gzedu::testing::SpreadCount;
using gzedu::testing::SpreadFacilities;
using gzedu::testing::SpreadStudents;

// A district with about `sections` sections, enrolment varying from school
// to school so that CVs, failing sections and plans are all exercised.
DistrictInput SyntheticDistrict(const std::string& code, int sections, int variant) {
  DistrictInput input;
  input.district_code = code;
  input.school_year = 2024;
  const int nine_year = sections / 10;
  AddSchools(input, SchoolType::kPrimary, sections * 6 / 10 - nine_year);
  AddSchools(input, SchoolType::kJunior, sections * 4 / 10 - nine_year);
  AddSchools(input, SchoolType::kNineYear, nine_year);
  AddSchools(input, SchoolType::kSpecialEducation, 1);
  for (Stage stage : {Stage::kPrimary, Stage::kJunior}) {
    const auto refs = SectionsOf(input, stage);
    std::vector<double> weights;
    for (size_t i = 0; i < refs.size(); ++i) weights.push_back(1.0 + ((i * 7 + variant) % 11) / 5.0);
    const int64_t students = static_cast<int64_t>(refs.size()) * 900;
    SpreadStudents(input, refs, students, weights);
    SpreadClasses(input, refs, students / 42);
    const double scale = 0.9 + 0.05 * (variant % 5);
    SpreadCount(input, refs, static_cast<int64_t>(students * 0.055 * scale), 0,
                &TeacherCounts::above_required_qualification);
    SpreadCount(input, refs, static_cast<int64_t>(students * 0.015 * scale), 0,
                &TeacherCounts::backbone_county_or_above);
    SpreadCount(input, refs, static_cast<int64_t>(students * 0.011 * scale), 0, &TeacherCounts::pe_music_art);
    SpreadCount(input, refs, students / 15, 0, &TeacherCounts::full_time);
    SpreadFacilities(input, refs, students * 5.5 * scale, students * 9.0 * scale,
                     static_cast<int64_t>(students * 250000 * scale), students * 0.026 * scale);
  }
  // Some sections well below the others, so plans and CV drivers appear.
  for (size_t i = 0; i < input.schools.size(); i += 17) {
    for (SectionInput& section : input.schools[i].sections) {
      if (section.facilities) section.facilities->teaching_area_m2 *= 0.5;
    }
  }
  GiveArtsRooms(input);
  AttestAll(input);
  input.facts.rotation_eligible_teachers = 1500;
  input.facts.rotated_teachers = 200;
  input.facts.rotated_backbone_teachers = 50;
  return input;
}

void BM_EvaluateDistrict300Sections(benchmark::State& state) {
  const DistrictInput input = SyntheticDistrict("440114", 300, 3);
  for (auto _ : state) {
    DistrictEvaluation evaluation = Evaluate(input);
    benchmark::DoNotOptimize(evaluation);
  }
  state.counters["sections"] = Evaluate(input).primary_sections + Evaluate(input).junior_sections;
}
BENCHMARK(BM_EvaluateDistrict300Sections)->Unit(benchmark::kMicrosecond);

std::vector<DistrictInput> SyntheticCity() {
  std::vector<DistrictInput> city;
  int variant = 0;
  for (const District& district : kDistricts) {
    city.push_back(SyntheticDistrict(std::string(district.code), 160 + 10 * variant, variant));
    ++variant;
  }
  return city;
}

void BM_EvaluateCityWithReports(benchmark::State& state) {
  const std::vector<DistrictInput> city = SyntheticCity();
  int sections = 0;
  for (const DistrictInput& input : city) {
    const DistrictEvaluation e = Evaluate(input);
    sections += e.primary_sections + e.junior_sections;
  }
  for (auto _ : state) {
    std::vector<DistrictEvaluation> evaluations;
    evaluations.reserve(city.size());
    size_t bytes = 0;
    for (const DistrictInput& input : city) {
      evaluations.push_back(Evaluate(input));
      bytes += RenderReport(evaluations.back(), Language::kChinese).size();
    }
    bytes += RenderCitySummary(evaluations, Language::kChinese).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["sections"] = sections;
}
BENCHMARK(BM_EvaluateCityWithReports)->Unit(benchmark::kMillisecond);

void BM_EvaluateCityWithJson(benchmark::State& state) {
  const std::vector<DistrictInput> city = SyntheticCity();
  for (auto _ : state) {
    size_t bytes = 0;
    for (const DistrictInput& input : city) bytes += EvaluationToJson(Evaluate(input), -1).size();
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_EvaluateCityWithJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gzedu::engine

BENCHMARK_MAIN();
