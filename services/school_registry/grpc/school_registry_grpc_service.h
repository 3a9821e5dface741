#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_

#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "services/school_registry/domain/school_registry.h"

namespace gzedu::registry {

// The gRPC face of SchoolRegistry: each method converts the request, makes
// one call to the domain, converts the answer and the status, and logs the
// call with its request id. No business rules live here. Thread-safe; does
// not own the registry.
class SchoolRegistryGrpcService final : public v1::SchoolRegistryService::Service {
 public:
  explicit SchoolRegistryGrpcService(SchoolRegistry* registry) : registry_(registry) {}

  grpc::Status UpsertSchools(grpc::ServerContext* context, const v1::UpsertSchoolsRequest* request,
                             v1::UpsertSchoolsResponse* response) override;
  grpc::Status GetSchool(grpc::ServerContext* context, const v1::GetSchoolRequest* request,
                         v1::GetSchoolResponse* response) override;
  grpc::Status ListSchools(grpc::ServerContext* context, const v1::ListSchoolsRequest* request,
                           v1::ListSchoolsResponse* response) override;
  grpc::Status DeleteSchool(grpc::ServerContext* context, const v1::DeleteSchoolRequest* request,
                            v1::DeleteSchoolResponse* response) override;
  grpc::Status UpsertSchoolYearRecords(grpc::ServerContext* context, const v1::UpsertSchoolYearRecordsRequest* request,
                                       v1::UpsertSchoolYearRecordsResponse* response) override;
  grpc::Status ListSchoolYearRecords(grpc::ServerContext* context, const v1::ListSchoolYearRecordsRequest* request,
                                     v1::ListSchoolYearRecordsResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;

 private:
  SchoolRegistry* registry_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_
