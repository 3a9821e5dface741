// gzedu-generate-dataset: writes the bundled Guangzhou dataset
// (data/guangzhou/) and prints, per district and stage, the seven CVs the
// data evaluates to (Huadu's published ones beside them). Deterministic:
// running it again writes the same bytes.
#include <cstdio>
#include <string>

#include "data/guangzhou/generator/dataset.h"
#include "services/indicator_evaluation/engine/engine.h"

int main(int argc, char** argv) {
  if (argc != 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fprintf(stderr,
                 "usage: gzedu-generate-dataset OUT_DIR\n"
                 "Writes schools.csv, school_years.csv, teachers.csv, rotations.csv, accounts.csv, transfers.csv,\n"
                 "district_returns.json and profiles.md of the bundled Guangzhou dataset (school year 2024) into\n"
                 "OUT_DIR, and prints each district's verdict and CVs.\n");
    return argc == 2 ? 0 : 2;
  }
  const std::vector<gzedu::dataset::GeneratedDistrict> city = gzedu::dataset::BuildCity();
  if (absl::Status status = gzedu::dataset::WriteBundle(city, argv[1]); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  for (const gzedu::dataset::GeneratedDistrict& d : city) {
    const gzedu::engine::DistrictEvaluation e = gzedu::engine::Evaluate(d.input);
    std::string failing;
    for (const std::string& f : e.failing_indicators) failing += f + ", ";
    std::printf("%s %zu schools, %zu teachers, %zu rotations: %s\n", d.input.district_code.c_str(),
                d.input.schools.size(), d.teachers.size(), d.rotations.size(),
                e.verdict == gzedu::engine::OverallVerdict::kMeets ? "meets" : ("fails: " + failing).c_str());
    for (const gzedu::engine::StageResult& s : e.stages) {
      std::printf("  %s cv:", s.stage == gzedu::Stage::kPrimary ? "primary" : "junior ");
      for (double cv : s.cv) std::printf(" %.3f", cv);
      std::printf("  sections %d (all %d, 85%% %d, failing %d)\n", s.sections, s.sections_meeting_all,
                  s.sections_with_one_at_85, s.sections_failing);
    }
  }
  return 0;
}
