#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_EVALUATION_REPOSITORY_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_EVALUATION_REPOSITORY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/domain/requests.h"
#include "services/indicator_evaluation/domain/district_return.h"
#include "services/indicator_evaluation/engine/model.h"

namespace gzedu::indicators {

// The change versions of every input of an evaluation. A snapshot is
// current while none of them has moved.
struct InputVersions {
  int64_t registry_version = 0;
  int64_t rotation_version = 0;
  int64_t ledger_version = 0;
  int64_t returns_version = 0;
  bool operator==(const InputVersions& other) const {
    return registry_version == other.registry_version && rotation_version == other.rotation_version &&
           ledger_version == other.ledger_version && returns_version == other.returns_version;
  }
  bool operator!=(const InputVersions& other) const { return !(*this == other); }
};

// Names a set of conventions in storage keys: "strict" for the national
// reading (all defaults), otherwise every setting in a fixed order.
std::string ConventionsKey(const engine::Conventions& conventions);

// A stored evaluation of one district-year under one set of conventions.
struct Snapshot {
  std::string district_code;
  int32_t school_year = 0;
  std::string conventions_key;  // ConventionsKey() of the conventions applied
  InputVersions input_versions;
  int64_t version = 0;  // in the service's evaluation sequence; set on Put
  int64_t evaluated_at_unix_ms = 0;
  // The engine's result. Stored without per-section values (stages keep
  // their totals, CVs and counts; plans, notes and failing lists are kept).
  engine::DistrictEvaluation evaluation;
  std::string report_zh;
  std::string report_en;
};

// The indicators of a district-year that changed in one evaluation: what
// watchers receive. Its version is the snapshot's.
struct IndicatorUpdate {
  int64_t version = 0;
  std::string district_code;
  int32_t school_year = 0;
  std::vector<engine::IndicatorResult> indicators;
  engine::OverallVerdict verdict = engine::OverallVerdict::kIncomplete;
  InputVersions input_versions;
  int64_t evaluated_at_unix_ms = 0;
};

// A district-year whose returns changed, with the version of the change.
struct ReturnChange {
  std::string district_code;
  int32_t school_year = 0;
  int64_t change_version = 0;
};

// One write of district returns. Not thread-safe; dropped uncommitted, it
// rolls back.
class ReturnsWriteTransaction : public RequestLog {
 public:
  virtual absl::StatusOr<std::optional<DistrictReturn>> FindReturn(const std::string& district_code,
                                                                   int32_t school_year) = 0;
  // Assigns the next change version to `r` (written into it) and stores it.
  virtual absl::Status PutReturn(DistrictReturn& r) = 0;
  // Unavailable when the store cannot make it durable.
  virtual absl::Status Commit() = 0;
};

// Where the evaluation service keeps district returns, snapshots, the
// update log watchers resume from, and its read positions in the sources'
// change feeds. Thread-safe. Snapshot and update writes come from one
// evaluation thread at a time (the service serialises them).
class EvaluationRepository {
 public:
  virtual ~EvaluationRepository() = default;

  virtual absl::StatusOr<std::unique_ptr<ReturnsWriteTransaction>> BeginWrite() = 0;
  virtual absl::StatusOr<std::optional<DistrictReturn>> FindReturn(const std::string& district_code,
                                                                   int32_t school_year) = 0;
  // The returns' latest change version, 0 when none.
  virtual absl::StatusOr<int64_t> LatestReturnsVersion() = 0;
  // Returns written after `since_version`, in version order, at most `limit`.
  virtual absl::StatusOr<std::vector<ReturnChange>> ReturnChangesSince(int64_t since_version, int32_t limit) = 0;

  // Stores `snapshot` (assigning snapshot.version) and, when given, the
  // update it produced (with the same version), atomically; the snapshot
  // replaces the previous one of its district, year and conventions.
  virtual absl::Status PutSnapshot(Snapshot& snapshot, IndicatorUpdate* update) = 0;
  virtual absl::StatusOr<std::optional<Snapshot>> FindSnapshot(const std::string& district_code, int32_t school_year,
                                                               const std::string& conventions_key) = 0;
  // The latest snapshot of every district-year under `conventions_key`.
  virtual absl::StatusOr<std::vector<Snapshot>> SnapshotsUnder(const std::string& conventions_key) = 0;
  // Updates after `since_version` in version order, at most `limit`.
  virtual absl::StatusOr<std::vector<IndicatorUpdate>> UpdatesSince(int64_t since_version, int32_t limit) = 0;
  // The latest snapshot version, 0 when none.
  virtual absl::StatusOr<int64_t> LatestVersion() = 0;

  // How far the change follower has read each source's feed ("registry",
  // "rotation", "ledger", "returns"); 0 when never.
  virtual absl::StatusOr<int64_t> GetCursor(const std::string& source) = 0;
  virtual absl::Status PutCursor(const std::string& source, int64_t version) = 0;

  virtual absl::Status CheckHealth() = 0;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_EVALUATION_REPOSITORY_H_
