#include "services/teacher_rotation/domain/teacher_rotation.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/domain/text.h"
#include "common/status/macros.h"
#include "common/status/texts.h"
#include "services/teacher_rotation/domain/validation.h"

namespace gzedu::rotation {
namespace {

constexpr int32_t kMinSchoolYear = 2000;
constexpr int32_t kMaxSchoolYear = 2100;

void AddTeacher(Fingerprint& fp, const Teacher& t) {
  fp.Add(t.teacher_id).Add(t.district_code).Add(t.school_code).Add(static_cast<int64_t>(t.stage));
  fp.Add(t.full_time).Add(static_cast<int64_t>(t.subject)).Add(static_cast<int64_t>(t.highest_degree));
  fp.Add(static_cast<int64_t>(t.backbone_level)).Add(t.certified);
  fp.Add(static_cast<int64_t>(t.training_hours_current_cycle)).Add(t.at_current_school_since);
  fp.Add(t.rotation_exempt).Add(static_cast<int64_t>(t.school_ownership));
}

void ValidateDistrict(const std::string& district_code, FieldViolations& violations) {
  if (FindDistrict(district_code) == nullptr) {
    violations.Add("district_code", absl::StrCat("'", district_code, "' is not one of the 11 districts"),
                   absl::StrCat("“", district_code, "”不是广州市 11 个区的区代码之一"));
  }
}

void ValidateSchoolYear(int32_t school_year, bool zero_allowed, FieldViolations& violations) {
  if ((zero_allowed && school_year == 0) || (school_year >= kMinSchoolYear && school_year <= kMaxSchoolYear)) return;
  violations.Add("school_year",
                 absl::StrCat("must be ", zero_allowed ? "0 (every year) or " : "", "between ", kMinSchoolYear, " and ",
                              kMaxSchoolYear),
                 absl::StrCat("必须", zero_allowed ? "为 0（所有学年）或" : "", "在 ", kMinSchoolYear, " 到 ",
                              kMaxSchoolYear, " 之间"));
}

// The rotation as the request that made `request_id`'s step answered it:
// history up to that step, its state and version.
Rotation AsOfRequest(Rotation rotation, const std::string& request_id) {
  for (size_t i = 0; i < rotation.history.size(); ++i) {
    if (rotation.history[i].request_id != request_id) continue;
    rotation.history.resize(i + 1);
    rotation.state = rotation.history[i].state;
    rotation.change_version = rotation.history[i].change_version;
    break;
  }
  return rotation;
}

std::map<std::string, std::vector<Rotation>> ByTeacher(std::vector<Rotation> rotations) {
  std::map<std::string, std::vector<Rotation>> by_teacher;
  for (Rotation& rotation : rotations) by_teacher[rotation.teacher_id].push_back(std::move(rotation));
  return by_teacher;
}

const char* StateNameInChinese(RotationState state) {
  switch (state) {
    case RotationState::kProposed:
      return "已提出";
    case RotationState::kApproved:
      return "已批准";
    case RotationState::kCancelled:
      return "已取消";
    case RotationState::kUnspecified:
      break;
  }
  return "未指定";
}

const char* StateName(RotationState state) {
  switch (state) {
    case RotationState::kProposed:
      return "proposed";
    case RotationState::kApproved:
      return "approved";
    case RotationState::kCancelled:
      return "cancelled";
    case RotationState::kUnspecified:
      break;
  }
  return "unspecified";
}

// True when the periods [effective, end) of two rotations overlap; an empty
// end is open-ended.
bool Overlap(const Rotation& a, const Rotation& b) {
  const auto end_after = [](const Rotation& r, const std::string& date) {
    return r.end_date.empty() || date < r.end_date;  // YYYY-MM-DD compares as text
  };
  return end_after(a, b.effective_date) && end_after(b, a.effective_date);
}

}  // namespace

absl::StatusOr<WriteSummary> TeacherRotation::UpsertTeachers(const std::string& request_id,
                                                             const std::vector<Teacher>& teachers, bool dry_run,
                                                             const AccessScope& scope) {
  FieldViolations violations;
  if (!IsValidRequestId(request_id)) violations.Add("request_id", texts::InvalidRequestId());
  ValidateTeacherBatch(teachers, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("UpsertTeachers", "写入教师名册")));

  Fingerprint fp;
  fp.Add(absl::string_view("UpsertTeachers")).Add(static_cast<int64_t>(teachers.size()));
  for (const Teacher& teacher : teachers) AddTeacher(fp, teacher);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RotationWriteTransaction> txn, repository_->BeginWrite());
  {
    std::vector<std::string> teacher_ids;
    for (const Teacher& t : teachers) teacher_ids.push_back(t.teacher_id);
    RETURN_IF_ERROR(txn->PrefetchTeachers(teacher_ids));
  }
  if (!scope.whole_city) {
    FieldViolations outside;
    for (size_t i = 0; i < teachers.size(); ++i) {
      const std::string path = absl::StrCat("teachers[", i, "]");
      const LocalizedText what{absl::StrCat("teacher ", teachers[i].teacher_id),
                               absl::StrCat("教师 ", teachers[i].teacher_id)};
      scope.Check(teachers[i].district_code, path + ".district_code", what, outside);
      ASSIGN_OR_RETURN(std::optional<Teacher> existing, txn->FindTeacher(teachers[i].teacher_id));
      if (existing && existing->district_code != teachers[i].district_code) {
        scope.Check(existing->district_code, path, {what.en + " (on the roster)", what.zh + "（名册中）"}, outside);
      }
    }
    RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("UpsertTeachers", "写入教师名册")));
  }
  if (!dry_run) {
    ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
    if (replay.has_value()) return replay->summary;
  }
  WriteSummary summary;
  summary.dry_run = dry_run;
  ChangeEventBuilder event("rotation");
  for (const Teacher& incoming : teachers) {
    ASSIGN_OR_RETURN(std::optional<Teacher> existing, txn->FindTeacher(incoming.teacher_id));
    if (existing.has_value() && existing->SameContent(incoming)) {
      ++summary.unchanged_count;
      continue;
    }
    ++(existing.has_value() ? summary.updated_count : summary.created_count);
    if (dry_run) continue;
    Teacher teacher = incoming;
    ASSIGN_OR_RETURN(teacher.change_version, txn->AppendChange(Change{0, request_id, teacher.district_code, teacher}));
    event.Add(teacher.district_code, teacher.change_version);
    if (summary.first_change_version == 0) summary.first_change_version = teacher.change_version;
    summary.last_change_version = teacher.change_version;
    RETURN_IF_ERROR(txn->PutTeacher(teacher));
  }
  if (dry_run) return summary;
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, ""}));
  RETURN_IF_ERROR(txn->Commit());
  event.PublishTo(publisher_);
  return summary;
}

absl::StatusOr<TeacherPage> TeacherRotation::ListTeachers(const std::string& district_code,
                                                          const std::string& school_code, int32_t page_size,
                                                          const std::string& page_token) {
  FieldViolations violations;
  ValidateDistrict(district_code, violations);
  if (!school_code.empty() && !IsDigits(school_code, 10)) {
    violations.Add("school_code", "must be empty or a 10-digit school identifier",
                   "必须留空或是 10 位数字的学校标识码");
  }
  const int32_t limit = EffectivePageSize(page_size, violations);
  std::string after;
  if (!page_token.empty()) {
    std::optional<std::string> decoded = DecodePageToken("t1", page_token);
    if (!decoded) violations.Add("page_token", texts::InvalidPageToken());
    after = decoded.value_or("");
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListTeachers", "列出教师")));
  ASSIGN_OR_RETURN(std::vector<Teacher> teachers,
                   repository_->ListTeachers(district_code, school_code, after, limit + 1));
  TeacherPage page;
  if (static_cast<int32_t>(teachers.size()) > limit) {
    teachers.resize(limit);
    page.next_page_token = EncodePageToken("t1", teachers.back().teacher_id);
  }
  std::vector<std::string> ids;
  for (const Teacher& teacher : teachers) ids.push_back(teacher.teacher_id);
  ASSIGN_OR_RETURN(std::vector<Rotation> approved, repository_->ApprovedRotationsOfTeachers(ids));
  const std::map<std::string, std::vector<Rotation>> by_teacher = ByTeacher(std::move(approved));
  const Date today = clock_->Today();
  for (const Teacher& teacher : teachers) {
    auto it = by_teacher.find(teacher.teacher_id);
    page.current_school_codes.push_back(
        AssignmentOn(teacher, it == by_teacher.end() ? std::vector<Rotation>{} : it->second, today).school_code);
  }
  page.teachers = std::move(teachers);
  return page;
}

absl::StatusOr<RotationResult> TeacherRotation::ProposeRotation(const std::string& request_id, const Rotation& proposed,
                                                                const std::string& actor, const AccessScope& scope) {
  FieldViolations violations;
  if (!IsValidRequestId(request_id)) violations.Add("request_id", texts::InvalidRequestId());
  ValidateRotation(proposed, "rotation", violations);
  ValidateActor(actor, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ProposeRotation", "提出轮岗")));

  Fingerprint fp;
  fp.Add(absl::string_view("ProposeRotation")).Add(proposed.teacher_id).Add(proposed.from_school_code);
  fp.Add(proposed.to_school_code).Add(static_cast<int64_t>(proposed.kind)).Add(proposed.effective_date);
  fp.Add(proposed.end_date).Add(actor);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RotationWriteTransaction> txn, repository_->BeginWrite());
  if (!scope.whole_city) {
    FieldViolations outside;
    ASSIGN_OR_RETURN(std::optional<Teacher> mover, txn->FindTeacher(proposed.teacher_id));
    if (mover) {
      scope.Check(mover->district_code, "rotation.teacher_id",
                  {absl::StrCat("teacher ", proposed.teacher_id), absl::StrCat("教师 ", proposed.teacher_id)}, outside);
    }
    // The target school's district, as the roster knows it: the district of
    // the teachers working there (a school nobody works at yet is not known).
    for (const District& district : kDistricts) {
      if (scope.Allows(std::string(district.code))) continue;
      ASSIGN_OR_RETURN(std::vector<Teacher> there,
                       repository_->ListTeachers(district.code, proposed.to_school_code, "", 1));
      if (!there.empty()) {
        scope.Check(there.front().district_code, "rotation.to_school_code",
                    {absl::StrCat("school ", proposed.to_school_code), absl::StrCat("学校 ", proposed.to_school_code)},
                    outside);
        break;
      }
    }
    RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("ProposeRotation", "提出轮岗")));
  }
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay.has_value()) {
    ASSIGN_OR_RETURN(std::optional<Rotation> stored, txn->FindRotation(replay->entity_id));
    if (!stored) return absl::InternalError("a recorded request names a rotation that is not stored");
    return RotationResult{AsOfRequest(*stored, request_id), true};
  }
  ASSIGN_OR_RETURN(std::optional<Teacher> teacher, txn->FindTeacher(proposed.teacher_id));
  if (!teacher) {
    violations.Add("rotation.teacher_id", absl::StrCat("teacher ", proposed.teacher_id, " is not on the roster"),
                   absl::StrCat("教师 ", proposed.teacher_id, " 不在教师名册中"));
    return violations.ToStatus(texts::InvalidRequest("ProposeRotation", "提出轮岗"));
  }
  ASSIGN_OR_RETURN(std::vector<Rotation> rotations, txn->RotationsOfTeacher(teacher->teacher_id));
  std::vector<Rotation> approved;
  for (Rotation& r : rotations) {
    if (r.state == RotationState::kApproved) approved.push_back(std::move(r));
  }
  const Date effective = *Date::Parse(proposed.effective_date);
  const Assignment assignment = AssignmentOn(*teacher, approved, effective);
  if (assignment.school_code != proposed.from_school_code) {
    violations.Add("rotation.from_school_code",
                   absl::StrCat("teacher ", teacher->teacher_id, " works at ", assignment.school_code, " on ",
                                proposed.effective_date),
                   absl::StrCat("教师 ", teacher->teacher_id, " 在 ", proposed.effective_date, " 任职于学校 ",
                                assignment.school_code));
    return violations.ToStatus(texts::InvalidRequest("ProposeRotation", "提出轮岗"));
  }

  Rotation rotation = proposed;
  ASSIGN_OR_RETURN(int64_t count, txn->CountRotations());
  rotation.rotation_id = absl::StrFormat("rot-%06d", count + 1);
  rotation.district_code = teacher->district_code;
  rotation.state = RotationState::kProposed;
  ASSIGN_OR_RETURN(rotation.change_version, txn->NextChangeVersion());
  rotation.history = {{RotationState::kProposed, actor, request_id, rotation.change_version}};
  ASSIGN_OR_RETURN(int64_t version, txn->AppendChange(Change{0, request_id, rotation.district_code, rotation}));
  if (version != rotation.change_version) return absl::InternalError("change versions out of step");
  RETURN_IF_ERROR(txn->PutRotation(rotation));
  WriteSummary summary;
  summary.created_count = 1;
  summary.first_change_version = summary.last_change_version = version;
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, rotation.rotation_id}));
  RETURN_IF_ERROR(txn->Commit());
  PublishRotation(rotation, version);
  return RotationResult{rotation, false};
}

void TeacherRotation::PublishRotation(const Rotation& rotation, int64_t version) {
  ChangeEventBuilder event("rotation");
  event.Add(rotation.district_code, version);
  event.PublishTo(publisher_);
}

absl::StatusOr<RotationResult> TeacherRotation::ApproveRotation(const std::string& request_id,
                                                                const std::string& rotation_id,
                                                                const std::string& actor, const AccessScope& scope) {
  return Transition(request_id, rotation_id, actor, RotationState::kApproved, scope);
}

absl::StatusOr<RotationResult> TeacherRotation::CancelRotation(const std::string& request_id,
                                                               const std::string& rotation_id, const std::string& actor,
                                                               const AccessScope& scope) {
  return Transition(request_id, rotation_id, actor, RotationState::kCancelled, scope);
}

absl::StatusOr<RotationResult> TeacherRotation::Transition(const std::string& request_id,
                                                           const std::string& rotation_id, const std::string& actor,
                                                           RotationState target, const AccessScope& scope) {
  const char* method = target == RotationState::kApproved ? "ApproveRotation" : "CancelRotation";
  const char* method_zh = target == RotationState::kApproved ? "批准轮岗" : "取消轮岗";
  FieldViolations violations;
  if (!IsValidRequestId(request_id)) violations.Add("request_id", texts::InvalidRequestId());
  if (rotation_id.empty() || rotation_id.size() > 64)
    violations.Add("rotation_id", "must name a rotation", "必须写明轮岗标识");
  ValidateActor(actor, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest(method, method_zh)));
  Fingerprint fp;
  fp.Add(absl::string_view(method)).Add(rotation_id).Add(actor);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<RotationWriteTransaction> txn, repository_->BeginWrite());
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  ASSIGN_OR_RETURN(std::optional<Rotation> rotation, txn->FindRotation(rotation_id));
  if (!rotation) {
    return LocalizedError(absl::StatusCode::kNotFound, {absl::StrCat("rotation ", rotation_id, " does not exist"),
                                                        absl::StrCat("轮岗 ", rotation_id, " 不存在")});
  }
  FieldViolations outside;
  scope.Check(rotation->district_code, "rotation_id",
              {absl::StrCat("rotation ", rotation_id), absl::StrCat("轮岗 ", rotation_id)}, outside);
  RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope(method, method_zh)));
  if (replay.has_value()) return RotationResult{AsOfRequest(*rotation, request_id), true};

  const bool allowed = target == RotationState::kApproved ? rotation->state == RotationState::kProposed
                                                          : rotation->state != RotationState::kCancelled;
  if (!allowed) {
    return LocalizedError(absl::StatusCode::kFailedPrecondition,
                          {absl::StrCat("rotation ", rotation_id, " is ", StateName(rotation->state), "; it cannot be ",
                                        target == RotationState::kApproved ? "approved" : "cancelled"),
                           absl::StrCat("轮岗 ", rotation_id, " ", StateNameInChinese(rotation->state), "，不能再",
                                        target == RotationState::kApproved ? "批准" : "取消")});
  }
  if (target == RotationState::kApproved) {
    ASSIGN_OR_RETURN(std::vector<Rotation> others, txn->RotationsOfTeacher(rotation->teacher_id));
    for (const Rotation& other : others) {
      if (other.state == RotationState::kApproved && other.rotation_id != rotation_id && Overlap(other, *rotation)) {
        return LocalizedError(absl::StatusCode::kFailedPrecondition,
                              {absl::StrCat("rotation ", rotation_id, " overlaps approved rotation ", other.rotation_id,
                                            " of teacher ", rotation->teacher_id),
                               absl::StrCat("轮岗 ", rotation_id, " 与教师 ", rotation->teacher_id, " 已批准的轮岗 ",
                                            other.rotation_id, " 时间重叠")});
      }
    }
  }
  ASSIGN_OR_RETURN(rotation->change_version, txn->NextChangeVersion());
  rotation->state = target;
  rotation->history.push_back({target, actor, request_id, rotation->change_version});
  ASSIGN_OR_RETURN(int64_t version, txn->AppendChange(Change{0, request_id, rotation->district_code, *rotation}));
  if (version != rotation->change_version) return absl::InternalError("change versions out of step");
  RETURN_IF_ERROR(txn->PutRotation(*rotation));
  WriteSummary summary;
  summary.updated_count = 1;
  summary.first_change_version = summary.last_change_version = version;
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, rotation_id}));
  RETURN_IF_ERROR(txn->Commit());
  PublishRotation(*rotation, version);
  return RotationResult{*rotation, false};
}

absl::StatusOr<RotationPage> TeacherRotation::ListRotations(const std::string& district_code, int32_t school_year,
                                                            int32_t page_size, const std::string& page_token) {
  FieldViolations violations;
  ValidateDistrict(district_code, violations);
  ValidateSchoolYear(school_year, /*zero_allowed=*/true, violations);
  const int32_t limit = EffectivePageSize(page_size, violations);
  std::string after;
  if (!page_token.empty()) {
    std::optional<std::string> decoded = DecodePageToken("r1", page_token);
    if (!decoded) violations.Add("page_token", texts::InvalidPageToken());
    after = decoded.value_or("");
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListRotations", "列出轮岗")));
  ASSIGN_OR_RETURN(std::vector<Rotation> rotations,
                   repository_->ListRotations(district_code, school_year, after, limit + 1));
  RotationPage page;
  if (static_cast<int32_t>(rotations.size()) > limit) {
    rotations.resize(limit);
    page.next_page_token = EncodePageToken("r1", rotations.back().rotation_id);
  }
  page.rotations = std::move(rotations);
  return page;
}

absl::StatusOr<std::vector<SectionStaffing>> TeacherRotation::GetSectionStaffing(const std::string& school_code,
                                                                                 int32_t school_year) {
  FieldViolations violations;
  if (!IsDigits(school_code, 10)) violations.Add("school_code", texts::InvalidSchoolCode());
  ValidateSchoolYear(school_year, /*zero_allowed=*/false, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetSectionStaffing", "查询学段单元师资")));
  ASSIGN_OR_RETURN(std::vector<Teacher> teachers, repository_->TeachersAroundSchool(school_code));
  std::vector<std::string> ids;
  for (const Teacher& teacher : teachers) ids.push_back(teacher.teacher_id);
  ASSIGN_OR_RETURN(std::vector<Rotation> approved, repository_->ApprovedRotationsOfTeachers(ids));
  return StaffingOf(school_code, teachers, ByTeacher(std::move(approved)), school_year);
}

absl::StatusOr<std::vector<SectionStaffing>> TeacherRotation::GetDistrictStaffing(const std::string& district_code,
                                                                                  int32_t school_year) {
  FieldViolations violations;
  ValidateDistrict(district_code, violations);
  ValidateSchoolYear(school_year, /*zero_allowed=*/false, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetSectionStaffing", "查询学段单元师资")));
  ASSIGN_OR_RETURN(std::vector<Teacher> teachers, repository_->TeachersOfDistrict(district_code));
  ASSIGN_OR_RETURN(std::vector<Rotation> approved, repository_->ApprovedRotationsOfDistrict(district_code));
  return StaffingBySchool(teachers, ByTeacher(std::move(approved)), school_year);
}

absl::StatusOr<RotationSummary> TeacherRotation::GetRotationSummary(const std::string& district_code,
                                                                    int32_t school_year) {
  FieldViolations violations;
  ValidateDistrict(district_code, violations);
  ValidateSchoolYear(school_year, /*zero_allowed=*/false, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetRotationSummary", "查询轮岗汇总")));
  ASSIGN_OR_RETURN(std::vector<Teacher> teachers, repository_->TeachersOfDistrict(district_code));
  ASSIGN_OR_RETURN(std::vector<Rotation> approved, repository_->ApprovedRotationsOfDistrict(district_code));
  return Summarize(teachers, ByTeacher(std::move(approved)), school_year, min_years_at_school_);
}

absl::StatusOr<ChangePage> TeacherRotation::ListChanges(int64_t since_version, int32_t page_size) {
  FieldViolations violations;
  if (since_version < 0) violations.Add("since_version", texts::MustBeNonNegative());
  const int32_t limit = EffectivePageSize(page_size, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListChanges", "读取变更")));
  ChangePage page;
  ASSIGN_OR_RETURN(page.changes, repository_->ListChanges(since_version, limit));
  ASSIGN_OR_RETURN(page.latest_version, repository_->LatestChangeVersion());
  return page;
}

}  // namespace gzedu::rotation
