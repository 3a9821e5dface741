#include "services/school_registry/grpc/school_registry_grpc_service.h"

#include <set>
#include <vector>

#include "common/grpc/common_conversions.h"
#include "common/grpc/rpc_call.h"
#include "common/grpc/unary_reactions.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "services/school_registry/grpc/conversions.h"

namespace gzedu::registry {
namespace {

// `message` serialized into `response`; Internal when it cannot be.
template <typename Message>
absl::Status SerializeResponse(const Message& message, grpc::ByteBuffer* response) {
  bool own_buffer = false;
  if (!grpc::SerializationTraits<Message>::Serialize(message, response, &own_buffer).ok()) {
    return absl::InternalError("the response could not be serialized");
  }
  return absl::OkStatus();
}

}  // namespace

SchoolRegistryGrpcService::SchoolRegistryGrpcService(SchoolRegistry* registry, ObservedSchoolRepository* observed)
    : registry_(registry),
      observed_(observed),
      encoded_(observed != nullptr ? std::make_unique<EncodedSchools>() : nullptr),
      pool_(kHandlerThreads, kMaxWaitingRequests) {}

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

grpc::ServerUnaryReactor* SchoolRegistryGrpcService::GetSchool(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request_bytes,
                                                               grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcCall call(context, "GetSchool");
  v1::GetSchoolRequest request;
  if (!ParseRawRequest(*request_bytes, &request)) return FinishNow(reactor, call, RequestNotParsed("GetSchoolRequest"));
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return FinishNow(reactor, call, scope.status());
  if (encoded_ != nullptr && encoded_->loaded()) {
    return FinishNow(reactor, call, GetSchoolFromMemory(*scope, request.school_code(), response));
  }
  return FinishOnPool(
      pool_, reactor, std::move(call),
      [this, scope = *scope, code = request.school_code(), response] {
        return EnsureLoaded() ? GetSchoolFromMemory(scope, code, response) : GetSchoolFromStore(scope, code, response);
      },
      {"too many school reads waiting; retry later", "等待中的学校查询过多，请稍后重试"}, kMaxHandlerQueueWait);
}

absl::Status SchoolRegistryGrpcService::GetSchoolFromMemory(const AccessScope& scope, const std::string& school_code,
                                                            grpc::ByteBuffer* response) {
  RETURN_IF_ERROR(SchoolRegistry::CheckGetSchool(school_code));
  std::optional<EncodedSchools::Held> school = encoded_->Find(school_code);
  if (!school.has_value()) return SchoolRegistry::SchoolNotFound(school_code);
  RETURN_IF_ERROR(scope.CheckRead(school->district_code, "school_code"));
  *response = grpc::ByteBuffer(&school->field, 1);
  return absl::OkStatus();
}

absl::Status SchoolRegistryGrpcService::GetSchoolFromStore(const AccessScope& scope, const std::string& school_code,
                                                           grpc::ByteBuffer* response) {
  ASSIGN_OR_RETURN(const School school, registry_->GetSchool(school_code));
  RETURN_IF_ERROR(scope.CheckRead(school.district_code, "school_code"));
  v1::GetSchoolResponse message;
  ToProto(school, message.mutable_school());
  return SerializeResponse(message, response);
}

grpc::ServerUnaryReactor* SchoolRegistryGrpcService::ListSchools(grpc::CallbackServerContext* context,
                                                                 const grpc::ByteBuffer* request_bytes,
                                                                 grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcCall call(context, "ListSchools");
  auto request = std::make_shared<v1::ListSchoolsRequest>();
  if (!ParseRawRequest(*request_bytes, request.get())) {
    return FinishNow(reactor, call, RequestNotParsed("ListSchoolsRequest"));
  }
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return FinishNow(reactor, call, scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return FinishNow(reactor, call, in_scope);
  }
  if (encoded_ != nullptr && encoded_->loaded()) {
    return FinishNow(reactor, call, ListSchoolsFromMemory(*request, response));
  }
  return FinishOnPool(
      pool_, reactor, std::move(call),
      [this, request, response] {
        return EnsureLoaded() ? ListSchoolsFromMemory(*request, response) : ListSchoolsFromStore(*request, response);
      },
      {"too many school reads waiting; retry later", "等待中的学校查询过多，请稍后重试"}, kMaxHandlerQueueWait);
}

absl::Status SchoolRegistryGrpcService::ListSchoolsFromMemory(const v1::ListSchoolsRequest& request,
                                                              grpc::ByteBuffer* response) {
  ASSIGN_OR_RETURN(
      const SchoolPageQuery query,
      SchoolRegistry::ParseListSchools(request.district_code(), request.page_size(), request.page_token()));
  EncodedSchools::Page page = encoded_->List(query.district_code, query.after_code, query.limit);
  // Field 2, the next page's token, after the schools (field 1 each): the
  // order SerializeToString writes.
  if (!page.more_after_code.empty()) {
    v1::ListSchoolsResponse token_only;
    token_only.set_next_page_token(SchoolRegistry::SchoolPageToken(page.more_after_code));
    page.fields.emplace_back(token_only.SerializeAsString());
  }
  if (page.fields.empty()) page.fields.emplace_back();  // an empty message
  *response = grpc::ByteBuffer(page.fields.data(), page.fields.size());
  return absl::OkStatus();
}

absl::Status SchoolRegistryGrpcService::ListSchoolsFromStore(const v1::ListSchoolsRequest& request,
                                                             grpc::ByteBuffer* response) {
  ASSIGN_OR_RETURN(const SchoolPage page,
                   registry_->ListSchools(request.district_code(), request.page_size(), request.page_token()));
  v1::ListSchoolsResponse message;
  message.mutable_schools()->Reserve(static_cast<int>(page.schools.size()));
  for (const School& school : page.schools) ToProto(school, message.add_schools());
  message.set_next_page_token(page.next_page_token);
  return SerializeResponse(message, response);
}

bool SchoolRegistryGrpcService::EnsureLoaded() {
  if (encoded_ == nullptr) return false;
  if (encoded_->loaded()) return true;
  // One thread loads; the others read the store meanwhile.
  std::unique_lock<std::mutex> lock(load_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return false;
  if (encoded_->loaded()) return true;
  if (absl::Status attached = observed_->Attach(encoded_.get()); !attached.ok()) {
    // Debug: the store is down (or not open yet), so the call's own line
    // already says so, once per call.
    Log(LogLevel::kDebug, "schools not loaded into memory; reading the store",
        {{"error", std::string(attached.message())}});
    return false;
  }
  return true;
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
