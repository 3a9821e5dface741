#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_

#include <memory>
#include <mutex>

#include "common/grpc/handler_pool.h"
#include "gzedu/registry/v1/registry.grpc.pb.h"
#include "services/school_registry/domain/observed_school_repository.h"
#include "services/school_registry/domain/school_registry.h"
#include "services/school_registry/grpc/encoded_schools.h"

namespace gzedu::registry {

// The gRPC face of SchoolRegistry: each method converts the request, makes
// one call to the domain, converts the answer and the status, and logs the
// call with its request id. No business rules live here.
//
// GetSchool and ListSchools, the reads dashboards poll, use the callback API
// with raw messages. Given an ObservedSchoolRepository (a store this process
// alone writes), they answer inline, in the thread that read the request,
// from EncodedSchools: the schools' bytes held in memory and kept exact by
// every commit, with no thread hand-off, no store read and no
// serialization. Until those are loaded (on the first such read, from the
// store), and always without one (PostgreSQL, which replicas share), they
// read the store on a HandlerPool thread, as a reaction must not block.
// Thread-safe; owns neither the registry nor the repository.
using SchoolRegistryServiceBase = v1::SchoolRegistryService::WithRawCallbackMethod_GetSchool<
    v1::SchoolRegistryService::WithRawCallbackMethod_ListSchools<v1::SchoolRegistryService::Service>>;
class SchoolRegistryGrpcService final : public SchoolRegistryServiceBase {
 public:
  // `observed` (may be null) is the repository under `registry` when every
  // write to its store goes through it; the service's copy of the schools
  // attaches to it, so it must commit nothing after the service is
  // destroyed (stop the server first).
  explicit SchoolRegistryGrpcService(SchoolRegistry* registry, ObservedSchoolRepository* observed = nullptr);

  grpc::Status UpsertSchools(grpc::ServerContext* context, const v1::UpsertSchoolsRequest* request,
                             v1::UpsertSchoolsResponse* response) override;
  // Raw: the request is a serialized v1::GetSchoolRequest, the response a
  // serialized v1::GetSchoolResponse (and so for ListSchools).
  grpc::ServerUnaryReactor* GetSchool(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* ListSchools(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                        grpc::ByteBuffer* response) override;
  grpc::Status DeleteSchool(grpc::ServerContext* context, const v1::DeleteSchoolRequest* request,
                            v1::DeleteSchoolResponse* response) override;
  grpc::Status UpsertSchoolYearRecords(grpc::ServerContext* context, const v1::UpsertSchoolYearRecordsRequest* request,
                                       v1::UpsertSchoolYearRecordsResponse* response) override;
  grpc::Status ListSchoolYearRecords(grpc::ServerContext* context, const v1::ListSchoolYearRecordsRequest* request,
                                     v1::ListSchoolYearRecordsResponse* response) override;
  grpc::Status ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                           v1::ListChangesResponse* response) override;

 private:
  // Threads for the reads not answered from memory (store reads), and how
  // many such requests may wait for one.
  static constexpr size_t kHandlerThreads = 4;
  static constexpr size_t kMaxWaitingRequests = 10000;

  // True when the encoded schools are loaded, loading them now if they can
  // be (a store read: call on the pool only).
  bool EnsureLoaded();
  // The answers from the encoded schools (loaded) and from the store.
  absl::Status GetSchoolFromMemory(const AccessScope& scope, const std::string& school_code,
                                   grpc::ByteBuffer* response);
  absl::Status GetSchoolFromStore(const AccessScope& scope, const std::string& school_code, grpc::ByteBuffer* response);
  absl::Status ListSchoolsFromMemory(const v1::ListSchoolsRequest& request, grpc::ByteBuffer* response);
  absl::Status ListSchoolsFromStore(const v1::ListSchoolsRequest& request, grpc::ByteBuffer* response);

  SchoolRegistry* registry_;
  ObservedSchoolRepository* observed_;
  // Held only with `observed_`.
  std::unique_ptr<EncodedSchools> encoded_;
  std::mutex load_mutex_;
  // Last: destroyed first, running what was submitted (the calls it
  // finishes still use the members above).
  HandlerPool pool_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_GRPC_SCHOOL_REGISTRY_GRPC_SERVICE_H_
