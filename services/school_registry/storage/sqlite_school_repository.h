#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQLITE_SCHOOL_REPOSITORY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQLITE_SCHOOL_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/sqlite_database.h"
#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// A SchoolRepository in one SQLite file (WAL, synchronous=FULL): a committed
// write survives a crash. Write transactions are BEGIN IMMEDIATE on the
// database's writer connection, held for the transaction's life, so they
// run one at a time; reads use the reader connection and see the last
// commit. Thread-safe.
class SqliteSchoolRepository : public SchoolRepository {
 public:
  // Opens the file at `path`, creating it and applying the schema
  // migrations as needed. Unavailable when the file cannot be opened,
  // Internal when a migration fails. `observer` may be null.
  static absl::StatusOr<std::unique_ptr<SqliteSchoolRepository>> Open(const std::string& path,
                                                                      StorageObserver* observer);

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
  explicit SqliteSchoolRepository(std::unique_ptr<SqliteDatabase> database) : database_(std::move(database)) {}

  std::unique_ptr<SqliteDatabase> database_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_SQLITE_SCHOOL_REPOSITORY_H_
