#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQLITE_EVALUATION_REPOSITORY_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQLITE_EVALUATION_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/sqlite_database.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// An EvaluationRepository in one SQLite file (WAL, synchronous=FULL).
// Returns, snapshots and updates are kept as serialized contract messages
// (gzedu.indicators.v1), keyed by their natural keys. Thread-safe.
class SqliteEvaluationRepository : public EvaluationRepository {
 public:
  // Unavailable when the file cannot be opened; Internal when migrating
  // fails. `observer` may be null.
  static absl::StatusOr<std::unique_ptr<SqliteEvaluationRepository>> Open(const std::string& path,
                                                                          StorageObserver* observer);

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
  absl::Status CheckHealth() override;

 private:
  class Transaction;
  explicit SqliteEvaluationRepository(std::unique_ptr<SqliteDatabase> database) : database_(std::move(database)) {}
  std::unique_ptr<SqliteDatabase> database_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQLITE_EVALUATION_REPOSITORY_H_
