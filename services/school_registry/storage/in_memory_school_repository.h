#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_IN_MEMORY_SCHOOL_REPOSITORY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_IN_MEMORY_SCHOOL_REPOSITORY_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// A SchoolRepository in memory, for tests and for trying the service without
// a disk. Nothing survives the process. Thread-safe: a write transaction
// holds the repository's lock until it commits or is dropped, and works on a
// copy of the state that replaces the original at Commit().
class InMemorySchoolRepository : public SchoolRepository {
 public:
  // Everything the repository holds; copied by each write transaction.
  struct State {
    std::map<std::string, School> schools;
    std::map<SchoolYearKey, SchoolYearRecord> records;
    std::vector<Change> changes;  // changes[i].change_version == i + 1
    std::map<std::string, RequestRecord> requests;
  };

  absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<School>> GetSchool(absl::string_view school_code) override;
  absl::StatusOr<std::vector<School>> ListSchools(absl::string_view district_code, absl::string_view after_code,
                                                  int32_t limit) override;
  absl::StatusOr<std::vector<SchoolYearRecord>> ListSchoolYearRecords(const RecordQuery& query) override;
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override;
  absl::StatusOr<int64_t> LatestChangeVersion() override;
  absl::Status CheckHealth() override { return absl::OkStatus(); }

 private:
  class Transaction;

  std::mutex write_mutex_;  // held by the open write transaction
  std::mutex state_mutex_;  // guards state_
  State state_;
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_STORAGE_IN_MEMORY_SCHOOL_REPOSITORY_H_
