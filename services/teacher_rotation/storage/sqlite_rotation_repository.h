#ifndef GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQLITE_ROTATION_REPOSITORY_H_
#define GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQLITE_ROTATION_REPOSITORY_H_

#include <memory>
#include <string>

#include "common/storage/sqlite_database.h"
#include "services/teacher_rotation/domain/rotation_repository.h"

namespace gzedu::rotation {

// A RotationRepository in one SQLite file (WAL, synchronous=FULL). Write
// transactions are BEGIN IMMEDIATE on the writer connection, one at a time;
// reads use the reader connection. Thread-safe.
class SqliteRotationRepository : public RotationRepository {
 public:
  // Opens or creates the file and applies migrations. Unavailable when the
  // file cannot be opened; Internal when a migration fails.
  static absl::StatusOr<std::unique_ptr<SqliteRotationRepository>> Open(const std::string& path,
                                                                        StorageObserver* observer);

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
  explicit SqliteRotationRepository(std::unique_ptr<SqliteDatabase> database) : database_(std::move(database)) {}
  std::unique_ptr<SqliteDatabase> database_;
};

}  // namespace gzedu::rotation

#endif  // GZEDU_SERVICES_TEACHER_ROTATION_STORAGE_SQLITE_ROTATION_REPOSITORY_H_
