#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CONVERSIONS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CONVERSIONS_H_

// Between the evaluation service's domain values and the contract's
// messages (gzedu.indicators.v1). The storage adapters also keep snapshots,
// updates and returns as these messages: the contract is versioned and only
// ever gains fields, so stored values stay readable.

#include <string>
#include <vector>

#include "gzedu/indicators/v1/indicators.pb.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"
#include "services/indicator_evaluation/domain/scenario.h"

namespace gzedu::indicators {

// (v1 below is gzedu::indicators::v1, the generated contract.)

engine::Conventions FromProto(const v1::Conventions& proto);
void ToProto(const engine::Conventions& conventions, v1::Conventions* proto);

DistrictReturn FromProto(const v1::DistrictReturn& proto);
void ToProto(const DistrictReturn& r, v1::DistrictReturn* proto);

void ToProto(const engine::IndicatorResult& result, v1::IndicatorResult* proto);
engine::IndicatorResult FromProto(const v1::IndicatorResult& proto);

void ToProto(const InputVersions& versions, v1::InputVersions* proto);
InputVersions FromProto(const v1::InputVersions& proto);

// The snapshot as the contract's evaluation, with the report in `language`
// (none for unspecified).
void ToProto(const Snapshot& snapshot, v1::ReportLanguage language, v1::DistrictEvaluation* proto);
// Cuts a full evaluation to EVALUATION_VIEW_BASIC: clears the fields the
// basic view leaves out (`indicators`, `plans`, `district_plan`; see the
// enum's comment in the contract).
void BasicView(v1::DistrictEvaluation* evaluation);
// Back from the contract (reports are stored apart): the per-stage results
// carry their totals and CVs, not per-section values.
Snapshot FromProto(const v1::DistrictEvaluation& proto);

void ToProto(const IndicatorUpdate& update, v1::IndicatorUpdate* proto);
IndicatorUpdate FromProto(const v1::IndicatorUpdate& proto);

ScenarioChange FromProto(const v1::ScenarioChange& proto);

// RFC 3339 UTC with milliseconds, e.g. "2026-11-23T19:30:00.123Z".
std::string FormatTimestamp(int64_t unix_ms);

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CONVERSIONS_H_
