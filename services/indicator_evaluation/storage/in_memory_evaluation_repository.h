#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_IN_MEMORY_EVALUATION_REPOSITORY_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_IN_MEMORY_EVALUATION_REPOSITORY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// An EvaluationRepository in memory, for tests and the contract suite. A
// write transaction holds the repository's write lock until it commits or
// is dropped; its changes become visible only on commit. Thread-safe.
class InMemoryEvaluationRepository : public EvaluationRepository {
 public:
  absl::StatusOr<std::unique_ptr<ReturnsWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<DistrictReturn>> FindReturn(const std::string& district_code,
                                                           int32_t school_year) override;
  absl::StatusOr<int64_t> LatestReturnsVersion() override;
  absl::StatusOr<std::vector<ReturnChange>> ReturnChangesSince(int64_t since_version, int32_t limit) override;
  absl::Status PutSnapshot(Snapshot& snapshot, IndicatorUpdate* update) override;
  absl::StatusOr<std::optional<Snapshot>> FindSnapshot(const std::string& district_code, int32_t school_year,
                                                       const std::string& conventions_key) override;
  absl::StatusOr<std::vector<Snapshot>> SnapshotsUnder(const std::string& conventions_key) override;
  absl::StatusOr<std::vector<IndicatorUpdate>> UpdatesSince(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestVersion() override;
  absl::StatusOr<int64_t> GetCursor(const std::string& source) override;
  absl::Status PutCursor(const std::string& source, int64_t version) override;
  absl::Status CheckHealth() override { return absl::OkStatus(); }

 private:
  class Transaction;
  struct Returns {
    std::map<std::pair<std::string, int32_t>, DistrictReturn> by_key;
    std::vector<ReturnChange> changes;
    std::map<std::string, RequestRecord> requests;
  };

  std::mutex write_mutex_;  // held by the open write transaction
  std::mutex mutex_;        // guards the state below
  Returns returns_;
  std::map<std::tuple<std::string, int32_t, std::string>, Snapshot> snapshots_;
  std::map<int64_t, IndicatorUpdate> updates_;
  int64_t latest_version_ = 0;
  std::map<std::string, int64_t> cursors_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_IN_MEMORY_EVALUATION_REPOSITORY_H_
