#include "tools/gzedu/evaluation_commands.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "services/indicator_evaluation/engine/report.h"
#include "services/indicator_evaluation/engine/text_layout.h"
#include "services/indicator_evaluation/grpc/conversions.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/import_command.h"
#include "tools/gzedu/ledger_command.h"
#include "tools/gzedu/returns_command.h"

namespace gzedu::cli {
namespace {

namespace v1 = ::gzedu::indicators::v1;

std::unique_ptr<v1::IndicatorEvaluationService::Stub> Connect(const std::string& target) {
  return v1::IndicatorEvaluationService::NewStub(gzedu::OpenChannel(target));
}

// Prints a failed call (ErrorText: the code, the message once, every field
// violation on its own line; in Chinese under --lang zh, where `what_zh`
// names the call). Returns the exit status (2 for the caller's mistakes, 1
// otherwise).
int Failed(const grpc::Status& status, const std::string& what, const std::string& what_zh) {
  if (ErrorsInChinese()) {
    std::fprintf(stderr, "%s失败：%s\n", what_zh.c_str(), ErrorText(status).c_str());
  } else {
    std::fprintf(stderr, "%s failed: %s\n", what.c_str(), ErrorText(status).c_str());
  }
  return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT || status.error_code() == grpc::StatusCode::NOT_FOUND
             ? 2
             : 1;
}

// Parses the --convention values into the request's conventions. Returns
// false (after printing why) for an unknown name or value.
bool ParseConventions(const std::vector<std::string>& items, v1::Conventions* out) {
  for (const std::string& item : items) {
    std::vector<std::string> parts = absl::StrSplit(item, absl::MaxSplits('=', 1));
    const std::string& name = parts[0];
    const std::string value = parts.size() > 1 ? parts[1] : "on";
    const bool on = value == "on" || value == "true" || value == "1";
    int number = 0;
    if (name == "quota_excludes_hk_macao_classes") {
      out->set_quota_excludes_hk_macao_classes(on);
    } else if (name == "disabled_enrolment_excludes_deferred") {
      out->set_disabled_enrolment_excludes_deferred(on);
    } else if (name == "retention_formula" && (value == "annual_loss" || value == "cohort")) {
      out->set_retention_formula(value == "annual_loss" ? v1::RETENTION_FORMULA_ANNUAL_LOSS
                                                        : v1::RETENTION_FORMULA_COHORT);
    } else if (name == "shared_resource_apportionment" && (value == "legacy_weights" || value == "enrolment_share")) {
      out->set_shared_resource_apportionment(value == "legacy_weights" ? v1::APPORTIONMENT_LEGACY_WEIGHTS
                                                                       : v1::APPORTIONMENT_ENROLMENT_SHARE);
    } else if (name == "room_size_rule_applies_from_build_year" && absl::SimpleAtoi(value, &number)) {
      out->set_room_size_rule_applies_from_build_year(number);
    } else if (name == "teaching_point_min_students" && absl::SimpleAtoi(value, &number)) {
      out->set_teaching_point_min_students(number);
    } else {
      std::fprintf(stderr,
                   "unknown convention '%s': use quota_excludes_hk_macao_classes, "
                   "disabled_enrolment_excludes_deferred, retention_formula=cohort|annual_loss, "
                   "shared_resource_apportionment=enrolment_share|legacy_weights, "
                   "room_size_rule_applies_from_build_year=YEAR, teaching_point_min_students=N\n",
                   item.c_str());
      return false;
    }
  }
  return true;
}

v1::ReportLanguage LanguageOf(const std::string& language) {
  return language == "en" ? v1::REPORT_LANGUAGE_EN : v1::REPORT_LANGUAGE_ZH;
}

std::string Json(const google::protobuf::Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

// The output-formatting helpers: every word in the language asked for
// (`zh`: Chinese, as the districts' reports write it).
std::string StageLabel(common::v1::Stage stage, bool zh = false) {
  if (stage == common::v1::STAGE_PRIMARY) return zh ? " 小学" : " primary";
  if (stage == common::v1::STAGE_JUNIOR) return zh ? " 初中" : " junior";
  return "";
}

engine::Language EngineLanguage(bool zh) { return zh ? engine::Language::kChinese : engine::Language::kEnglish; }

std::string VerdictWord(v1::Verdict verdict, bool zh = false) {
  switch (verdict) {
    case v1::VERDICT_MEETS:
      return zh ? "达标" : "meets";
    case v1::VERDICT_DOES_NOT_MEET:
      return zh ? "未达标" : "DOES NOT MEET";
    case v1::VERDICT_NOT_APPLICABLE:
      return zh ? "不适用" : "n/a";
    default:
      return zh ? "待定" : "pending";
  }
}

std::string OverallWord(v1::OverallVerdict verdict, bool zh = false) {
  switch (verdict) {
    case v1::OVERALL_VERDICT_MEETS:
      return zh ? "达到优质均衡标准" : "MEETS";
    case v1::OVERALL_VERDICT_DOES_NOT_MEET:
      return zh ? "未达到标准" : "DOES NOT MEET";
    default:
      return zh ? "数据不完整" : "INCOMPLETE";
  }
}

std::string Describe(const v1::IndicatorResult& r, bool zh = false) {
  std::string text = absl::StrCat(r.indicator_id(), StageLabel(r.stage(), zh), " ");
  absl::StrAppend(&text, r.has_value() ? absl::StrFormat("%.4g", r.value()) : std::string("-"));
  if (r.has_threshold()) {
    absl::StrAppend(&text, zh ? absl::StrFormat("（标准 %.4g）", r.threshold())
                              : absl::StrFormat(" (threshold %.4g)", r.threshold()));
  }
  if (r.has_cv_actual()) {
    absl::StrAppend(&text, absl::StrFormat(zh ? " 差异系数 %.3f/%.2f" : " cv %.3f/%.2f", r.cv_actual(), r.cv_max()));
  }
  absl::StrAppend(&text, " ", VerdictWord(r.verdict(), zh));
  return text;
}

// Parses a --new-school value into `out`. Returns false (after printing
// why) when it is malformed.
bool ParseNewSchool(const std::string& item, v1::NewSchool* out) {
  std::vector<std::string> parts = absl::StrSplit(item, absl::MaxSplits(':', 4));
  int students = 0, classes = 0;
  const auto bad = [&](const std::string& why) {
    std::fprintf(stderr,
                 "--new-school %s: %s (expected CODE:primary|junior:STUDENTS:CLASSES[:key=value,...], keys "
                 "teachers, qualified, backbone, pe_music_art, teaching_m2, sports_m2, equipment_yuan, "
                 "multimedia_rooms, name)\n",
                 item.c_str(), why.c_str());
    return false;
  };
  if (parts.size() < 4 || (parts[1] != "primary" && parts[1] != "junior") || !absl::SimpleAtoi(parts[2], &students) ||
      !absl::SimpleAtoi(parts[3], &classes)) {
    return bad("malformed");
  }
  out->set_school_code(parts[0]);
  out->set_stage(parts[1] == "junior" ? common::v1::STAGE_JUNIOR : common::v1::STAGE_PRIMARY);
  out->set_students(students);
  out->set_classes(classes);
  if (parts.size() < 5) return true;
  for (absl::string_view pair_view : absl::StrSplit(parts[4], ',', absl::SkipEmpty())) {
    const std::string pair(pair_view);
    std::vector<std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    if (kv.size() != 2) return bad("'" + pair + "' is not key=value");
    const std::string& key = kv[0];
    int count = 0;
    double number = 0;
    const bool is_count = absl::SimpleAtoi(kv[1], &count);
    const bool is_number = absl::SimpleAtod(kv[1], &number);
    if (key == "name") {
      out->set_name(kv[1]);
    } else if (key == "teachers" && is_count) {
      out->set_full_time_teachers(count);
    } else if (key == "qualified" && is_count) {
      out->set_above_required_qualification(count);
    } else if (key == "backbone" && is_count) {
      out->set_backbone_county_or_above(count);
    } else if (key == "pe_music_art" && is_count) {
      out->set_pe_music_art(count);
    } else if (key == "teaching_m2" && is_number) {
      out->set_teaching_area_m2(number);
    } else if (key == "sports_m2" && is_number) {
      out->set_sports_area_m2(number);
    } else if (key == "equipment_yuan" && is_number) {
      out->set_equipment_value_fen(std::llround(number * 100));
    } else if (key == "multimedia_rooms" && is_number) {
      out->set_multimedia_rooms(number);
    } else {
      return bad("unknown key or bad value '" + pair + "'");
    }
  }
  return true;
}

// "12.50" or "3" for amounts.
std::string Amount(double amount) {
  return amount == std::floor(amount) ? absl::StrFormat("%.0f", amount) : absl::StrFormat("%.2f", amount);
}

// Targets printed per step before "... and N more".
constexpr int kTargetsShown = 20;

void PrintDistrictStep(const v1::DistrictRemediationStep& step, bool zh) {
  std::printf("- %s%s: %s\n", step.indicator_id().c_str(), StageLabel(step.stage()).c_str(),
              (zh ? step.summary_zh() : step.summary()).c_str());
  if (!step.computable()) {
    std::printf("    %s\n", zh ? "无法计算整改数量：须由本区整改并出具认定"
                               : "no plan can be computed: the district must act and attest");
  }
  int shown = 0;
  for (const v1::RemediationTarget& target : step.targets()) {
    if (shown++ == kTargetsShown) {
      std::printf("    ... %s %d\n", zh ? "其余" : "and more:", step.targets_size() - kTargetsShown);
      break;
    }
    std::string amount;
    if (target.has_amount()) {
      amount = step.kind() == "cv" ? absl::StrFormat("%.1f%%", 100 * target.amount())
                                   : absl::StrCat(Amount(target.amount()), " ", zh ? step.unit_zh() : step.unit());
    }
    std::printf(
        "    %s%s%s%s%s%s\n", target.label().c_str(), StageLabel(target.stage(), zh).c_str(), zh ? "：" : ": ",
        amount.c_str(), amount.empty() || zh ? "" : " ",
        zh ? absl::StrCat("（", target.note_zh(), "）").c_str() : absl::StrCat("(", target.note(), ")").c_str());
  }
}

// A remediation step's unit in words: "名县级以上骨干教师" or the contract's
// English unit.
std::string StepUnit(const v1::RemediationStep& step, bool zh) {
  engine::RemediationStep s;
  s.indicator_id = step.indicator_id();
  s.unit = step.unit();
  return engine::RemediationUnit(s, EngineLanguage(zh));
}

std::atomic<bool> interrupted{false};
extern "C" void OnInterrupt(int) { interrupted = true; }

}  // namespace

int Evaluate(const EvaluationTarget& target, const std::string& district, const std::string& language,
             const std::string& format) {
  auto stub = Connect(target.target);
  v1::Conventions conventions;
  if (!ParseConventions(target.conventions, &conventions)) return 2;
  if (district == "all") {
    v1::EvaluateCityRequest request;
    request.set_school_year(target.school_year);
    *request.mutable_conventions() = conventions;
    v1::EvaluateCityResponse response;
    grpc::ClientContext context;
    const auto start = std::chrono::steady_clock::now();
    grpc::Status status = stub->EvaluateCity(&context, request, &response);
    if (!status.ok()) return Failed(status, "EvaluateCity", "评估全市");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (format == "json") {
      std::printf("%s\n", Json(response).c_str());
      return 0;
    }
    std::vector<engine::DistrictEvaluation> evaluations;
    for (const v1::DistrictEvaluation& e : response.evaluations()) {
      evaluations.push_back(indicators::FromProto(e).evaluation);
    }
    std::printf("%s", engine::RenderCitySummary(
                          evaluations, language == "en" ? engine::Language::kEnglish : engine::Language::kChinese)
                          .c_str());
    if (language == "en") {
      std::fprintf(stderr, "[gzedu] %d districts evaluated in %.0f ms\n", response.evaluations_size(), seconds * 1000);
    } else {
      std::fprintf(stderr, "[gzedu] 已评估 %d 个区，用时 %.0f 毫秒\n", response.evaluations_size(), seconds * 1000);
    }
    return 0;
  }
  v1::EvaluateDistrictRequest request;
  request.set_district_code(district);
  request.set_school_year(target.school_year);
  *request.mutable_conventions() = conventions;
  if (format != "json") request.set_report_language(LanguageOf(language));
  v1::EvaluateDistrictResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub->EvaluateDistrict(&context, request, &response);
  if (!status.ok()) return Failed(status, "EvaluateDistrict", "评估");
  if (format == "json") {
    std::printf("%s\n", Json(response.evaluation()).c_str());
  } else {
    std::printf("%s", response.evaluation().report().c_str());
  }
  return 0;
}

int Plan(const EvaluationTarget& target, const std::string& district, const std::string& language) {
  auto stub = Connect(target.target);
  v1::EvaluateDistrictRequest request;
  request.set_district_code(district);
  request.set_school_year(target.school_year);
  if (!ParseConventions(target.conventions, request.mutable_conventions())) return 2;
  v1::EvaluateDistrictResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub->EvaluateDistrict(&context, request, &response);
  if (!status.ok()) return Failed(status, "EvaluateDistrict", "评估");
  const v1::DistrictEvaluation& e = response.evaluation();
  const bool zh = language != "en";
  const District* d = FindDistrict(e.district_code());
  const std::string name = d == nullptr ? "" : std::string(zh ? d->name_zh : d->name_en);
  std::printf(zh ? "%s %s %d学年：%s\n" : "%s %s %d: %s\n", e.district_code().c_str(), name.c_str(), e.school_year(),
              OverallWord(e.verdict(), zh).c_str());
  const auto& failing = zh ? e.failing_indicators_zh() : e.failing_indicators();
  if (!failing.empty()) {
    std::printf("%s%s\n", zh ? "未达标项：" : "failing: ",
                absl::StrJoin(failing.begin(), failing.end(), zh ? "、" : ", ").c_str());
  }
  if (e.district_plan().empty() && e.plans().empty()) {
    std::printf("%s\n", zh ? "没有未达标的指标，无需整改。" : "Nothing to remediate: no indicator fails.");
    return 0;
  }
  if (!e.district_plan().empty()) {
    std::printf("%s (%d)\n", zh ? "全区整改: 每项未达标指标" : "District remediation, per failing indicator",
                e.district_plan_size());
    for (const v1::DistrictRemediationStep& step : e.district_plan()) PrintDistrictStep(step, zh);
  }
  if (e.plans().empty()) {
    std::printf("%s\n", zh ? "没有未达到每校要求的学段单元。" : "No school section fails the per-section rule.");
    return 0;
  }
  std::printf(zh ? "%s（%d 个）\n" : "%s (%d)\n",
              zh ? "一校一案：未达标学段单元的整改" : "Remediation per failing section", e.plans_size());
  for (const v1::RemediationPlan& plan : e.plans()) {
    std::printf(zh ? "- %s %s%s，%d %s；%s%s\n" : "- %s %s%s, %d %s; %s %s\n", plan.school_code().c_str(),
                plan.school_name().c_str(), StageLabel(plan.stage(), zh).c_str(), plan.students(),
                zh ? "名学生" : "students",
                zh ? "可按85%达标的指标：" : "relaxed to 85%:", plan.relaxed_indicator_id().c_str());
    for (const v1::RemediationStep& step : plan.steps()) {
      std::printf(zh ? "    %s：%.2f -> %.2f，%s %.2f %s\n" : "    %s: %.2f -> %.2f, %s %.2f %s\n",
                  step.indicator_id().c_str(), step.current_value(), step.target_value(), zh ? "增加" : "add",
                  step.addition(), StepUnit(step, zh).c_str());
    }
    if (plan.has_enrolment_reduction()) {
      std::printf(zh ? "    %s%d\n" : "    %s %d\n",
                  zh ? "或减少学生（人）：" : "or reduce enrolment by:", plan.enrolment_reduction());
    }
  }
  return 0;
}

int Watch(const std::string& target, const std::vector<std::string>& districts,
          const std::vector<std::string>& indicators, int64_t resume_after, bool initial_state, int max_updates,
          int school_year, const std::string& language) {
  const bool zh = language != "en";
  std::signal(SIGINT, OnInterrupt);
  std::signal(SIGTERM, OnInterrupt);
  auto stub = Connect(target);
  int64_t last_version = resume_after;
  int updates = 0;
  while (!interrupted) {
    v1::WatchIndicatorsRequest request;
    for (const std::string& d : districts) request.add_district_codes(d);
    for (const std::string& i : indicators) request.add_indicator_ids(i);
    request.set_resume_after_version(last_version);
    request.set_school_year(school_year);
    request.set_initial_state(initial_state && last_version == 0);
    grpc::ClientContext context;
    std::atomic<bool> done{false};
    std::thread canceller([&] {
      while (!done && !interrupted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (interrupted) context.TryCancel();
    });
    auto reader = stub->WatchIndicators(&context, request);
    v1::WatchIndicatorsResponse message;
    bool resync = false;
    while (reader->Read(&message)) {
      if (message.has_update()) {
        const v1::IndicatorUpdate& u = message.update();
        if (!u.initial_state()) last_version = std::max(last_version, u.version());
        for (const v1::IndicatorResult& r : u.indicators()) {
          std::printf(zh ? "%s v%lld %s %d %s | 全区 %s\n" : "%s v%lld %s %d %s | district %s\n",
                      u.initial_state() ? "=" : "~", static_cast<long long>(u.version()), u.district_code().c_str(),
                      u.school_year(), Describe(r, zh).c_str(), OverallWord(u.verdict(), zh).c_str());
        }
        std::fflush(stdout);
        if (max_updates > 0 && !u.initial_state() && ++updates >= max_updates) {
          interrupted = true;
          context.TryCancel();
        }
      } else if (message.has_heartbeat()) {
        std::fprintf(stderr, "[gzedu] heartbeat, latest version %lld\n",
                     static_cast<long long>(message.heartbeat().latest_version()));
      } else if (message.has_resync()) {
        std::fprintf(stderr, "[gzedu] told to resynchronise (%s); resuming after version %lld\n",
                     message.resync().reason().c_str(), static_cast<long long>(last_version));
        resync = true;
      }
    }
    done = true;
    canceller.join();
    grpc::Status status = reader->Finish();
    if (interrupted) return 0;
    // A server going away (a restart, a rollout) ends the stream with
    // UNAVAILABLE or, while it shuts down, CANCELLED; a slow watcher is
    // ABORTED with where to resume. Each is followed by resuming after the
    // last version seen; anything else (a refused request) ends the watch.
    const grpc::StatusCode code = status.error_code();
    if (!status.ok() && code != grpc::StatusCode::UNAVAILABLE && code != grpc::StatusCode::CANCELLED &&
        code != grpc::StatusCode::ABORTED) {
      return Failed(status, "WatchIndicators", "订阅指标更新");
    }
    std::fprintf(stderr, "[gzedu] stream ended (%s); reconnecting after version %lld\n",
                 resync ? "resync" : ErrorText(status).c_str(), static_cast<long long>(last_version));
    // After a resync the stream resumes at once, unless the server said it
    // is shutting down (its replacement needs a moment to listen).
    std::this_thread::sleep_for(std::chrono::milliseconds(resync && status.ok() ? 0 : 1000));
  }
  return 0;
}

int Scenario(const EvaluationTarget& target, const std::string& district, const ScenarioOptions& options,
             const std::string& language, const std::string& format) {
  auto stub = Connect(target.target);
  v1::EvaluateScenarioRequest request;
  request.set_district_code(district);
  request.set_school_year(target.school_year);
  if (!ParseConventions(target.conventions, request.mutable_conventions())) return 2;
  if (options.enrolment_percent != 0) {
    v1::EnrolmentChange* c = request.add_changes()->mutable_enrolment();
    c->set_percent(options.enrolment_percent);
    if (options.enrolment_stage == "primary") c->set_stage(common::v1::STAGE_PRIMARY);
    if (options.enrolment_stage == "junior") c->set_stage(common::v1::STAGE_JUNIOR);
    c->set_school_code(options.enrolment_school);
  }
  for (const std::string& item : options.add_teachers) {
    std::vector<std::string> parts = absl::StrSplit(item, ':');
    int count = 0, backbone = 0;
    if (parts.size() < 3 || !absl::SimpleAtoi(parts[2], &count) ||
        (parts.size() > 3 && !absl::SimpleAtoi(parts[3], &backbone)) ||
        (parts[1] != "primary" && parts[1] != "junior")) {
      std::fprintf(stderr, "--add-teachers %s: expected SCHOOL:primary|junior:N[:BACKBONE]\n", item.c_str());
      return 2;
    }
    v1::TeacherChange* c = request.add_changes()->mutable_teachers();
    c->set_school_code(parts[0]);
    c->set_stage(parts[1] == "junior" ? common::v1::STAGE_JUNIOR : common::v1::STAGE_PRIMARY);
    c->set_full_time_teachers(count);
    c->set_above_required_qualification(count);
    c->set_backbone_county_or_above(backbone);
  }
  for (const std::string& item : options.add_area) {
    std::vector<std::string> parts = absl::StrSplit(item, ':');
    double teaching = 0, sports = 0;
    if (parts.size() < 2 || !absl::SimpleAtod(parts[1], &teaching) ||
        (parts.size() > 2 && !absl::SimpleAtod(parts[2], &sports))) {
      std::fprintf(stderr, "--add-area %s: expected SCHOOL:TEACHING_M2[:SPORTS_M2]\n", item.c_str());
      return 2;
    }
    v1::FacilityChange* c = request.add_changes()->mutable_facilities();
    c->set_school_code(parts[0]);
    c->set_teaching_area_m2(teaching);
    c->set_sports_area_m2(sports);
  }
  for (const std::string& item : options.new_schools) {
    if (!ParseNewSchool(item, request.add_changes()->mutable_new_school())) return 2;
  }
  if (request.changes().empty()) {
    std::fprintf(stderr,
                 "scenario: give at least one change (--enrolment, --add-teachers, --add-area, --new-school)\n");
    return 2;
  }
  v1::EvaluateScenarioResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub->EvaluateScenario(&context, request, &response);
  if (!status.ok()) return Failed(status, "EvaluateScenario", "情景评估");
  if (format == "json") {
    std::printf("%s\n", Json(response).c_str());
    return 0;
  }
  const bool zh = language != "en";
  const v1::DistrictEvaluation& baseline = response.baseline();
  const v1::DistrictEvaluation& scenario = response.scenario();
  std::map<std::string, const v1::IndicatorResult*> before;
  for (const v1::IndicatorResult& r : baseline.indicators()) before[r.indicator_id() + StageLabel(r.stage())] = &r;
  if (zh) {
    const District* d = FindDistrict(district);
    std::printf("情景评估：%s（%s）%d学年\n", d == nullptr ? "" : std::string(d->name_zh).c_str(), district.c_str(),
                target.school_year);
  } else {
    std::printf("Scenario for %s %d\n", district.c_str(), target.school_year);
  }
  std::printf("%s%s%s -> %s\n", zh ? "总体结论" : "overall", zh ? "：" : ": ",
              OverallWord(baseline.verdict(), zh).c_str(), OverallWord(scenario.verdict(), zh).c_str());
  // The per-section rule is no indicator of its own: its counts per stage.
  std::printf("%s\n", zh ? "每校要求（全部达标 / 六项达标且一项≥85% / 未达标，共）："
                         : "per-section rule (meet all / six with one at >= 85% / fail, of):");
  engine::TextTable stages(2, 1);
  for (const v1::StageSummary& after : scenario.stages()) {
    const v1::StageSummary* old = nullptr;
    for (const v1::StageSummary& s : baseline.stages()) {
      if (s.stage() == after.stage()) old = &s;
    }
    const auto counts = [](const v1::StageSummary* s) {
      return s == nullptr ? std::string("-")
                          : absl::StrCat(s->sections_meeting_all(), " / ", s->sections_with_one_at_85(), " / ",
                                         s->sections_failing(), " / ", s->sections());
    };
    stages.AddRow({StageLabel(after.stage(), zh).substr(1), counts(old), "->", counts(&after)});
  }
  std::printf("%s", stages.Render().c_str());
  std::vector<const v1::IndicatorResult*> verdict_changes;
  std::vector<const v1::IndicatorResult*> value_changes;
  for (const v1::IndicatorResult& r : response.changed()) {
    auto it = before.find(r.indicator_id() + StageLabel(r.stage()));
    (it == before.end() || it->second->verdict() != r.verdict() ? verdict_changes : value_changes).push_back(&r);
  }
  // Aligned by display width: Chinese words take two columns.
  const auto print = [&](const char* title, const std::vector<const v1::IndicatorResult*>& list) {
    std::printf("%s（%zu）%s\n", title, list.size(), zh ? "：" : ":");
    engine::TextTable rows(2, 1);
    for (const v1::IndicatorResult* r : list) {
      auto it = before.find(r->indicator_id() + StageLabel(r->stage()));
      rows.AddRow({it == before.end() ? "-" : Describe(*it->second, zh), "->", Describe(*r, zh)});
    }
    std::printf("%s", rows.Render().c_str());
  };
  if (response.changed().empty()) {
    std::printf("%s\n", zh ? "没有指标变化。" : "No indicator changes.");
  } else {
    print(zh ? "结论变化的指标" : "verdicts that change", verdict_changes);
    print(zh ? "仅数值变化的指标" : "values that change (same verdict)", value_changes);
  }
  const auto& failing_before = zh ? baseline.failing_indicators_zh() : baseline.failing_indicators();
  const auto& failing_after = zh ? scenario.failing_indicators_zh() : scenario.failing_indicators();
  const char* separator = zh ? "、" : ", ";
  std::printf(
      "%s（%d）%s%s\n", zh ? "未达标项（情景）" : "failing in the scenario", failing_after.size(), zh ? "：" : ": ",
      failing_after.empty() ? "-" : absl::StrJoin(failing_after.begin(), failing_after.end(), separator).c_str());
  if (failing_before.size() != failing_after.size() ||
      !std::equal(failing_before.begin(), failing_before.end(), failing_after.begin())) {
    std::printf(
        "%s（%d）%s%s\n", zh ? "未达标项（当前）" : "failing now", failing_before.size(), zh ? "：" : ": ",
        failing_before.empty() ? "-" : absl::StrJoin(failing_before.begin(), failing_before.end(), separator).c_str());
  }
  return 0;
}

int ImportReturns(const std::string& file, const std::string& target) {
  return ImportReturnsFile({file, target, false});
}

int ImportBundle(const std::string& dir, const BundleTargets& targets, bool quiet) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) {
    std::fprintf(stderr, "%s: not a directory\n", dir.c_str());
    return 2;
  }
  const auto path = [&](const char* name) { return (fs::path(dir) / name).string(); };
  const auto present = [&](const char* name) { return fs::exists(path(name)); };
  const std::vector<const char*> known = {"schools.csv",           "school_years.csv",      "teachers.csv",
                                          "rotations.csv",         "accounts.csv",          "transfers.csv",
                                          "district_returns.json", "district_returns.yaml", "district_returns.yml",
                                          "district_returns.csv"};
  std::vector<const char*> found;
  for (const char* name : known) {
    if (present(name)) found.push_back(name);
  }
  if (found.empty()) {
    std::fprintf(stderr, "%s: no dataset file here; a bundle holds some of %s\n", dir.c_str(),
                 absl::StrJoin(known, ", ").c_str());
    return 2;
  }
  int step = 0;
  const int steps = 7;
  const auto announce = [&](const char* what) {
    ++step;
    if (!quiet) std::fprintf(stderr, "[bundle %d/%d] %s\n", step, steps, what);
  };
  ImportOptions options;
  options.quiet = quiet;
  options.batch_size = 2000;
  options.registry_target = targets.registry;  // teachers' schools are checked there
  int status = 0;
  const auto skipped = [&](const char* name) {
    if (!quiet) std::fprintf(stderr, "  %s: not in %s, skipped\n", name, dir.c_str());
  };
  const auto run = [&](const char* name, const char* what, const std::string& target,
                       int (*import)(const ImportOptions&)) {
    announce(what);
    if (!present(name)) {
      skipped(name);
      return true;
    }
    options.file = path(name);
    options.target = target;
    status = import(options);
    return status == 0;
  };
  if (!run("schools.csv", "schools -> school registry", targets.registry, ImportSchools)) return status;
  if (!run("school_years.csv", "school-year records -> school registry", targets.registry, ImportSchoolYears)) {
    return status;
  }
  if (!run("teachers.csv", "teachers -> teacher rotation", targets.rotation, ImportTeachers)) return status;
  if (!run("rotations.csv", "rotations -> teacher rotation", targets.rotation, ImportRotations)) return status;
  announce("accounts -> funding ledger");
  if (!present("accounts.csv")) skipped("accounts.csv");
  if (present("accounts.csv") && (status = LedgerOpen(path("accounts.csv"), targets.ledger, quiet)) != 0) return status;
  announce("transfers -> funding ledger");
  if (!present("transfers.csv")) skipped("transfers.csv");
  if (present("transfers.csv") && (status = LedgerPost(path("transfers.csv"), targets.ledger, quiet)) != 0) {
    return status;
  }
  announce("district returns -> indicator evaluation");
  // The first of the returns' forms present (returns_command.h).
  bool returns_found = false;
  for (const char* name :
       {"district_returns.json", "district_returns.yaml", "district_returns.yml", "district_returns.csv"}) {
    if (!present(name)) continue;
    returns_found = true;
    if ((status = ImportReturns(path(name), targets.evaluation)) != 0) return status;
    break;
  }
  if (!returns_found) skipped("district_returns.json/.yaml/.csv");
  return 0;
}

bool ParseConventionFlags(const std::vector<std::string>& items, indicators::v1::Conventions* out) {
  return ParseConventions(items, out);
}

}  // namespace gzedu::cli
