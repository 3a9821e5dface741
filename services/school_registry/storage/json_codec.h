#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_JSON_CODEC_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_JSON_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "services/school_registry/domain/school.h"
#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// JSON text for the parts of the registry's rows that are documents (a
// record's sections and facilities, a change's entity),
// shared by the SQL adapters. Doubles round-trip exactly. Decoding returns
// Internal for text this codec did not write (a corrupt row).

std::string EncodeSchool(const School& school);
absl::StatusOr<School> DecodeSchool(const std::string& json);

std::string EncodeRecord(const SchoolYearRecord& record);
absl::StatusOr<SchoolYearRecord> DecodeRecord(const std::string& json);

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_JSON_CODEC_H_
