#include "services/indicator_evaluation/sources/grpc_source_reader.h"

#include <limits>
#include <map>
#include <thread>

#include <grpcpp/client_context.h>

#include "absl/strings/str_cat.h"
#include "common/grpc/request_id.h"
#include "common/grpc/status_conversion.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "common/status/server_state.h"

namespace gzedu::indicators {
namespace {

namespace rv1 = ::gzedu::registry::v1;
namespace tv1 = ::gzedu::rotation::v1;
namespace fv1 = ::gzedu::funding::v1;

// Reads of whole lists use the largest page the sources serve.
constexpr int32_t kPageSize = 1000;
// ListChanges from here returns no change, only the latest version.
constexpr int64_t kBeyondAnyVersion = std::numeric_limits<int64_t>::max() / 2;

engine::SchoolType TypeOf(rv1::SchoolType type) {
  switch (type) {
    case rv1::SCHOOL_TYPE_JUNIOR:
      return engine::SchoolType::kJunior;
    case rv1::SCHOOL_TYPE_NINE_YEAR:
      return engine::SchoolType::kNineYear;
    case rv1::SCHOOL_TYPE_TWELVE_YEAR:
      return engine::SchoolType::kTwelveYear;
    case rv1::SCHOOL_TYPE_COMPLETE_MIDDLE:
      return engine::SchoolType::kCompleteMiddle;
    case rv1::SCHOOL_TYPE_TEACHING_POINT:
      return engine::SchoolType::kTeachingPoint;
    case rv1::SCHOOL_TYPE_SPECIAL_EDUCATION:
      return engine::SchoolType::kSpecialEducation;
    default:
      return engine::SchoolType::kPrimary;
  }
}

engine::Locale LocaleOf(rv1::Locale locale) {
  switch (locale) {
    case rv1::LOCALE_TOWN:
      return engine::Locale::kTown;
    case rv1::LOCALE_RURAL:
      return engine::Locale::kRural;
    default:
      return engine::Locale::kUrban;
  }
}

}  // namespace

GrpcSourceReader::GrpcSourceReader(std::shared_ptr<grpc::Channel> registry, std::shared_ptr<grpc::Channel> rotation,
                                   std::shared_ptr<grpc::Channel> ledger, Cache* cache, Options options)
    : registry_(rv1::SchoolRegistryService::NewStub(registry)),
      rotation_(tv1::TeacherRotationService::NewStub(rotation)),
      ledger_(fv1::FundingLedgerService::NewStub(ledger)),
      cache_(cache),
      options_(options) {}

void GrpcSourceReader::CancelAll() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  for (grpc::ClientContext* context : in_flight_) context->TryCancel();
  cancelled_cv_.notify_all();
}

template <typename Call>
absl::Status GrpcSourceReader::WithRetry(const std::string& what, Call call) {
  std::chrono::milliseconds backoff = options_.first_backoff;
  // The request id of the call being served on this thread (RpcCall's log
  // context; none for background work), so the sources' log lines of the
  // calls made for it name the caller's id.
  const std::string request_id = CurrentLogContext().request_id;
  grpc::Status status;
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.deadline);
    if (!request_id.empty()) context.AddMetadata(kRequestIdMetadataKey, request_id);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (cancelled_) return MarkServerState(absl::UnavailableError(absl::StrCat(what, ": shutting down")));
      in_flight_.insert(&context);
    }
    status = call(&context);
    std::unique_lock<std::mutex> lock(mutex_);
    in_flight_.erase(&context);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE || attempt >= options_.attempts) break;
    if (cancelled_cv_.wait_for(lock, backoff, [this] { return cancelled_; })) break;
    backoff *= 2;
  }
  return FromGrpcStatus(status, what);
}

template <typename Response, typename Call>
absl::StatusOr<Response> GrpcSourceReader::Cached(const std::string& key, const std::string& what, Call call) {
  Response response;
  if (cache_ != nullptr) {
    if (std::optional<std::string> bytes = cache_->Get(key); bytes && response.ParseFromString(*bytes)) {
      return response;
    }
    response.Clear();
  }
  RETURN_IF_ERROR(WithRetry(what, [&](grpc::ClientContext* context) { return call(context, &response); }));
  if (cache_ != nullptr) cache_->Put(key, response.SerializeAsString(), std::chrono::hours(24));
  return response;
}

template <typename Response, typename Request, typename Stub>
absl::StatusOr<Response> GrpcSourceReader::ListChanges(Stub& stub, int64_t since_version, int32_t limit,
                                                       const std::string& what) {
  Request request;
  request.set_since_version(since_version);
  request.set_page_size(limit);
  Response response;
  RETURN_IF_ERROR(
      WithRetry(what, [&](grpc::ClientContext* context) { return stub.ListChanges(context, request, &response); }));
  return response;
}

absl::StatusOr<InputVersions> GrpcSourceReader::LatestVersions() {
  InputVersions versions;
  {
    ASSIGN_OR_RETURN(auto registry, (ListChanges<rv1::ListChangesResponse, rv1::ListChangesRequest>(
                                        *registry_, kBeyondAnyVersion, 1, "registry ListChanges")));
    versions.registry_version = registry.latest_version();
  }
  {
    ASSIGN_OR_RETURN(auto rotation, (ListChanges<tv1::ListChangesResponse, tv1::ListChangesRequest>(
                                        *rotation_, kBeyondAnyVersion, 1, "rotation ListChanges")));
    versions.rotation_version = rotation.latest_version();
  }
  {
    ASSIGN_OR_RETURN(auto ledger, (ListChanges<fv1::ListChangesResponse, fv1::ListChangesRequest>(
                                      *ledger_, kBeyondAnyVersion, 1, "ledger ListChanges")));
    versions.ledger_version = ledger.latest_version();
  }
  return versions;
}

absl::StatusOr<SourceData> GrpcSourceReader::ReadDistrict(const std::string& district_code, int32_t school_year) {
  SourceData data;
  ASSIGN_OR_RETURN(data.versions, LatestVersions());
  const std::string year = std::to_string(school_year);

  // Registry: schools, then the year's records.
  std::map<std::string, rv1::School> schools;
  std::vector<rv1::SchoolYearRecord> records;
  {
    rv1::ListSchoolsRequest request;
    request.set_district_code(district_code);
    request.set_page_size(kPageSize);
    for (;;) {
      ASSIGN_OR_RETURN(rv1::ListSchoolsResponse page,
                       (Cached<rv1::ListSchoolsResponse>(
                           absl::StrCat("registry/", data.versions.registry_version, "/schools/", district_code, "/",
                                        request.page_token()),
                           "registry ListSchools", [&](grpc::ClientContext* context, rv1::ListSchoolsResponse* out) {
                             return registry_->ListSchools(context, request, out);
                           })));
      for (const rv1::School& school : page.schools()) schools[school.school_code()] = school;
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
  }
  {
    rv1::ListSchoolYearRecordsRequest request;
    request.set_district_code(district_code);
    request.set_school_year(school_year);
    request.set_page_size(kPageSize);
    for (;;) {
      ASSIGN_OR_RETURN(rv1::ListSchoolYearRecordsResponse page,
                       (Cached<rv1::ListSchoolYearRecordsResponse>(
                           absl::StrCat("registry/", data.versions.registry_version, "/records/", district_code, "/",
                                        year, "/", request.page_token()),
                           "registry ListSchoolYearRecords",
                           [&](grpc::ClientContext* context, rv1::ListSchoolYearRecordsResponse* out) {
                             return registry_->ListSchoolYearRecords(context, request, out);
                           })));
      records.insert(records.end(), page.records().begin(), page.records().end());
      if (page.next_page_token().empty()) break;
      request.set_page_token(page.next_page_token());
    }
  }

  // Rotation: every section's staffing and the G11 summary.
  tv1::GetSectionStaffingRequest staffing_request;
  staffing_request.set_district_code(district_code);
  staffing_request.set_school_year(school_year);
  ASSIGN_OR_RETURN(
      tv1::GetSectionStaffingResponse staffing,
      (Cached<tv1::GetSectionStaffingResponse>(
          absl::StrCat("rotation/", data.versions.rotation_version, "/staffing/", district_code, "/", year),
          "rotation GetSectionStaffing", [&](grpc::ClientContext* context, tv1::GetSectionStaffingResponse* out) {
            return rotation_->GetSectionStaffing(context, staffing_request, out);
          })));
  tv1::GetRotationSummaryRequest summary_request;
  summary_request.set_district_code(district_code);
  summary_request.set_school_year(school_year);
  ASSIGN_OR_RETURN(
      tv1::GetRotationSummaryResponse rotation,
      (Cached<tv1::GetRotationSummaryResponse>(
          absl::StrCat("rotation/", data.versions.rotation_version, "/summary/", district_code, "/", year),
          "rotation GetRotationSummary", [&](grpc::ClientContext* context, tv1::GetRotationSummaryResponse* out) {
            return rotation_->GetRotationSummary(context, summary_request, out);
          })));
  std::map<std::pair<std::string, int>, const tv1::SectionStaffing*> staffing_of;
  for (const tv1::SectionStaffing& s : staffing.sections()) staffing_of[{s.school_code(), s.stage()}] = &s;

  // Ledger: the funding summary, told each school's students.
  fv1::GetFundingSummaryRequest funding_request;
  funding_request.set_district_code(district_code);
  funding_request.set_school_year(school_year);
  int64_t district_students = 0;
  int64_t teachers = 0;
  for (const tv1::SectionStaffing& s : staffing.sections()) teachers += s.full_time_teachers();
  for (const rv1::SchoolYearRecord& record : records) {
    int32_t students = record.special_education_students();
    for (const rv1::SchoolSection& section : record.sections()) students += section.students();
    district_students += students;
    fv1::SchoolStudents* entry = funding_request.add_school_students();
    entry->set_school_code(record.school_code());
    entry->set_students(students);
  }
  funding_request.set_district_students(static_cast<int32_t>(district_students));
  funding_request.set_teacher_headcount(static_cast<int32_t>(teachers));
  ASSIGN_OR_RETURN(
      fv1::GetFundingSummaryResponse funding,
      (Cached<fv1::GetFundingSummaryResponse>(
          absl::StrCat("ledger/", data.versions.ledger_version, "/summary/", district_code, "/", year, "/",
                       district_students, "/", teachers),
          "ledger GetFundingSummary", [&](grpc::ClientContext* context, fv1::GetFundingSummaryResponse* out) {
            return ledger_->GetFundingSummary(context, funding_request, out);
          })));
  std::map<std::string, const fv1::SchoolFunding*> funding_of;
  for (const fv1::SchoolFunding& f : funding.schools()) funding_of[f.school_code()] = &f;

  engine::DistrictInput& input = data.input;
  input.district_code = district_code;
  input.school_year = school_year;
  for (const rv1::SchoolYearRecord& record : records) {
    auto school_it = schools.find(record.school_code());
    if (school_it == schools.end()) continue;
    const rv1::School& school = school_it->second;
    engine::SchoolInput s;
    s.school_code = school.school_code();
    s.name = school.name();
    s.type = TypeOf(school.school_type());
    s.ownership =
        school.ownership() == rv1::OWNERSHIP_PRIVATE ? engine::Ownership::kPrivate : engine::Ownership::kPublic;
    s.locale = LocaleOf(school.locale());
    s.boarding = school.boarding();
    s.build_year = school.build_year();
    for (const rv1::SchoolSection& ps : record.sections()) {
      engine::SectionInput section;
      section.stage = static_cast<Stage>(ps.stage());
      section.students = ps.students();
      section.classes = ps.classes();
      section.class_sizes.assign(ps.class_sizes().begin(), ps.class_sizes().end());
      if (ps.has_facilities()) {
        const rv1::SectionFacilities& f = ps.facilities();
        section.facilities =
            engine::Facilities{f.teaching_area_m2(), f.sports_area_m2(), f.equipment_value_fen(), f.multimedia_rooms()};
      }
      // No roster entry for this section: its teachers are not reported,
      // so the indicators needing them are pending (never computed as zero).
      section.teachers.reset();
      if (auto it = staffing_of.find({s.school_code, ps.stage()}); it != staffing_of.end()) {
        const tv1::SectionStaffing& t = *it->second;
        section.teachers = {t.full_time_teachers(),
                            t.above_required_qualification(),
                            t.backbone_county_or_above(),
                            t.pe_music_art(),
                            t.certified(),
                            t.training_complete()};
      }
      s.sections.push_back(std::move(section));
    }
    const rv1::SchoolFacilities& f = record.facilities();
    s.shared_facilities = {f.teaching_area_m2(), f.sports_area_m2(), f.equipment_value_fen(),
                           static_cast<double>(f.multimedia_rooms())};
    s.music_room_areas_m2.assign(f.music_room_areas_m2().begin(), f.music_room_areas_m2().end());
    s.art_room_areas_m2.assign(f.art_room_areas_m2().begin(), f.art_room_areas_m2().end());
    s.special_education_students = record.special_education_students();
    if (auto it = funding_of.find(s.school_code); it != funding_of.end()) {
      const fv1::SchoolFunding& sf = *it->second;
      s.funding.operating_budget_fen = sf.operating_budget_fen();
      s.funding.training_budget_fen = sf.training_budget_fen();
      s.funding.operating_funds_fen = sf.operating_funds_fen();
    }
    input.schools.push_back(std::move(s));
  }
  if (rotation.eligible_teachers() > 0 || rotation.rotated_teachers() > 0) {
    input.facts.rotation_eligible_teachers = rotation.eligible_teachers();
    input.facts.rotated_teachers = rotation.rotated_teachers();
    input.facts.rotated_backbone_teachers = rotation.rotated_backbone_teachers();
  }
  if (funding.payroll_fen() > 0 && funding.average_teacher_pay_fen() > 0) {
    input.facts.teacher_average_pay_yuan = static_cast<double>(funding.average_teacher_pay_fen()) / 100;
  }
  return data;
}

absl::StatusOr<std::vector<SourceChange>> GrpcSourceReader::ChangesSince(const std::string& source,
                                                                         int64_t since_version, int32_t limit,
                                                                         int64_t* latest_version) {
  std::vector<SourceChange> changes;
  if (source == "registry") {
    ASSIGN_OR_RETURN(auto response, (ListChanges<rv1::ListChangesResponse, rv1::ListChangesRequest>(
                                        *registry_, since_version, limit, "registry ListChanges")));
    *latest_version = response.latest_version();
    for (const rv1::Change& c : response.changes()) {
      int32_t year = 0;
      if (c.has_school_year_record()) year = c.school_year_record().school_year();
      if (c.has_deleted_school_year()) year = c.deleted_school_year().school_year();
      changes.push_back({c.district_code(), year, c.change_version()});
    }
  } else if (source == "rotation") {
    ASSIGN_OR_RETURN(auto response, (ListChanges<tv1::ListChangesResponse, tv1::ListChangesRequest>(
                                        *rotation_, since_version, limit, "rotation ListChanges")));
    *latest_version = response.latest_version();
    for (const tv1::Change& c : response.changes()) changes.push_back({c.district_code(), 0, c.change_version()});
  } else if (source == "ledger") {
    ASSIGN_OR_RETURN(auto response, (ListChanges<fv1::ListChangesResponse, fv1::ListChangesRequest>(
                                        *ledger_, since_version, limit, "ledger ListChanges")));
    *latest_version = response.latest_version();
    for (const fv1::Change& c : response.changes()) {
      const int32_t year = c.has_transfer() ? c.transfer().school_year() : 0;
      changes.push_back({c.district_code(), year, c.change_version()});
    }
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown source ", source));
  }
  return changes;
}

}  // namespace gzedu::indicators
