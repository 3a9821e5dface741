#ifndef GZEDU_DATA_GUANGZHOU_GENERATOR_DATASET_H_
#define GZEDU_DATA_GUANGZHOU_GENERATOR_DATASET_H_

// The bundled Guangzhou dataset (school year 2024), generated
// deterministically: the same program always writes the same bytes.
//
// Liwan (440103) and Huadu (440114) are built to the inputs their
// self-evaluation reports publish (tests/data/published_figures.json):
// school counts by type and ownership, sections, students, classes,
// full-time teachers, the numerators of R1-R7 per stage, G3-G8, G11, G14,
// G15, Q1, Q2, Q4. Huadu's seven CVs per stage are targets the per-section
// values are shaped to (within 0.03). The reports publish no per-school
// data; the spread over schools is this generator's. The other nine
// districts are invented, plausible and varied: some meet the standard and
// some fail it, each for its own reasons (see the README beside the data).

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::dataset {

// One teacher of the roster (no personal data: an opaque id).
struct TeacherRow {
  std::string teacher_id;
  std::string school_code;
  Stage stage = Stage::kPrimary;
  bool public_school = true;
  std::string subject;   // 语文, 体育, ...
  std::string degree;    // 本科, ...
  std::string backbone;  // 无, 县级, ...
  bool certified = true;
  int32_t training_hours = 0;
  std::string since;  // at the current school since, YYYY-MM-DD
};

// One approved rotation.
struct RotationRow {
  std::string teacher_id;
  std::string from_school_code;
  std::string to_school_code;
  std::string kind;  // 交流, 轮岗, 支教, 走教
  std::string effective_date;
  std::string end_date;
};

// A district as generated: the engine input it must evaluate to, and the
// rows that carry it through the services.
struct GeneratedDistrict {
  engine::DistrictInput input;  // what evaluating the imported data must equal
  std::string name_zh;
  std::vector<TeacherRow> teachers;
  std::vector<RotationRow> rotations;
  // The education budget of the previous year (只增不减 evidence), fen.
  int64_t education_budget_last_year_fen = 0;
  // What the district is meant to show, for the README.
  std::string profile;
};

// Every district, in district-code order. Deterministic.
std::vector<GeneratedDistrict> BuildCity();

// Writes the bundle (schools.csv, school_years.csv, teachers.csv,
// rotations.csv, accounts.csv, transfers.csv, district_returns.json,
// profiles.md) into `dir`. Unavailable when a file cannot be written.
absl::Status WriteBundle(const std::vector<GeneratedDistrict>& city, const std::string& dir);

}  // namespace gzedu::dataset

#endif  // GZEDU_DATA_GUANGZHOU_GENERATOR_DATASET_H_
