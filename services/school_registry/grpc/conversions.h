#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_CONVERSIONS_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_CONVERSIONS_H_

#include "gzedu/registry/v1/registry.pb.h"
#include "services/school_registry/domain/school.h"
#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// Proto <-> domain, field by field. Enum values outside the known set pass
// through unchanged so that validation can name them.
School FromProto(const v1::School& proto);
SchoolYearRecord FromProto(const v1::SchoolYearRecord& proto);

void ToProto(const School& school, v1::School* proto);
void ToProto(const SchoolYearRecord& record, v1::SchoolYearRecord* proto);
void ToProto(const Change& change, v1::Change* proto);

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_CONVERSIONS_H_
