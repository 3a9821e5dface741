#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQL_EVALUATION_REPOSITORY_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQL_EVALUATION_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/deferred_sql_database.h"
#include "common/storage/sql_database.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// An EvaluationRepository on SQL (one SQLite file, or PostgreSQL).
// Returns, snapshots and updates are kept as serialized contract messages
// (gzedu.indicators.v1), keyed by their natural keys. Thread-safe.
class SqlEvaluationRepository : public EvaluationRepository {
 public:
  // Opens the database `url` names. Unavailable when it cannot be reached;
  // Internal when migrating fails. `observer` may be null.
  static absl::StatusOr<std::unique_ptr<SqlEvaluationRepository>> Open(absl::string_view url,
                                                                       StorageObserver* observer);
  // For a server that listens before its database is open: a repository
  // on a DeferredSqlDatabase for `url` with this adapter's migrations,
  // returned at once; every call answers Unavailable until
  // `*database`->OpenAndMigrate() has succeeded. `*database` is set to that
  // database, which the repository owns. `observer` may be null.
  static std::unique_ptr<SqlEvaluationRepository> OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                               DeferredSqlDatabase** database);

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
  explicit SqlEvaluationRepository(std::unique_ptr<SqlDatabase> database) : database_(std::move(database)) {}
  std::unique_ptr<SqlDatabase> database_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_STORAGE_SQL_EVALUATION_REPOSITORY_H_
