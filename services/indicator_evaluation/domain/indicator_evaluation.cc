#include "services/indicator_evaluation/domain/indicator_evaluation.h"

#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/domain/text.h"
#include "common/status/macros.h"
#include "common/status/texts.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/input_validation.h"
#include "services/indicator_evaluation/engine/report.h"

namespace gzedu::indicators {
namespace {

// FAILED_PRECONDITION, with every problem as a field violation, when the
// district-year assembled from the sources cannot be true (a section its
// school's type cannot have, teacher counts above full-time, a training
// budget above the operating budget, ...): each source accepted its part,
// but together they contradict each other, and evaluating them would give a
// verdict about a district that does not exist. Schools are named by code.
std::vector<FieldViolation> ImpossibleInput(const engine::DistrictInput& input) {
  std::vector<engine::InputProblem> problems;
  engine::ValidateDistrictInput(input, "", &problems);
  std::vector<FieldViolation> violations;
  for (const engine::InputProblem& problem : problems) {
    std::string field = problem.path;
    size_t index = 0;
    if (std::sscanf(field.c_str(), "schools[%zu]", &index) == 1 && index < input.schools.size()) {
      field = absl::StrCat("schools[", input.schools[index].school_code, "]", field.substr(field.find(']') + 1));
    }
    violations.emplace_back(std::move(field), problem.description, problem.description_zh);
  }
  return violations;
}

absl::Status RefuseImpossibleInput(const engine::DistrictInput& input) {
  std::vector<FieldViolation> violations = ImpossibleInput(input);
  if (violations.empty()) return absl::OkStatus();
  const size_t count = violations.size();
  return StatusWithViolations(
      absl::StatusCode::kFailedPrecondition,
      {absl::StrCat("the data of district ", input.district_code, " year ", input.school_year, " cannot be true (",
                    count,
                    " problem(s)); nothing evaluated until the registry, the rotation "
                    "service, the ledger or the district return is corrected"),
       absl::StrCat("区 ", input.district_code, " ", input.school_year, " 学年的数据自相矛盾（", count,
                    " 个问题）；在学校登记、教师轮岗、经费账本或区级填报更正之前不予评估")},
      violations);
}

// Whether `status` is RefuseImpossibleInput's: the district-year's data
// cannot be true, and stays unevaluated until a source corrects it.
bool IsImpossibleInput(const absl::Status& status) {
  return status.code() == absl::StatusCode::kFailedPrecondition && !GetFieldViolations(status).empty();
}

// EvaluateCity's refusal when the data of some districts cannot be true:
// FAILED_PRECONDITION naming every such district with each of its problems
// (fields prefixed "districts[CODE].": one list across the city, so a caller
// sees at once which districts to correct and why, not only the first).
absl::Status RefuseImpossibleDistricts(int32_t school_year,
                                       const std::vector<std::pair<std::string, absl::Status>>& refusals) {
  std::vector<FieldViolation> violations;
  std::string districts, districts_zh;
  for (const auto& [code, status] : refusals) {
    const std::vector<FieldViolation> problems = GetFieldViolations(status);
    absl::StrAppend(&districts, districts.empty() ? "" : ", ", code, " (", problems.size(),
                    problems.size() == 1 ? " problem)" : " problems)");
    absl::StrAppend(&districts_zh, districts_zh.empty() ? "" : "，", code, "（", problems.size(), " 个问题）");
    for (const FieldViolation& problem : problems) {
      FieldViolation named = problem;
      named.field = absl::StrCat("districts[", code, "].", problem.field);
      violations.push_back(std::move(named));
    }
  }
  return StatusWithViolations(
      absl::StatusCode::kFailedPrecondition,
      {absl::StrCat("the data of ", refusals.size(), refusals.size() == 1 ? " district" : " districts", " year ",
                    school_year, " cannot be true: ", districts,
                    "; the city is not evaluated until the registry, the rotation service, the ledger or the "
                    "district returns are corrected (the other districts evaluate one by one with EvaluateDistrict)"),
       absl::StrCat(refusals.size(), " 个区 ", school_year, " 学年的数据不可能成立：", districts_zh,
                    "；在学校登记、教师轮岗、经费账本或区级填报数据更正之前不评估全市（其他区可用 EvaluateDistrict "
                    "逐个评估）")},
      violations);
}

// A batch of returns holds at most one per district and year of a city.
constexpr size_t kMaxReturnsPerRequest = 200;

bool SameValue(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::fabs(*a - *b) <= 1e-9 * std::max(1.0, std::fabs(*a));
}

using IndicatorKey = std::tuple<std::string, int>;
IndicatorKey KeyOf(const engine::IndicatorResult& r) {
  return {r.indicator_id, r.stage ? static_cast<int>(*r.stage) : 0};
}

// Whether `a` is at least as new as `b` in every input and newer in one.
bool Newer(const InputVersions& a, const InputVersions& b) {
  const bool at_least = a.registry_version >= b.registry_version && a.rotation_version >= b.rotation_version &&
                        a.ledger_version >= b.ledger_version && a.returns_version >= b.returns_version;
  return at_least && a != b;
}

void ValidateConventions(const engine::Conventions& c, FieldViolations& violations) {
  if (c.room_size_rule_applies_from_build_year < 0 || c.room_size_rule_applies_from_build_year > 2100) {
    violations.Add("conventions.room_size_rule_applies_from_build_year", "must be 0 (all schools) or a year",
                   "必须为 0（所有学校）或某个年份");
  }
  if (c.teaching_point_min_students < 0) {
    violations.Add("conventions.teaching_point_min_students", texts::MustBeNonNegative());
  }
}

}  // namespace

std::string ConventionsKey(const engine::Conventions& c) {
  const engine::Conventions strict;
  if (c.quota_excludes_hk_macao_classes == strict.quota_excludes_hk_macao_classes &&
      c.disabled_enrolment_excludes_deferred == strict.disabled_enrolment_excludes_deferred &&
      c.retention_formula == strict.retention_formula &&
      c.room_size_rule_applies_from_build_year == strict.room_size_rule_applies_from_build_year &&
      c.teaching_point_min_students == strict.teaching_point_min_students &&
      c.shared_resource_apportionment == strict.shared_resource_apportionment) {
    return "strict";
  }
  return absl::StrCat("q", c.quota_excludes_hk_macao_classes, "-d", c.disabled_enrolment_excludes_deferred, "-r",
                      static_cast<int>(c.retention_formula), "-b", c.room_size_rule_applies_from_build_year, "-t",
                      c.teaching_point_min_students, "-a", static_cast<int>(c.shared_resource_apportionment));
}

std::vector<engine::IndicatorResult> ChangedIndicators(const engine::DistrictEvaluation* before,
                                                       const engine::DistrictEvaluation& after) {
  if (before == nullptr) return after.indicators;
  std::map<IndicatorKey, const engine::IndicatorResult*> previous;
  for (const engine::IndicatorResult& r : before->indicators) previous[KeyOf(r)] = &r;
  std::vector<engine::IndicatorResult> changed;
  for (const engine::IndicatorResult& r : after.indicators) {
    auto it = previous.find(KeyOf(r));
    if (it == previous.end() || it->second->verdict != r.verdict || !SameValue(it->second->value, r.value) ||
        !SameValue(it->second->cv_actual, r.cv_actual) || !SameValue(it->second->threshold, r.threshold)) {
      changed.push_back(r);
    }
  }
  return changed;
}

void IndicatorEvaluation::ValidateDistrictYear(const std::string& district_code, int32_t school_year,
                                               FieldViolations& violations) {
  if (FindDistrict(district_code) == nullptr) {
    violations.Add("district_code", texts::NotAGuangzhouDistrict());
  }
  if (school_year < 2000 || school_year > 2100) violations.Add("school_year", texts::MustBeBetween(2000, 2100));
}

absl::StatusOr<WriteSummary> IndicatorEvaluation::UpsertDistrictReturns(const std::string& request_id,
                                                                        const std::vector<DistrictReturn>& returns,
                                                                        bool dry_run, const AccessScope& scope) {
  FieldViolations violations;
  if (!IsValidRequestId(request_id)) {
    violations.Add("request_id", texts::InvalidRequestId());
  }
  if (returns.empty() || returns.size() > kMaxReturnsPerRequest) {
    violations.Add("returns", texts::MustHoldOneTo(kMaxReturnsPerRequest, {"district returns", "份区级填报"}));
  }
  std::set<std::pair<std::string, int32_t>> keys;
  for (size_t i = 0; i < returns.size(); ++i) {
    const std::string path = absl::StrCat("returns[", i, "]");
    ValidateDistrictReturn(returns[i], path, violations);
    if (!keys.insert({returns[i].district_code, returns[i].school_year}).second) {
      violations.Add(
          path + ".district_code",
          absl::StrCat("district ", returns[i].district_code, " year ", returns[i].school_year,
                       " appears twice in the batch"),
          absl::StrCat("区 ", returns[i].district_code, " ", returns[i].school_year, " 学年在本批中出现两次"));
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("UpsertDistrictReturns", "写入区级填报")));
  FieldViolations outside;
  for (size_t i = 0; i < returns.size(); ++i) {
    scope.Check(returns[i].district_code, absl::StrCat("returns[", i, "].district_code"), {"the return", "该填报"},
                outside);
  }
  RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("UpsertDistrictReturns", "写入区级填报")));

  Fingerprint fp;
  fp.Add(dry_run).Add(static_cast<int64_t>(returns.size()));
  for (const DistrictReturn& r : returns) AddToFingerprint(fp, r);
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<ReturnsWriteTransaction> txn, repository_->BeginWrite());
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay) return replay->summary;
  WriteSummary summary;
  summary.dry_run = dry_run;
  ChangeEventBuilder event("returns");
  for (const DistrictReturn& incoming : returns) {
    ASSIGN_OR_RETURN(std::optional<DistrictReturn> existing,
                     txn->FindReturn(incoming.district_code, incoming.school_year));
    if (existing && existing->SameContent(incoming)) {
      ++summary.unchanged_count;
      continue;
    }
    ++(existing ? summary.updated_count : summary.created_count);
    if (dry_run) continue;
    DistrictReturn r = incoming;
    RETURN_IF_ERROR(txn->PutReturn(r));
    event.Add(r.district_code, r.change_version);
    if (summary.first_change_version == 0) summary.first_change_version = r.change_version;
    summary.last_change_version = r.change_version;
  }
  if (dry_run) return summary;
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, ""}));
  RETURN_IF_ERROR(txn->Commit());
  event.PublishTo(publisher_);
  return summary;
}

absl::StatusOr<InputVersions> IndicatorEvaluation::CurrentVersions(bool exact_only) {
  InputVersions current;
  std::optional<InputVersions> known = versions_ != nullptr ? versions_->Known() : std::nullopt;
  if (known && (!exact_only || versions_->announced_synchronously())) return *known;
  ASSIGN_OR_RETURN(current, sources_->LatestVersions());
  ASSIGN_OR_RETURN(current.returns_version, repository_->LatestReturnsVersion());
  return current;
}

absl::StatusOr<SourceData> IndicatorEvaluation::ReadInputs(const std::string& district_code, int32_t school_year) {
  ASSIGN_OR_RETURN(int64_t returns_version, repository_->LatestReturnsVersion());
  ASSIGN_OR_RETURN(SourceData data, sources_->ReadDistrict(district_code, school_year));
  data.versions.returns_version = returns_version;
  data.input.district_code = district_code;
  data.input.school_year = school_year;
  ASSIGN_OR_RETURN(std::optional<DistrictReturn> r, repository_->FindReturn(district_code, school_year));
  if (r) ApplyReturn(*r, &data.input);
  RETURN_IF_ERROR(RefuseImpossibleInput(data.input));
  return data;
}

Snapshot IndicatorEvaluation::MakeSnapshot(const SourceData& data, const engine::Conventions& conventions) {
  engine::DistrictInput input = data.input;
  input.conventions = conventions;
  Snapshot snapshot;
  snapshot.district_code = input.district_code;
  snapshot.school_year = input.school_year;
  snapshot.conventions_key = ConventionsKey(conventions);
  snapshot.input_versions = data.versions;
  snapshot.evaluated_at_unix_ms = now_unix_ms_();
  snapshot.evaluation = engine::Evaluate(input);
  snapshot.report_zh = engine::RenderReport(snapshot.evaluation, engine::Language::kChinese);
  snapshot.report_en = engine::RenderReport(snapshot.evaluation, engine::Language::kEnglish);
  // Per-section values are in the reports; the stored snapshot keeps the
  // totals, CVs and counts.
  for (engine::StageResult& stage : snapshot.evaluation.stages) stage.section_results.clear();
  return snapshot;
}

absl::StatusOr<Snapshot> IndicatorEvaluation::Store(Snapshot snapshot) {
  std::lock_guard<std::mutex> lock(store_mutex_);
  ASSIGN_OR_RETURN(std::optional<Snapshot> previous,
                   repository_->FindSnapshot(snapshot.district_code, snapshot.school_year, snapshot.conventions_key));
  // An evaluation that read older inputs than the stored one lost a race:
  // keep the newer.
  if (previous && Newer(previous->input_versions, snapshot.input_versions)) return *previous;
  // One that read the same inputs (under the same conventions: the key says
  // them all) lost a race too: a client's evaluation and the change
  // follower's round over the same write both missed the stored snapshot.
  // The stored one stands; storing again would hand dashboards a "new"
  // snapshot version, and the next reader a different one, for nothing.
  if (previous && previous->input_versions == snapshot.input_versions) {
    if (cache_ != nullptr) cache_->Put(*previous);
    return *previous;
  }
  std::vector<engine::IndicatorResult> changed =
      ChangedIndicators(previous ? &previous->evaluation : nullptr, snapshot.evaluation);
  const bool watched = snapshot.conventions_key == ConventionsKey({});
  const bool verdict_changed = !previous || previous->evaluation.verdict != snapshot.evaluation.verdict;
  std::optional<IndicatorUpdate> update;
  if (watched && (!changed.empty() || verdict_changed)) {
    update = IndicatorUpdate{0,
                             snapshot.district_code,
                             snapshot.school_year,
                             std::move(changed),
                             snapshot.evaluation.verdict,
                             snapshot.input_versions,
                             snapshot.evaluated_at_unix_ms};
  }
  RETURN_IF_ERROR(repository_->PutSnapshot(snapshot, update ? &*update : nullptr));
  if (cache_ != nullptr) cache_->Put(snapshot);
  if (update && hub_ != nullptr) hub_->Publish(std::move(*update));
  if (observer_ != nullptr) observer_->OnSnapshot(snapshot);
  return snapshot;
}

absl::StatusOr<Snapshot> IndicatorEvaluation::EvaluateDistrict(const std::string& district_code, int32_t school_year,
                                                               const engine::Conventions& conventions) {
  FieldViolations violations;
  ValidateDistrictYear(district_code, school_year, violations);
  ValidateConventions(conventions, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("EvaluateDistrict", "评估区")));
  ASSIGN_OR_RETURN(InputVersions current, CurrentVersions(/*exact_only=*/true));
  ASSIGN_OR_RETURN(std::optional<Snapshot> current_snapshot,
                   FindCurrent(district_code, school_year, ConventionsKey(conventions), current));
  if (current_snapshot) return *std::move(current_snapshot);
  ASSIGN_OR_RETURN(SourceData data, ReadInputs(district_code, school_year));
  return Store(MakeSnapshot(data, conventions));
}

absl::StatusOr<std::optional<Snapshot>> IndicatorEvaluation::FindCurrent(const std::string& district_code,
                                                                         int32_t school_year, const std::string& key,
                                                                         const InputVersions& current) {
  if (cache_ != nullptr) {
    if (std::optional<Snapshot> cached = cache_->Get(district_code, school_year, key, current)) return cached;
  }
  ASSIGN_OR_RETURN(std::optional<Snapshot> stored, repository_->FindSnapshot(district_code, school_year, key));
  if (stored && stored->input_versions == current) {
    if (cache_ != nullptr) cache_->Put(*stored);
    return stored;
  }
  return std::optional<Snapshot>();
}

absl::StatusOr<std::vector<engine::DistrictEvaluation>> IndicatorEvaluation::EvaluateWithSections(
    const std::string& district_code, int32_t school_year, const engine::Conventions& conventions,
    const AccessScope& scope) {
  const bool city = district_code == "all";
  FieldViolations violations;
  if (city) {
    if (school_year < 2000 || school_year > 2100) violations.Add("school_year", texts::MustBeBetween(2000, 2100));
  } else {
    ValidateDistrictYear(district_code, school_year, violations);
  }
  ValidateConventions(conventions, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("report", "生成报告")));
  std::vector<std::string> codes;
  if (city) {
    for (const District& district : kDistricts) {
      if (scope.Allows(std::string(district.code))) codes.emplace_back(district.code);
    }
  } else {
    RETURN_IF_ERROR(scope.CheckRead(district_code, "district_code"));
    codes.push_back(district_code);
  }
  std::vector<engine::DistrictEvaluation> evaluations;
  for (const std::string& code : codes) {
    ASSIGN_OR_RETURN(SourceData data, ReadInputs(code, school_year));
    data.input.conventions = conventions;
    evaluations.push_back(engine::Evaluate(data.input));
  }
  return evaluations;
}

absl::StatusOr<std::vector<Snapshot>> IndicatorEvaluation::EvaluateCity(int32_t school_year,
                                                                        const engine::Conventions& conventions,
                                                                        const AccessScope& scope) {
  FieldViolations violations;
  if (school_year < 2000 || school_year > 2100) violations.Add("school_year", texts::MustBeBetween(2000, 2100));
  ValidateConventions(conventions, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("EvaluateCity", "评估全市")));
  // Districts whose current snapshot is at hand are answered from it; only
  // the others are evaluated, in parallel.
  ASSIGN_OR_RETURN(InputVersions current, CurrentVersions(/*exact_only=*/true));
  const std::string key = ConventionsKey(conventions);
  // Only the caller's districts: one outside its scope neither appears nor
  // fails the call (nor is named in its refusal).
  std::vector<std::string> codes;
  for (const District& district : kDistricts) {
    if (scope.Allows(std::string(district.code))) codes.emplace_back(district.code);
  }
  std::vector<std::optional<Snapshot>> found;
  for (const std::string& code : codes) {
    ASSIGN_OR_RETURN(std::optional<Snapshot> snapshot, FindCurrent(code, school_year, key, current));
    found.push_back(std::move(snapshot));
  }
  std::vector<std::future<absl::StatusOr<Snapshot>>> futures(found.size());
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i]) continue;
    futures[i] = std::async(std::launch::async, [this, code = codes[i], school_year, conventions] {
      return EvaluateDistrict(code, school_year, conventions);
    });
  }
  // Any other error (a source unavailable, ...) comes first: with it the
  // list of districts whose data cannot be true is not known to be whole.
  std::vector<Snapshot> snapshots;
  absl::Status first_error;
  std::vector<std::pair<std::string, absl::Status>> impossible;
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i]) {
      snapshots.push_back(*std::move(found[i]));
      continue;
    }
    absl::StatusOr<Snapshot> snapshot = futures[i].get();
    if (IsImpossibleInput(snapshot.status())) {
      impossible.emplace_back(codes[i], snapshot.status());
    } else if (!snapshot.ok()) {
      if (first_error.ok()) first_error = snapshot.status();
    } else {
      snapshots.push_back(std::move(*snapshot));
    }
  }
  RETURN_IF_ERROR(first_error);
  if (!impossible.empty()) return RefuseImpossibleDistricts(school_year, impossible);
  return snapshots;
}

absl::StatusOr<std::pair<Snapshot, bool>> IndicatorEvaluation::GetEvaluation(const std::string& district_code,
                                                                             int32_t school_year,
                                                                             const engine::Conventions& conventions) {
  FieldViolations violations;
  ValidateDistrictYear(district_code, school_year, violations);
  ValidateConventions(conventions, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetEvaluation", "查询评估结果")));
  const std::string key = ConventionsKey(conventions);
  // A source that cannot be asked leaves the snapshot's freshness unknown:
  // say stale rather than current.
  absl::StatusOr<InputVersions> current = CurrentVersions(/*exact_only=*/false);
  if (current.ok() && cache_ != nullptr) {
    if (std::optional<Snapshot> cached = cache_->Get(district_code, school_year, key, *current)) {
      return std::make_pair(*std::move(cached), false);
    }
  }
  ASSIGN_OR_RETURN(std::optional<Snapshot> stored, repository_->FindSnapshot(district_code, school_year, key));
  if (!stored) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          {absl::StrCat("district ", district_code, " year ", school_year,
                                        " has not been evaluated under these conventions; call EvaluateDistrict"),
                           absl::StrCat("区 ", district_code, " ", school_year,
                                        " 学年尚未按这些约定评估；请先评估该区（EvaluateDistrict）")});
  }
  const bool stale = !current.ok() || *current != stored->input_versions;
  return std::make_pair(std::move(*stored), stale);
}

std::shared_ptr<const Snapshot> IndicatorEvaluation::CurrentAtHand(const std::string& district_code,
                                                                   int32_t school_year,
                                                                   const engine::Conventions& conventions,
                                                                   Use use) const {
  if (cache_ == nullptr || versions_ == nullptr) return nullptr;
  // Exactly what CurrentVersions answers without asking the sources.
  if (use == Use::kEvaluate && !versions_->announced_synchronously()) return nullptr;
  const std::optional<InputVersions> known = versions_->Known();
  if (!known) return nullptr;
  // An invalid request names no stored snapshot (every stored one was
  // validated), so it is never found here.
  return cache_->Peek(district_code, school_year, ConventionsKey(conventions), *known);
}

std::vector<std::shared_ptr<const Snapshot>> IndicatorEvaluation::CityAtHand(
    int32_t school_year, const engine::Conventions& conventions) const {
  if (cache_ == nullptr || versions_ == nullptr || !versions_->announced_synchronously()) return {};
  const std::optional<InputVersions> known = versions_->Known();
  if (!known) return {};
  const std::string key = ConventionsKey(conventions);
  std::vector<std::shared_ptr<const Snapshot>> snapshots;
  snapshots.reserve(kDistricts.size());
  for (const District& district : kDistricts) {
    std::shared_ptr<const Snapshot> snapshot = cache_->Peek(std::string(district.code), school_year, key, *known);
    if (snapshot == nullptr) return {};
    snapshots.push_back(std::move(snapshot));
  }
  return snapshots;
}

absl::StatusOr<ScenarioResult> IndicatorEvaluation::EvaluateScenario(const std::string& district_code,
                                                                     int32_t school_year,
                                                                     const engine::Conventions& conventions,
                                                                     const std::vector<ScenarioChange>& changes) {
  FieldViolations violations;
  ValidateDistrictYear(district_code, school_year, violations);
  ValidateConventions(conventions, violations);
  if (changes.empty()) violations.Add("changes", "must hold at least one change", "必须至少包含一项变化");
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("EvaluateScenario", "情景评估")));
  ASSIGN_OR_RETURN(SourceData data, ReadInputs(district_code, school_year));
  ScenarioResult result;
  result.baseline = MakeSnapshot(data, conventions);
  ApplyScenario(changes, &data.input, violations);
  // The changed district must be one that could exist, as the sources' data
  // had to be: a change that makes it impossible (backbone teachers above the
  // full-time ones of a new school, say) is refused, each problem under
  // "changes" naming the school by code and the fact that cannot be.
  if (violations.empty()) {
    for (FieldViolation& v : ImpossibleInput(data.input)) {
      violations.Add("changes", absl::StrCat("after the changes, ", v.field, ": ", v.description),
                     absl::StrCat("按这些变化，", v.field, "：", v.description_zh));
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("EvaluateScenario", "情景评估")));
  result.scenario = MakeSnapshot(data, conventions);
  result.changed = ChangedIndicators(&result.baseline.evaluation, result.scenario.evaluation);
  return result;
}

absl::Status IndicatorEvaluation::Refresh(const std::string& district_code, int32_t school_year) {
  std::set<int32_t> years;
  if (school_year != 0) {
    years.insert(school_year);
  } else {
    ASSIGN_OR_RETURN(std::vector<Snapshot> watched, repository_->SnapshotsUnder(ConventionsKey({})));
    for (const Snapshot& s : watched) {
      if (s.district_code == district_code) years.insert(s.school_year);
    }
  }
  for (int32_t year : years) {
    absl::Status status = EvaluateDistrict(district_code, year, {}).status();
    // Data that cannot be true stays unevaluated until a source corrects it
    // (whose change brings the district back here); the other districts'
    // changes must not wait for that.
    if (IsImpossibleInput(status)) continue;
    RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

}  // namespace gzedu::indicators
