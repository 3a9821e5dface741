#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_DISTRICT_RETURN_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_DISTRICT_RETURN_H_

// The district return (区县填报): what a district reports for a school year
// beyond its schools, teachers and funds: district-level statistics,
// attestations with evidence, the survey result, veto flags and
// prerequisites (indicators.md sections 4-6).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/domain/fingerprint.h"
#include "common/status/field_violations.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::indicators {

// The optional facts of engine::DistrictFacts that a district reports, with
// their kinds: X(kind, name). Used to convert, store and validate them
// field by field without repeating the list. The G8 pay figures (yuan in
// the engine, fen on the wire) and the G11 rotation figures (from the
// rotation service) are not in it.
#define GZEDU_DISTRICT_FACT_FIELDS(X)              \
  X(Int64, operating_base_per_student_primary_fen) \
  X(Int64, operating_base_per_student_junior_fen)  \
  X(Bool, performance_pay_fully_approved)          \
  X(Int32, zoned_admission_primary)                \
  X(Int32, admission_primary_total)                \
  X(Int32, zoned_admission_junior)                 \
  X(Int32, admission_junior_total)                 \
  X(Int32, quota_total_places)                     \
  X(Int32, quota_hk_macao_class_places)            \
  X(Int32, quota_allocated_places)                 \
  X(Bool, left_behind_care_system)                 \
  X(Int32, migrant_children_eligible)              \
  X(Int32, migrant_children_in_public_schools)     \
  X(Int32, migrant_children_in_purchased_places)   \
  X(Int32, junior_graduates)                       \
  X(Int32, junior_cohort_enrolled)                 \
  X(Int32, junior_transferred_in)                  \
  X(Int32, junior_transferred_out)                 \
  X(Int32, junior_deaths)                          \
  X(Int32, junior_dropouts)                        \
  X(Int32, disabled_school_age_children)           \
  X(Int32, disabled_deferred)                      \
  X(Int32, disabled_enrolled)                      \
  X(Int64, operating_budget_fen)                   \
  X(Int64, training_budget_fen)                    \
  X(Bool, monitoring_level_iii_or_above)           \
  X(Double, monitoring_difference_rate)            \
  X(Double, social_recognition_percent)            \
  X(Int32, basic_balanced_recognised_year)         \
  X(Bool, monitoring_kept_high)

// One district's return for one school year; natural key (district_code,
// school_year).
struct DistrictReturn {
  std::string district_code;
  int32_t school_year = 0;
  engine::DistrictFacts facts;  // the G11 rotation fields stay empty
  // (indicator id, attestation), at most one per indicator.
  std::vector<std::pair<std::string, engine::Attestation>> attestations;
  std::vector<engine::Veto> vetoes;
  // Version of the write that last changed it; set by the service.
  int64_t change_version = 0;

  // Equal in everything a client writes (change_version aside).
  bool SameContent(const DistrictReturn& other) const;
};

// The indicators a district attests (G1, G2, G10, Q3, Q5-Q8).
const std::vector<std::string>& AttestedIndicators();

// Adds every violation of `r` under `path` (e.g. "returns[2]"): district
// code, school year; the facts as engine::ValidateDistrictFacts checks every
// engine input (each count and amount within its documented bound, parts not
// above their wholes: zoned <= total admissions, Hong Kong and Macao class
// places and allocated places <= the quota places, migrant children placed
// <= eligible, graduates <= the cohort left after transfers and deaths,
// disabled children enrolled + deferred <= school-age, training budget <=
// operating budget; pays > 0, percentage within 0..100, rate within 0..1);
// attestations of attested indicators only, once each, with YYYY-MM-DD
// dates; vetoes with a kind.
void ValidateDistrictReturn(const DistrictReturn& r, const std::string& path, FieldViolations& violations);

// Adds everything a client writes of `r` to `fingerprint`.
void AddToFingerprint(Fingerprint& fingerprint, const DistrictReturn& r);

// Copies the return into an engine input (facts, attestations, vetoes),
// keeping the rotation facts `input` already has.
void ApplyReturn(const DistrictReturn& r, engine::DistrictInput* input);

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_DISTRICT_RETURN_H_
