#include "services/school_registry/grpc/school_registry_grpc_service.h"

#include <set>
#include <vector>

#include "common/grpc/common_conversions.h"
#include "common/grpc/rpc_call.h"
#include "services/school_registry/grpc/conversions.h"

namespace gzedu::registry {

grpc::Status SchoolRegistryGrpcService::UpsertSchools(grpc::ServerContext* context,
                                                      const v1::UpsertSchoolsRequest* request,
                                                      v1::UpsertSchoolsResponse* response) {
  RpcCall call(context, "UpsertSchools", request->request_id());
  {
    std::set<std::string> districts;
    for (const auto& row : request->schools()) districts.insert(row.district_code());
    call.SetDistricts(std::move(districts));
  }
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<School> schools;
  schools.reserve(request->schools_size());
  for (const v1::School& school : request->schools()) schools.push_back(FromProto(school));
  absl::StatusOr<WriteSummary> summary =
      registry_->UpsertSchools(request->request_id(), schools, request->dry_run(), *scope);
  if (summary.ok()) gzedu::ToProto(*summary, response->mutable_summary());
  return call.Finish(summary.status());
}

grpc::Status SchoolRegistryGrpcService::GetSchool(grpc::ServerContext* context, const v1::GetSchoolRequest* request,
                                                  v1::GetSchoolResponse* response) {
  RpcCall call(context, "GetSchool");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<School> school = registry_->GetSchool(request->school_code());
  if (school.ok()) {
    if (absl::Status in_scope = scope->CheckRead(school->district_code, "school_code"); !in_scope.ok()) {
      return call.Finish(in_scope);
    }
    ToProto(*school, response->mutable_school());
  }
  return call.Finish(school.status());
}

grpc::Status SchoolRegistryGrpcService::ListSchools(grpc::ServerContext* context, const v1::ListSchoolsRequest* request,
                                                    v1::ListSchoolsResponse* response) {
  RpcCall call(context, "ListSchools");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<SchoolPage> page =
      registry_->ListSchools(request->district_code(), request->page_size(), request->page_token());
  if (page.ok()) {
    response->mutable_schools()->Reserve(static_cast<int>(page->schools.size()));
    for (const School& school : page->schools) ToProto(school, response->add_schools());
    response->set_next_page_token(page->next_page_token);
  }
  return call.Finish(page.status());
}

grpc::Status SchoolRegistryGrpcService::DeleteSchool(grpc::ServerContext* context,
                                                     const v1::DeleteSchoolRequest* request,
                                                     v1::DeleteSchoolResponse* response) {
  RpcCall call(context, "DeleteSchool", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<WriteSummary> summary = registry_->DeleteSchool(request->request_id(), request->school_code(), *scope);
  if (summary.ok()) gzedu::ToProto(*summary, response->mutable_summary());
  return call.Finish(summary.status());
}

grpc::Status SchoolRegistryGrpcService::UpsertSchoolYearRecords(grpc::ServerContext* context,
                                                                const v1::UpsertSchoolYearRecordsRequest* request,
                                                                v1::UpsertSchoolYearRecordsResponse* response) {
  RpcCall call(context, "UpsertSchoolYearRecords", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<SchoolYearRecord> records;
  records.reserve(request->records_size());
  for (const v1::SchoolYearRecord& record : request->records()) records.push_back(FromProto(record));
  absl::StatusOr<WriteSummary> summary =
      registry_->UpsertSchoolYearRecords(request->request_id(), records, request->dry_run(), *scope);
  if (summary.ok()) gzedu::ToProto(*summary, response->mutable_summary());
  return call.Finish(summary.status());
}

grpc::Status SchoolRegistryGrpcService::ListSchoolYearRecords(grpc::ServerContext* context,
                                                              const v1::ListSchoolYearRecordsRequest* request,
                                                              v1::ListSchoolYearRecordsResponse* response) {
  RpcCall call(context, "ListSchoolYearRecords");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<SchoolYearRecordPage> page = registry_->ListSchoolYearRecords(
      request->district_code(), request->school_year(), request->page_size(), request->page_token());
  if (page.ok()) {
    for (const SchoolYearRecord& record : page->records) ToProto(record, response->add_records());
    response->set_next_page_token(page->next_page_token);
  }
  return call.Finish(page.status());
}

grpc::Status SchoolRegistryGrpcService::ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                                                    v1::ListChangesResponse* response) {
  RpcCall call(context, "ListChanges");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(std::string(), "since_version"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<ChangePage> page = registry_->ListChanges(request->since_version(), request->page_size());
  if (page.ok()) {
    for (const Change& change : page->changes) ToProto(change, response->add_changes());
    response->set_latest_version(page->latest_version);
    // An idle poll (the evaluation service polls every feed): debug, not info.
    if (page->changes.empty()) call.MarkNothingNew();
  }
  return call.Finish(page.status());
}

}  // namespace gzedu::registry
