#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQL_SCHOOL_REPOSITORY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQL_SCHOOL_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/deferred_sql_database.h"
#include "common/storage/sql_database.h"
#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// A SchoolRepository on SQL: one SQLite file (WAL, synchronous=FULL) or a
// PostgreSQL database shared by every replica; a committed write survives a
// crash. Write transactions hold the database's writer connection and its
// serialising lock for their life, so they run one at a time across all
// replicas; reads use reader connections and see the last commit.
// Thread-safe.
class SqlSchoolRepository : public SchoolRepository {
 public:
  // Opens the database `url` names (OpenSqlDatabase), applying the schema
  // migrations as needed. Unavailable when it cannot be reached, Internal
  // when a migration fails. `observer` may be null.
  static absl::StatusOr<std::unique_ptr<SqlSchoolRepository>> Open(absl::string_view url, StorageObserver* observer);
  // For a server that listens before its database is open: a repository
  // on a DeferredSqlDatabase for `url` with this adapter's migrations,
  // returned at once; every call answers Unavailable until
  // `*database`->OpenAndMigrate() has succeeded. `*database` is set to that
  // database, which the repository owns. `observer` may be null.
  static std::unique_ptr<SqlSchoolRepository> OpenDeferred(absl::string_view url, StorageObserver* observer,
                                                           DeferredSqlDatabase** database);

  absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<School>> GetSchool(absl::string_view school_code) override;
  absl::StatusOr<std::vector<School>> ListSchools(absl::string_view district_code, absl::string_view after_code,
                                                  int32_t limit) override;
  absl::StatusOr<std::vector<SchoolYearRecord>> ListSchoolYearRecords(const RecordQuery& query) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override;

 private:
  class Transaction;
  explicit SqlSchoolRepository(std::unique_ptr<SqlDatabase> database) : database_(std::move(database)) {}

  std::unique_ptr<SqlDatabase> database_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQL_SCHOOL_REPOSITORY_H_
