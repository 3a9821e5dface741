#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_INDICATOR_EVALUATION_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_INDICATOR_EVALUATION_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/access.h"
#include "common/domain/events.h"
#include "common/domain/requests.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"
#include "services/indicator_evaluation/domain/scenario.h"
#include "services/indicator_evaluation/domain/source_reader.h"
#include "services/indicator_evaluation/domain/source_versions.h"
#include "services/indicator_evaluation/domain/watch_hub.h"

namespace gzedu::indicators {

// Told about every stored snapshot and the watcher count (metrics).
class EvaluationObserver {
 public:
  virtual ~EvaluationObserver() = default;
  virtual void OnSnapshot(const Snapshot& snapshot) = 0;
};

// Snapshots cached by their district, year, conventions and input
// versions: an entry is the snapshot of exactly those inputs or absent,
// never stale. Failures are misses. Thread-safe.
class SnapshotCache {
 public:
  virtual ~SnapshotCache() = default;
  virtual std::optional<Snapshot> Get(const std::string& district_code, int32_t school_year,
                                      const std::string& conventions_key, const InputVersions& versions) = 0;
  virtual void Put(const Snapshot& snapshot) = 0;
  // The snapshot of exactly these inputs when it is held in this process's
  // memory, without copying it; null otherwise. Never blocks (no store, no
  // Redis), so a callback-API handler may call it inline.
  virtual std::shared_ptr<const Snapshot> Peek(const std::string& district_code, int32_t school_year,
                                               const std::string& conventions_key, const InputVersions& versions) = 0;
};

// The result of a scenario: the evaluation now and with the changes.
struct ScenarioResult {
  Snapshot baseline;
  Snapshot scenario;
  std::vector<engine::IndicatorResult> changed;  // as in the scenario
};

// The evaluation service's use cases. Thread-safe: evaluations run in
// parallel; storing a snapshot and publishing its update are serialised, so
// updates reach the log and the watchers in version order.
class IndicatorEvaluation {
 public:
  // None owned; all must outlive this. `observer` may be null.
  IndicatorEvaluation(EvaluationRepository* repository, SourceReader* sources, WatchHub* hub,
                      std::function<int64_t()> now_unix_ms, EvaluationObserver* observer = nullptr)
      : repository_(repository),
        sources_(sources),
        hub_(hub),
        now_unix_ms_(std::move(now_unix_ms)),
        observer_(observer) {}

  // Announces committed return writes to `publisher` (may be null).
  void set_event_publisher(EventPublisher* publisher) { publisher_ = publisher; }
  // Looks snapshots up in `cache` before the store (not owned; may be null).
  void set_snapshot_cache(SnapshotCache* cache) { cache_ = cache; }
  // What is known of the sources' versions without asking them (see
  // SourceVersions): GetEvaluation's freshness always comes from it once
  // known; EvaluateDistrict trusts it when it is exact.
  void set_source_versions(SourceVersions* versions) { versions_ = versions; }

  // Validates and writes `returns` atomically. INVALID_ARGUMENT with every
  // violation; ALREADY_EXISTS for a request id reused with other content;
  // UNAVAILABLE when the store is.
  // Each return's district must be in `scope`: PERMISSION_DENIED naming the
  // rows outside it, and nothing written.
  absl::StatusOr<WriteSummary> UpsertDistrictReturns(const std::string& request_id,
                                                     const std::vector<DistrictReturn>& returns, bool dry_run,
                                                     const AccessScope& scope = AccessScope::WholeCity());

  // The evaluation of a district-year under `conventions`: the stored
  // snapshot when no input has changed since, otherwise a new one (read
  // from the sources, evaluated, stored; its changed indicators published
  // when under the strict conventions). INVALID_ARGUMENT for a bad district
  // or year; UNAVAILABLE when a source is; FAILED_PRECONDITION, with a field
  // violation per problem (engine::ValidateDistrictInput, schools named by
  // code: "schools[2144011401].sections[0].stage"), when the data the
  // sources hold for the district-year cannot be true together.
  absl::StatusOr<Snapshot> EvaluateDistrict(const std::string& district_code, int32_t school_year,
                                            const engine::Conventions& conventions);
  // The evaluation of a district-year made afresh from the current inputs,
  // with every section's values (which stored snapshots do not keep), for
  // reports; stores and publishes nothing. `district_code` "all": every
  // district of `scope`, in district-code order. INVALID_ARGUMENT for a bad
  // district, year or conventions; PERMISSION_DENIED for a district outside
  // `scope`; UNAVAILABLE when a source is.
  absl::StatusOr<std::vector<engine::DistrictEvaluation>> EvaluateWithSections(
      const std::string& district_code, int32_t school_year, const engine::Conventions& conventions,
      const AccessScope& scope = AccessScope::WholeCity());
  // Every district of `scope`, in district-code order, evaluated in
  // parallel (those with a current snapshot answered from it); the others
  // are neither read nor named. INVALID_ARGUMENT for a bad year or
  // conventions; the first other error of a district in code order
  // (UNAVAILABLE when a source is, ...); otherwise, when the data of some
  // districts cannot be true, FAILED_PRECONDITION naming every one of them
  // in the message and listing each one's problems as field violations
  // prefixed "districts[CODE]." (e.g.
  // "districts[440114].schools[2144011401].funding.training_budget_fen").
  absl::StatusOr<std::vector<Snapshot>> EvaluateCity(int32_t school_year, const engine::Conventions& conventions,
                                                     const AccessScope& scope = AccessScope::WholeCity());
  // The stored snapshot (NOT_FOUND when there is none) and whether an
  // input has changed since.
  absl::StatusOr<std::pair<Snapshot, bool>> GetEvaluation(const std::string& district_code, int32_t school_year,
                                                          const engine::Conventions& conventions);
  // The evaluation with `changes` applied to the current inputs; writes
  // nothing. INVALID_ARGUMENT lists every bad change.
  absl::StatusOr<ScenarioResult> EvaluateScenario(const std::string& district_code, int32_t school_year,
                                                  const engine::Conventions& conventions,
                                                  const std::vector<ScenarioChange>& changes);

  // Re-evaluates the district-years a source change touched, under the
  // strict conventions (what watchers follow). A `school_year` of 0 means
  // every year of the district that has a snapshot. A district-year whose
  // data cannot be true (FAILED_PRECONDITION from EvaluateDistrict) is left
  // unevaluated, not an error: the source change that corrects it brings it
  // back.
  absl::Status Refresh(const std::string& district_code, int32_t school_year);

  // The answers of GetEvaluation (not stale), EvaluateDistrict and
  // EvaluateCity when they are at hand without blocking: what is known of
  // the sources' versions (for `Use::kEvaluate`, only when it is exact: see
  // SourceVersions) and a snapshot of exactly those versions held in memory
  // (SnapshotCache::Peek). Null (empty for the city) when any part is not at
  // hand, or the request is not valid: then the blocking call answers, with
  // the same result or the error. Never asks the store, the cache or the
  // sources.
  enum class Use { kGetEvaluation, kEvaluate };
  std::shared_ptr<const Snapshot> CurrentAtHand(const std::string& district_code, int32_t school_year,
                                                const engine::Conventions& conventions, Use use) const;
  // Every district's, in district-code order, as EvaluateCity would answer.
  std::vector<std::shared_ptr<const Snapshot>> CityAtHand(int32_t school_year,
                                                          const engine::Conventions& conventions) const;

  // Validates a district-year request; adds violations.
  static void ValidateDistrictYear(const std::string& district_code, int32_t school_year, FieldViolations& violations);

 private:
  // Reads every input of a district-year.
  absl::StatusOr<SourceData> ReadInputs(const std::string& district_code, int32_t school_year);
  // The inputs' latest versions: known ones when `exact_only` is false or
  // they are exact, otherwise asked of the sources.
  absl::StatusOr<InputVersions> CurrentVersions(bool exact_only);
  // The snapshot of the district-year under `key` whose inputs are
  // `current`, from the cache or the store; empty when there is none.
  absl::StatusOr<std::optional<Snapshot>> FindCurrent(const std::string& district_code, int32_t school_year,
                                                      const std::string& key, const InputVersions& current);
  // Evaluates `data` and renders its reports.
  Snapshot MakeSnapshot(const SourceData& data, const engine::Conventions& conventions);
  // Stores `snapshot` unless one of the same or newer inputs is there (then
  // answers with that one); publishes its update.
  absl::StatusOr<Snapshot> Store(Snapshot snapshot);

  EvaluationRepository* repository_;
  SourceReader* sources_;
  WatchHub* hub_;
  std::function<int64_t()> now_unix_ms_;
  EvaluationObserver* observer_;
  EventPublisher* publisher_ = nullptr;
  SnapshotCache* cache_ = nullptr;
  SourceVersions* versions_ = nullptr;
  std::mutex store_mutex_;
};

// The indicators of `after` whose value, CV or verdict differ from
// `before` (all of them when `before` is null).
std::vector<engine::IndicatorResult> ChangedIndicators(const engine::DistrictEvaluation* before,
                                                       const engine::DistrictEvaluation& after);

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_INDICATOR_EVALUATION_H_
