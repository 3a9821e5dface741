#include "services/teacher_rotation/grpc/teacher_rotation_grpc_service.h"

#include "common/grpc/authentication.h"
#include "common/grpc/common_conversions.h"
#include "common/grpc/rpc_call.h"

namespace gzedu::rotation {
namespace {

// Who a rotation step records as its actor. With authentication on, the
// token's subject: the request's free text could name anyone. Without it
// (loopback development), what the request says.
std::string StepActor(const RpcCall& call, const std::string& claimed) {
  return ServerAuthenticationEnabled() ? call.principal() : claimed;
}

}  // namespace

Teacher FromProto(const v1::Teacher& p) {
  Teacher t;
  t.teacher_id = p.teacher_id();
  t.district_code = p.district_code();
  t.school_code = p.school_code();
  t.stage = static_cast<Stage>(p.stage());
  t.full_time = p.full_time();
  t.subject = static_cast<Subject>(p.subject());
  t.highest_degree = static_cast<Degree>(p.highest_degree());
  t.backbone_level = static_cast<BackboneLevel>(p.backbone_level());
  t.certified = p.certified();
  t.training_hours_current_cycle = p.training_hours_current_cycle();
  t.at_current_school_since = p.at_current_school_since();
  t.rotation_exempt = p.rotation_exempt();
  t.school_ownership = static_cast<SchoolOwnership>(p.school_ownership());
  return t;
}

Rotation FromProto(const v1::Rotation& p) {
  Rotation r;
  r.teacher_id = p.teacher_id();
  r.from_school_code = p.from_school_code();
  r.to_school_code = p.to_school_code();
  r.kind = static_cast<RotationKind>(p.kind());
  r.effective_date = p.effective_date();
  r.end_date = p.end_date();
  return r;
}

void ToProto(const Teacher& t, v1::Teacher* p) {
  p->set_teacher_id(t.teacher_id);
  p->set_district_code(t.district_code);
  p->set_school_code(t.school_code);
  p->set_stage(static_cast<common::v1::Stage>(t.stage));
  p->set_full_time(t.full_time);
  p->set_subject(static_cast<v1::Subject>(t.subject));
  p->set_highest_degree(static_cast<v1::Degree>(t.highest_degree));
  p->set_backbone_level(static_cast<v1::BackboneLevel>(t.backbone_level));
  p->set_certified(t.certified);
  p->set_training_hours_current_cycle(t.training_hours_current_cycle);
  p->set_at_current_school_since(t.at_current_school_since);
  p->set_rotation_exempt(t.rotation_exempt);
  p->set_school_ownership(static_cast<v1::SchoolOwnership>(t.school_ownership));
  p->set_change_version(t.change_version);
}

void ToProto(const Rotation& r, v1::Rotation* p) {
  p->set_rotation_id(r.rotation_id);
  p->set_teacher_id(r.teacher_id);
  p->set_from_school_code(r.from_school_code);
  p->set_to_school_code(r.to_school_code);
  p->set_kind(static_cast<v1::RotationKind>(r.kind));
  p->set_effective_date(r.effective_date);
  p->set_end_date(r.end_date);
  p->set_state(static_cast<v1::RotationState>(r.state));
  for (const RotationStep& step : r.history) {
    v1::RotationStep* out = p->add_history();
    out->set_state(static_cast<v1::RotationState>(step.state));
    out->set_actor(step.actor);
    out->set_request_id(step.request_id);
  }
  p->set_change_version(r.change_version);
}

grpc::Status TeacherRotationGrpcService::UpsertTeachers(grpc::ServerContext* context,
                                                        const v1::UpsertTeachersRequest* request,
                                                        v1::UpsertTeachersResponse* response) {
  RpcCall call(context, "UpsertTeachers", request->request_id());
  {
    std::set<std::string> districts;
    for (const auto& row : request->teachers()) districts.insert(row.district_code());
    call.SetDistricts(std::move(districts));
  }
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<Teacher> teachers;
  teachers.reserve(request->teachers_size());
  for (const v1::Teacher& teacher : request->teachers()) teachers.push_back(FromProto(teacher));
  absl::StatusOr<WriteSummary> summary =
      rotation_->UpsertTeachers(request->request_id(), teachers, request->dry_run(), *scope);
  if (summary.ok()) gzedu::ToProto(*summary, response->mutable_summary());
  return call.Finish(summary.status());
}

grpc::Status TeacherRotationGrpcService::ListTeachers(grpc::ServerContext* context,
                                                      const v1::ListTeachersRequest* request,
                                                      v1::ListTeachersResponse* response) {
  RpcCall call(context, "ListTeachers");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<TeacherPage> page = rotation_->ListTeachers(request->district_code(), request->school_code(),
                                                             request->page_size(), request->page_token());
  if (page.ok()) {
    for (size_t i = 0; i < page->teachers.size(); ++i) {
      v1::Teacher* teacher = response->add_teachers();
      ToProto(page->teachers[i], teacher);
      teacher->set_current_school_code(page->current_school_codes[i]);
    }
    response->set_next_page_token(page->next_page_token);
  }
  return call.Finish(page.status());
}

grpc::Status TeacherRotationGrpcService::ProposeRotation(grpc::ServerContext* context,
                                                         const v1::ProposeRotationRequest* request,
                                                         v1::ProposeRotationResponse* response) {
  RpcCall call(context, "ProposeRotation", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<RotationResult> result = rotation_->ProposeRotation(
      request->request_id(), FromProto(request->rotation()), StepActor(call, request->actor()), *scope);
  if (result.ok()) {
    call.SetDistricts({result->rotation.district_code});
    ToProto(result->rotation, response->mutable_rotation());
    response->set_replayed(result->replayed);
  }
  return call.Finish(result.status());
}

grpc::Status TeacherRotationGrpcService::ApproveRotation(grpc::ServerContext* context,
                                                         const v1::ApproveRotationRequest* request,
                                                         v1::ApproveRotationResponse* response) {
  RpcCall call(context, "ApproveRotation", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<RotationResult> result = rotation_->ApproveRotation(request->request_id(), request->rotation_id(),
                                                                     StepActor(call, request->actor()), *scope);
  if (result.ok()) {
    call.SetDistricts({result->rotation.district_code});
    ToProto(result->rotation, response->mutable_rotation());
    response->set_replayed(result->replayed);
  }
  return call.Finish(result.status());
}

grpc::Status TeacherRotationGrpcService::CancelRotation(grpc::ServerContext* context,
                                                        const v1::CancelRotationRequest* request,
                                                        v1::CancelRotationResponse* response) {
  RpcCall call(context, "CancelRotation", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<RotationResult> result = rotation_->CancelRotation(request->request_id(), request->rotation_id(),
                                                                    StepActor(call, request->actor()), *scope);
  if (result.ok()) {
    call.SetDistricts({result->rotation.district_code});
    ToProto(result->rotation, response->mutable_rotation());
    response->set_replayed(result->replayed);
  }
  return call.Finish(result.status());
}

grpc::Status TeacherRotationGrpcService::ListRotations(grpc::ServerContext* context,
                                                       const v1::ListRotationsRequest* request,
                                                       v1::ListRotationsResponse* response) {
  RpcCall call(context, "ListRotations");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<RotationPage> page = rotation_->ListRotations(request->district_code(), request->school_year(),
                                                               request->page_size(), request->page_token());
  if (page.ok()) {
    for (const Rotation& rotation : page->rotations) ToProto(rotation, response->add_rotations());
    response->set_next_page_token(page->next_page_token);
  }
  return call.Finish(page.status());
}

grpc::Status TeacherRotationGrpcService::GetSectionStaffing(grpc::ServerContext* context,
                                                            const v1::GetSectionStaffingRequest* request,
                                                            v1::GetSectionStaffingResponse* response) {
  RpcCall call(context, "GetSectionStaffing");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<std::vector<SectionStaffing>> sections =
      request->school_code().empty() && !request->district_code().empty()
          ? rotation_->GetDistrictStaffing(request->district_code(), request->school_year())
          : rotation_->GetSectionStaffing(request->school_code(), request->school_year());
  if (sections.ok()) {
    for (const SectionStaffing& s : *sections) {
      v1::SectionStaffing* out = response->add_sections();
      out->set_stage(static_cast<common::v1::Stage>(s.stage));
      out->set_full_time_teachers(s.full_time_teachers);
      out->set_above_required_qualification(s.above_required_qualification);
      out->set_backbone_county_or_above(s.backbone_county_or_above);
      out->set_pe_music_art(s.pe_music_art);
      out->set_certified(s.certified);
      out->set_training_complete(s.training_complete);
      out->set_school_code(s.school_code);
    }
  }
  return call.Finish(sections.status());
}

grpc::Status TeacherRotationGrpcService::GetRotationSummary(grpc::ServerContext* context,
                                                            const v1::GetRotationSummaryRequest* request,
                                                            v1::GetRotationSummaryResponse* response) {
  RpcCall call(context, "GetRotationSummary");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<RotationSummary> summary =
      rotation_->GetRotationSummary(request->district_code(), request->school_year());
  if (summary.ok()) {
    response->set_eligible_teachers(summary->eligible_teachers);
    response->set_rotated_teachers(summary->rotated_teachers);
    response->set_rotated_backbone_teachers(summary->rotated_backbone_teachers);
    response->set_rotation_ratio(summary->rotation_ratio);
    response->set_backbone_share(summary->backbone_share);
    response->set_meets_standard(summary->meets_standard);
    response->set_additional_rotations_needed(summary->additional_rotations_needed);
    response->set_additional_backbone_rotations_needed(summary->additional_backbone_rotations_needed);
    response->set_min_years_at_school(summary->min_years_at_school);
  }
  return call.Finish(summary.status());
}

grpc::Status TeacherRotationGrpcService::ListChanges(grpc::ServerContext* context,
                                                     const v1::ListChangesRequest* request,
                                                     v1::ListChangesResponse* response) {
  RpcCall call(context, "ListChanges");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(std::string(), "since_version"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<ChangePage> page = rotation_->ListChanges(request->since_version(), request->page_size());
  if (page.ok()) {
    for (const Change& change : page->changes) {
      v1::Change* out = response->add_changes();
      out->set_change_version(change.change_version);
      out->set_kind(common::v1::CHANGE_KIND_UPSERT);
      out->set_request_id(change.request_id);
      out->set_district_code(change.district_code);
      if (const auto* teacher = std::get_if<Teacher>(&change.entity)) {
        ToProto(*teacher, out->mutable_teacher());
      } else {
        ToProto(std::get<Rotation>(change.entity), out->mutable_rotation());
      }
    }
    response->set_latest_version(page->latest_version);
    // An idle poll (the evaluation service polls every feed): debug, not info.
    if (page->changes.empty()) call.MarkNothingNew();
  }
  return call.Finish(page.status());
}

}  // namespace gzedu::rotation
