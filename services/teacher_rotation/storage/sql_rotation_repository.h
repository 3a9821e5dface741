#ifndef GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQL_ROTATION_REPOSITORY_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQL_ROTATION_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/deferred_sql_database.h"
#include "common/storage/sql_database.h"
#include "services/teacher_rotation/domain/rotation_repository.h"

namespace gzedu::rotation {

// A RotationRepository on SQL (one SQLite file in WAL mode, or PostgreSQL).
// Write transactions run on the writer connection one at a time, across all
// replicas; reads use reader connections. Thread-safe.
class SqlRotationRepository : public RotationRepository {
 public:
  // Opens the database `url` names and applies migrations. Unavailable when
  // it cannot be reached; Internal when a migration fails.
  static absl::StatusOr<std::unique_ptr<SqlRotationRepository>> Open(absl::string_view url, StorageObserver* observer);
  // For a server that listens before its database is open: a repository
  // on a DeferredSqlDatabase for `url` with this adapter's migrations,
  // returned at once; every call answers Unavailable until
  // `*database`->OpenAndMigrate() has succeeded. `*database` is set to that
  // database, which the repository owns. `observer` may be null.
  static std::unique_ptr<SqlRotationRepository> OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                             DeferredSqlDatabase** database);

  absl::StatusOr<std::unique_ptr<RotationWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::vector<Teacher>> ListTeachers(absl::string_view district_code, absl::string_view school_code,
                                                    absl::string_view after_id, int32_t limit) override;
  absl::StatusOr<std::vector<Teacher>> TeachersOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Teacher>> TeachersAroundSchool(absl::string_view school_code) override;
  absl::StatusOr<std::vector<Rotation>> ListRotations(absl::string_view district_code, int32_t school_year,
                                                      absl::string_view after_id, int32_t limit) override;
  absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfDistrict(absl::string_view district_code) override;
  absl::StatusOr<std::vector<Rotation>> ApprovedRotationsOfTeachers(const std::vector<std::string>& ids) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override;

 private:
  class Transaction;
  explicit SqlRotationRepository(std::unique_ptr<SqlDatabase> database) : database_(std::move(database)) {}
  std::unique_ptr<SqlDatabase> database_;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQL_ROTATION_REPOSITORY_H_
