#include "services/indicator_evaluation/grpc/indicator_evaluation_grpc_service.h"

#include <chrono>
#include <mutex>
#include <optional>

#include <grpcpp/alarm.h>

#include "absl/strings/str_cat.h"
#include "common/domain/districts.h"
#include "common/grpc/authentication.h"
#include "common/grpc/common_conversions.h"
#include "common/grpc/request_id.h"
#include "common/grpc/rpc_call.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/unary_reactions.h"
#include "common/logging/log.h"
#include "common/status/texts.h"
#include "services/indicator_evaluation/engine/indicator_definitions.h"
#include "services/indicator_evaluation/grpc/conversions.h"
#include "services/indicator_evaluation/report/report_file.h"

namespace gzedu::indicators {
namespace {

bool ValidLanguage(v1::ReportLanguage language) {
  return language == v1::REPORT_LANGUAGE_UNSPECIFIED || language == v1::REPORT_LANGUAGE_ZH ||
         language == v1::REPORT_LANGUAGE_EN;
}

// A view the contract names; an unknown number (a newer or a broken client)
// is refused rather than read as the full view.
void CheckView(v1::EvaluationView view, FieldViolations& violations) {
  if (!v1::EvaluationView_IsValid(view)) {
    violations.Add("view", "must be EVALUATION_VIEW_BASIC, EVALUATION_VIEW_FULL or unspecified",
                   "必须为 EVALUATION_VIEW_BASIC、EVALUATION_VIEW_FULL 或不填");
  }
}

const char* AreaName(engine::Area area) {
  switch (area) {
    case engine::Area::kResourceAllocation:
      return "resource";
    case engine::Area::kGovernmentGuarantee:
      return "guarantee";
    case engine::Area::kEducationQuality:
      return "quality";
    case engine::Area::kSocialRecognition:
      return "recognition";
  }
  return "";
}

void ToProto(const WatchMessage& message, v1::WatchIndicatorsResponse* out) {
  out->Clear();
  if (const auto* update = std::get_if<IndicatorUpdate>(&message.event)) {
    v1::IndicatorUpdate* u = out->mutable_update();
    ToProto(*update, u);
    u->set_initial_state(message.initial_state);
  } else if (const auto* beat = std::get_if<Heartbeat>(&message.event)) {
    out->mutable_heartbeat()->set_latest_version(beat->latest_version);
    out->mutable_heartbeat()->set_server_time(FormatTimestamp(beat->unix_ms));
  } else if (const auto* resync = std::get_if<ResyncRequired>(&message.event)) {
    out->mutable_resync()->set_last_delivered_version(resync->last_delivered_version);
    out->mutable_resync()->set_reason(resync->reason);
  }
}

// One WatchIndicators stream. The hub calls back through a Link that the
// reactor cuts in OnDone, so a late callback never touches a deleted
// reactor. A stream opened with a token lasts as long as the token: at its
// expiry (an alarm, not a thread) it ends UNAUTHENTICATED, as a call with the
// token would be refused.
class WatchReactor : public grpc::ServerWriteReactor<v1::WatchIndicatorsResponse> {
 public:
  struct Link {
    std::mutex mutex;
    WatchReactor* reactor = nullptr;
  };

  WatchReactor(grpc::CallbackServerContext* context, WatchHub* hub, WatchFilter filter,
               std::function<void(int)> on_watchers_changed,
               std::optional<std::chrono::system_clock::time_point> token_expiry)
      : context_(context),
        hub_(hub),
        on_watchers_changed_(std::move(on_watchers_changed)),
        link_(std::make_shared<Link>()),
        token_expiry_(token_expiry) {
    {
      // The hub may call back (from its own thread) before Subscribe
      // returns: the callback waits on the link until watcher_ is set.
      std::lock_guard<std::mutex> lock(link_->mutex);
      link_->reactor = this;
      watcher_ = hub_->Subscribe(std::move(filter), [link = link_] {
        std::lock_guard<std::mutex> held(link->mutex);
        if (link->reactor != nullptr) link->reactor->MaybeWrite();
      });
    }
    if (on_watchers_changed_) on_watchers_changed_(+1);
    if (token_expiry_) {
      expiry_alarm_.Set(*token_expiry_, [link = link_](bool fired) {
        if (!fired) return;  // cancelled: the stream ended first
        std::lock_guard<std::mutex> held(link->mutex);
        if (link->reactor != nullptr) link->reactor->ExpireToken();
      });
    }
    // Whatever was queued without a call back (a hub shutting down) goes now.
    MaybeWrite();
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      writing_ = false;
      if (!ok) {
        // The client went away: end the call (OnDone follows).
        FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watcher went away"));
        return;
      }
    }
    MaybeWrite();
  }

  void OnCancel() override {
    watcher_->Cancel();
    std::lock_guard<std::mutex> lock(mutex_);
    // With a write in flight, OnWriteDone(false) finishes the call.
    if (!writing_) FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "the watch was cancelled"));
  }

  void OnDone() override {
    {
      std::lock_guard<std::mutex> lock(link_->mutex);
      link_->reactor = nullptr;
    }
    watcher_->Cancel();
    if (on_watchers_changed_) on_watchers_changed_(-1);
    delete this;
  }

  void MaybeWrite() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (finished_) return;
      // A write in flight that the client never takes would hold the
      // stream (and its memory) until the client leaves: once the hub gave
      // up on the watcher, the stream is cancelled (OnWriteDone(false) ends
      // it).
      if (writing_ && !watcher_->Abandoned()) return;
      if (!writing_) {
        // A watch lasts as long as its token (after any write in flight).
        if (token_expired_ || (token_expiry_ && std::chrono::system_clock::now() >= *token_expiry_)) {
          ScopedLogContext log_context(LogContextOfCall(context_));
          Log(LogLevel::kInfo, "watch ended", {{"method", "WatchIndicators"}, {"reason", "token expired"}});
          FinishLocked(grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                                    "token refused: expired (a watch lasts as long as its token; open it again with a "
                                    "new one)"));
          return;
        }
        if (std::optional<std::shared_ptr<const WatchMessage>> message = watcher_->Pop()) {
          ToProto(**message, &response_);
          writing_ = true;
          StartWrite(&response_);
          return;
        }
        if (watcher_->Done()) FinishWithEnding();
        return;
      }
    }
    context_->TryCancel();
  }

 private:
  // The token's expiry alarm fired: the stream ends once the write in flight
  // (if any) is done.
  void ExpireToken() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      token_expired_ = true;
    }
    MaybeWrite();
  }

  // Ends a stream the hub is done with: OK, or a status the client can read
  // (ABORTED for a watcher that fell behind, with the version to resume
  // after in the message and in the trailer gzedu-resume-after-version;
  // UNAVAILABLE when the server shuts down).
  void FinishWithEnding() {
    const absl::Status ending = watcher_->ending();
    if (!finished_ && absl::IsAborted(ending)) {
      context_->AddTrailingMetadata("gzedu-resume-after-version", std::to_string(watcher_->last_delivered_version()));
    }
    FinishLocked(ToGrpcStatus(ending));
  }

  // Ends the call once; every path that ends it goes through here.
  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  grpc::CallbackServerContext* context_;
  WatchHub* hub_;
  std::function<void(int)> on_watchers_changed_;
  std::shared_ptr<Link> link_;
  std::shared_ptr<Watcher> watcher_;
  std::mutex mutex_;
  bool writing_ = false;
  bool finished_ = false;
  const std::optional<std::chrono::system_clock::time_point> token_expiry_;  // none: authentication off
  bool token_expired_ = false;
  grpc::Alarm expiry_alarm_;
  v1::WatchIndicatorsResponse response_;
};

// A stream refused before it starts.
class RefusedWatch : public grpc::ServerWriteReactor<v1::WatchIndicatorsResponse> {
 public:
  explicit RefusedWatch(const grpc::Status& status) { Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace

grpc::ServerUnaryReactor* IndicatorEvaluationGrpcService::Offload(grpc::ServerUnaryReactor* reactor, RpcCall call,
                                                                  std::function<absl::Status()> answer) {
  // No limit on the wait: an evaluation's source calls have budgets of their
  // own.
  return FinishOnPool(pool_, reactor, std::move(call), std::move(answer),
                      {"too many evaluation requests waiting; retry later", "等待评估的请求过多，请稍后重试"},
                      std::nullopt);
}

IndicatorEvaluationGrpcService::IndicatorEvaluationGrpcService(IndicatorEvaluation* evaluation, WatchHub* hub,
                                                               std::function<void(int)> on_watchers_changed)
    : evaluation_(evaluation),
      hub_(hub),
      on_watchers_changed_(std::move(on_watchers_changed)),
      pool_(kHandlerThreads, kMaxWaitingRequests) {}

grpc::Status IndicatorEvaluationGrpcService::ListIndicatorDefinitions(grpc::ServerContext* context,
                                                                      const v1::ListIndicatorDefinitionsRequest*,
                                                                      v1::ListIndicatorDefinitionsResponse* response) {
  RpcCall call(context, "ListIndicatorDefinitions");
  if (absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead); !scope.ok())
    return call.Finish(scope.status());
  for (const engine::IndicatorDefinition& d : engine::IndicatorDefinitions()) {
    v1::IndicatorDefinition* out = response->add_definitions();
    out->set_indicator_id(std::string(d.id));
    out->set_area(AreaName(d.area));
    out->set_name_zh(std::string(d.name_zh));
    out->set_name_en(std::string(d.name_en));
    out->set_unit(std::string(d.unit));
    if (d.threshold_primary) out->set_threshold_primary(*d.threshold_primary);
    if (d.threshold_junior) out->set_threshold_junior(*d.threshold_junior);
    if (d.area == engine::Area::kResourceAllocation) {
      out->set_cv_max_primary(engine::kCvMaxPrimary);
      out->set_cv_max_junior(engine::kCvMaxJunior);
    }
    out->set_source(std::string(d.source));
  }
  return call.Finish(absl::OkStatus());
}

grpc::Status IndicatorEvaluationGrpcService::UpsertDistrictReturns(grpc::ServerContext* context,
                                                                   const v1::UpsertDistrictReturnsRequest* request,
                                                                   v1::UpsertDistrictReturnsResponse* response) {
  RpcCall call(context, "UpsertDistrictReturns", request->request_id());
  {
    std::set<std::string> districts;
    for (const auto& row : request->returns()) districts.insert(row.district_code());
    call.SetDistricts(std::move(districts));
  }
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<DistrictReturn> returns;
  returns.reserve(request->returns_size());
  for (const v1::DistrictReturn& r : request->returns()) returns.push_back(FromProto(r));
  absl::StatusOr<WriteSummary> summary =
      evaluation_->UpsertDistrictReturns(request->request_id(), returns, request->dry_run(), *scope);
  if (summary.ok()) gzedu::ToProto(*summary, response->mutable_summary());
  return call.Finish(summary.status());
}

grpc::ServerUnaryReactor* IndicatorEvaluationGrpcService::EvaluateDistrict(grpc::CallbackServerContext* context,
                                                                           const grpc::ByteBuffer* request_bytes,
                                                                           grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcCall call(context, "EvaluateDistrict");
  auto request = std::make_shared<v1::EvaluateDistrictRequest>();
  if (!ParseRawRequest(*request_bytes, request.get()))
    return FinishNow(reactor, call, RequestNotParsed("EvaluateDistrictRequest"));
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return FinishNow(reactor, call, scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return FinishNow(reactor, call, in_scope);
  }
  FieldViolations violations;
  if (!ValidLanguage(request->report_language())) {
    violations.Add("report_language", texts::InvalidReportLanguage());
  }
  CheckView(request->view(), violations);
  if (!violations.empty())
    return FinishNow(reactor, call, violations.ToStatus(texts::InvalidRequest("EvaluateDistrict", "评估区")));
  const engine::Conventions conventions = FromProto(request->conventions());
  if (std::shared_ptr<const Snapshot> at_hand = evaluation_->CurrentAtHand(
          request->district_code(), request->school_year(), conventions, IndicatorEvaluation::Use::kEvaluate)) {
    const grpc::Slice field = encoded_.EvaluationField(*at_hand, request->report_language(), request->view());
    *response = grpc::ByteBuffer(&field, 1);
    return FinishNow(reactor, call, absl::OkStatus());
  }
  return Offload(reactor, std::move(call), [this, request, conventions, response] {
    absl::StatusOr<Snapshot> snapshot =
        evaluation_->EvaluateDistrict(request->district_code(), request->school_year(), conventions);
    if (snapshot.ok()) {
      const grpc::Slice field = encoded_.EvaluationField(*snapshot, request->report_language(), request->view());
      *response = grpc::ByteBuffer(&field, 1);
    }
    return snapshot.status();
  });
}

grpc::ServerUnaryReactor* IndicatorEvaluationGrpcService::EvaluateCity(grpc::CallbackServerContext* context,
                                                                       const grpc::ByteBuffer* request_bytes,
                                                                       grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcCall call(context, "EvaluateCity");
  auto request = std::make_shared<v1::EvaluateCityRequest>();
  if (!ParseRawRequest(*request_bytes, request.get()))
    return FinishNow(reactor, call, RequestNotParsed("EvaluateCityRequest"));
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return FinishNow(reactor, call, scope.status());
  {
    FieldViolations violations;
    CheckView(request->view(), violations);
    if (!violations.empty())
      return FinishNow(reactor, call, violations.ToStatus(texts::InvalidRequest("EvaluateCity", "评估全市")));
  }
  const engine::Conventions conventions = FromProto(request->conventions());
  // A caller scoped to some districts gets those only.
  const auto fill = [this, response, scope = *scope, view = request->view()](const auto& snapshots) {
    std::vector<grpc::Slice> fields;
    for (const auto& s : snapshots) {
      const Snapshot& snapshot = *s;
      if (scope.Allows(snapshot.district_code)) {
        fields.push_back(encoded_.EvaluationField(snapshot, v1::REPORT_LANGUAGE_UNSPECIFIED, view));
      }
    }
    if (fields.empty()) fields.emplace_back();  // an empty message
    *response = grpc::ByteBuffer(fields.data(), fields.size());
  };
  if (std::vector<std::shared_ptr<const Snapshot>> at_hand =
          evaluation_->CityAtHand(request->school_year(), conventions);
      !at_hand.empty()) {
    fill(at_hand);
    return FinishNow(reactor, call, absl::OkStatus());
  }
  return Offload(reactor, std::move(call), [this, request, conventions, fill, scope = *scope] {
    absl::StatusOr<std::vector<Snapshot>> snapshots =
        evaluation_->EvaluateCity(request->school_year(), conventions, scope);
    if (snapshots.ok()) {
      std::vector<const Snapshot*> pointers;
      for (const Snapshot& s : *snapshots) pointers.push_back(&s);
      fill(pointers);
    }
    return snapshots.status();
  });
}

grpc::Status IndicatorEvaluationGrpcService::RenderEvaluationReport(grpc::ServerContext* context,
                                                                    const v1::RenderEvaluationReportRequest* request,
                                                                    v1::RenderEvaluationReportResponse* response) {
  RpcCall call(context, "RenderEvaluationReport");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  FieldViolations violations;
  report::ReportFormat format = report::ReportFormat::kText;
  switch (request->format()) {
    case v1::REPORT_FORMAT_TEXT:
      format = report::ReportFormat::kText;
      break;
    case v1::REPORT_FORMAT_XLSX:
      format = report::ReportFormat::kXlsx;
      break;
    case v1::REPORT_FORMAT_HTML:
      format = report::ReportFormat::kHtml;
      break;
    case v1::REPORT_FORMAT_CSV:
      format = report::ReportFormat::kCsv;
      break;
    default:
      violations.Add("format", "must be REPORT_FORMAT_TEXT, _XLSX, _HTML or _CSV",
                     "必须是 REPORT_FORMAT_TEXT、REPORT_FORMAT_XLSX、REPORT_FORMAT_HTML 或 REPORT_FORMAT_CSV");
  }
  if (!ValidLanguage(request->language())) {
    violations.Add("language", texts::InvalidReportLanguage());
  }
  if (!violations.empty())
    return call.Finish(violations.ToStatus(texts::InvalidRequest("RenderEvaluationReport", "生成评估报告")));
  absl::StatusOr<std::vector<engine::DistrictEvaluation>> evaluations = evaluation_->EvaluateWithSections(
      request->district_code(), request->school_year(), FromProto(request->conventions()), *scope);
  if (!evaluations.ok()) return call.Finish(evaluations.status());
  absl::StatusOr<report::ReportFile> file = report::RenderReportFile(
      *evaluations, format,
      request->language() == v1::REPORT_LANGUAGE_EN ? engine::Language::kEnglish : engine::Language::kChinese);
  if (file.ok()) {
    response->set_content(std::move(file->content));
    response->set_media_type(file->media_type);
    response->set_file_name(file->file_name);
  }
  return call.Finish(file.status());
}

grpc::ServerUnaryReactor* IndicatorEvaluationGrpcService::GetEvaluation(grpc::CallbackServerContext* context,
                                                                        const grpc::ByteBuffer* request_bytes,
                                                                        grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcCall call(context, "GetEvaluation");
  auto request = std::make_shared<v1::GetEvaluationRequest>();
  if (!ParseRawRequest(*request_bytes, request.get()))
    return FinishNow(reactor, call, RequestNotParsed("GetEvaluationRequest"));
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return FinishNow(reactor, call, scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return FinishNow(reactor, call, in_scope);
  }
  FieldViolations violations;
  if (!ValidLanguage(request->report_language())) {
    violations.Add("report_language", texts::InvalidReportLanguage());
  }
  CheckView(request->view(), violations);
  if (!violations.empty())
    return FinishNow(reactor, call, violations.ToStatus(texts::InvalidRequest("GetEvaluation", "查询评估结果")));
  const engine::Conventions conventions = FromProto(request->conventions());
  // Current, so not stale: the response is the evaluation field alone
  // (`stale` false is not on the wire).
  if (std::shared_ptr<const Snapshot> at_hand = evaluation_->CurrentAtHand(
          request->district_code(), request->school_year(), conventions, IndicatorEvaluation::Use::kGetEvaluation)) {
    const grpc::Slice field = encoded_.EvaluationField(*at_hand, request->report_language(), request->view());
    *response = grpc::ByteBuffer(&field, 1);
    return FinishNow(reactor, call, absl::OkStatus());
  }
  return Offload(reactor, std::move(call), [this, request, conventions, response] {
    absl::StatusOr<std::pair<Snapshot, bool>> result =
        evaluation_->GetEvaluation(request->district_code(), request->school_year(), conventions);
    if (result.ok()) {
      std::vector<grpc::Slice> fields = {
          encoded_.EvaluationField(result->first, request->report_language(), request->view())};
      // Field 2, `bool stale`, true.
      if (result->second) fields.emplace_back(std::string("\x10\x01", 2));
      *response = grpc::ByteBuffer(fields.data(), fields.size());
    }
    return result.status();
  });
}

grpc::Status IndicatorEvaluationGrpcService::EvaluateScenario(grpc::ServerContext* context,
                                                              const v1::EvaluateScenarioRequest* request,
                                                              v1::EvaluateScenarioResponse* response) {
  RpcCall call(context, "EvaluateScenario");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  FieldViolations violations;
  std::vector<ScenarioChange> changes;
  for (int i = 0; i < request->changes_size(); ++i) {
    if (request->changes(i).change_case() == v1::ScenarioChange::CHANGE_NOT_SET) {
      violations.Add(absl::StrCat("changes[", i, "]"), "must set one of enrolment, new_school, teachers, facilities",
                     "必须填写 enrolment、new_school、teachers、facilities 之一");
    }
    changes.push_back(FromProto(request->changes(i)));
  }
  if (!ValidLanguage(request->report_language())) {
    violations.Add("report_language", texts::InvalidReportLanguage());
  }
  if (!violations.empty())
    return call.Finish(violations.ToStatus(texts::InvalidRequest("EvaluateScenario", "情景评估")));
  absl::StatusOr<ScenarioResult> result = evaluation_->EvaluateScenario(
      request->district_code(), request->school_year(), FromProto(request->conventions()), changes);
  if (result.ok()) {
    ToProto(result->baseline, v1::REPORT_LANGUAGE_UNSPECIFIED, response->mutable_baseline());
    ToProto(result->scenario, request->report_language(), response->mutable_scenario());
    for (const engine::IndicatorResult& r : result->changed) ToProto(r, response->add_changed());
  }
  return call.Finish(result.status());
}

grpc::ServerWriteReactor<v1::WatchIndicatorsResponse>* IndicatorEvaluationGrpcService::WatchIndicators(
    grpc::CallbackServerContext* context, const v1::WatchIndicatorsRequest* request) {
  // This handler's lines (and audit records) name the call's service and request id.
  ScopedLogContext log_context(LogContextOfCall(context));
  absl::StatusOr<Caller> caller = AuthorizeCall(*context, Access::kRead);
  if (!caller.ok()) {
    Audit({{"method", "WatchIndicators"},
           {"principal", "(unauthenticated)"},
           {"outcome", "denied"},
           {"code", absl::StatusCodeToString(caller.status().code())},
           {"reason", std::string(caller.status().message())}});
    return new RefusedWatch(ToGrpcStatus(caller.status()));
  }
  FieldViolations violations;
  WatchFilter filter;
  for (int i = 0; i < request->district_codes_size(); ++i) {
    if (FindDistrict(request->district_codes(i)) == nullptr) {
      violations.Add(absl::StrCat("district_codes[", i, "]"), texts::NotAGuangzhouDistrict());
    }
    filter.district_codes.insert(request->district_codes(i));
  }
  for (int i = 0; i < request->indicator_ids_size(); ++i) {
    if (engine::FindIndicator(request->indicator_ids(i)) == nullptr) {
      violations.Add(absl::StrCat("indicator_ids[", i, "]"), "must be an indicator id R1..R7, G1..G15, Q1..Q9, S1",
                     "必须是指标编号 R1..R7、G1..G15、Q1..Q9、S1");
    }
    filter.indicator_ids.insert(request->indicator_ids(i));
  }
  if (request->resume_after_version() < 0) violations.Add("resume_after_version", texts::MustBeNonNegative());
  if (request->school_year() != 0 && (request->school_year() < 2000 || request->school_year() > 2100)) {
    violations.Add("school_year", "must be 0 (any) or between 2000 and 2100", "必须为 0（任意）或在 2000 到 2100 之间");
  }
  if (!violations.empty()) {
    Log(LogLevel::kInfo, "rpc", {{"method", "WatchIndicators"}, {"code", "INVALID_ARGUMENT"}});
    return new RefusedWatch(
        ToGrpcStatus(violations.ToStatus(texts::InvalidRequest("WatchIndicators", "订阅指标更新"))));
  }
  // A caller scoped to some districts watches those only: none named means
  // all of its districts; one outside its scope is refused.
  if (!caller->scope.whole_city) {
    FieldViolations outside;
    for (int i = 0; i < request->district_codes_size(); ++i) {
      caller->scope.Check(request->district_codes(i), absl::StrCat("district_codes[", i, "]"), {"the district", "该区"},
                          outside);
    }
    if (!outside.empty()) {
      Audit({{"method", "WatchIndicators"},
             {"principal", caller->principal.subject},
             {"outcome", "denied"},
             {"code", "PERMISSION_DENIED"}});
      return new RefusedWatch(
          ToGrpcStatus(outside.ToPermissionDenied(texts::OutsideScope("WatchIndicators", "订阅指标更新"))));
    }
    if (filter.district_codes.empty()) filter.district_codes = caller->scope.districts;
  }
  filter.resume_after_version = request->resume_after_version();
  filter.initial_state = request->initial_state();
  filter.school_year = request->school_year();
  Log(LogLevel::kInfo, "watch started",
      {{"districts", request->district_codes_size()}, {"resume_after_version", filter.resume_after_version}});
  std::optional<std::chrono::system_clock::time_point> token_expiry;
  if (ServerAuthenticationEnabled()) {
    token_expiry = std::chrono::system_clock::time_point(std::chrono::seconds(caller->principal.expires_at_unix_s));
  }
  return new WatchReactor(context, hub_, std::move(filter), on_watchers_changed_, token_expiry);
}

}  // namespace gzedu::indicators
