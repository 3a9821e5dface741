#ifndef GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_OBSERVED_SCHOOL_REPOSITORY_H_
#define GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_OBSERVED_SCHOOL_REPOSITORY_H_

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/school_registry/domain/school_repository.h"

namespace gzedu::registry {

// One school a committed transaction wrote: its state as stored, or nullopt
// when it was deleted, and the change version of that write (the school's
// change_version, or its tombstone's).
struct SchoolWrite {
  std::string school_code;
  std::optional<School> school;
  int64_t change_version = 0;
};

// Told of every school as committed, to keep a copy of the schools exact
// (the registry's encoded schools, see EncodedSchools). Implementations must
// not block and must not call back into the repository.
class SchoolWriteObserver {
 public:
  virtual ~SchoolWriteObserver() = default;
  // Every school stored when the observer was attached, in school_code
  // order, as of change version `as_of_version` (every change up to it is
  // in); called once, before any Committed.
  virtual void Load(std::vector<School> schools, int64_t as_of_version) = 0;
  // The schools one transaction wrote, in the order it wrote them; called
  // after the commit and before the writer returns (so before the write is
  // acknowledged). Calls of transactions that commit together (a store's
  // group commit) may come in any order, and one may come after a Load
  // that already holds it: the change versions order them.
  virtual void Committed(const std::vector<SchoolWrite>& writes) = 0;
};

// A SchoolRepository that tells a SchoolWriteObserver of every school its
// write transactions commit. It can keep a copy exact only when every write
// to the store goes through it: use it on a store this process alone writes
// (in memory, or a SQLite file the process holds locked), never on a
// PostgreSQL database that replicas share. Thread-safe; does not own the
// store, which must outlive it, nor the observer.
class ObservedSchoolRepository : public SchoolRepository {
 public:
  explicit ObservedSchoolRepository(SchoolRepository* store) : store_(store) {}

  // Reads every school into observer->Load while no write can commit (it
  // holds a write transaction, rolled back), then tells the observer of
  // every commit from then on. Unavailable or Internal from the store, in
  // which case nothing is attached and the caller may try again;
  // FailedPrecondition when an observer is attached already.
  absl::Status Attach(SchoolWriteObserver* observer);

  absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> BeginWrite() override;
  absl::StatusOr<std::optional<School>> GetSchool(absl::string_view school_code) override {
    return store_->GetSchool(school_code);
  }
  absl::StatusOr<std::vector<School>> ListSchools(absl::string_view district_code, absl::string_view after_code,
                                                  int32_t limit) override {
    return store_->ListSchools(district_code, after_code, limit);
  }
  absl::StatusOr<std::vector<SchoolYearRecord>> ListSchoolYearRecords(const RecordQuery& query) override {
    return store_->ListSchoolYearRecords(query);
  }
  absl::StatusOr<std::vector<Change>> ListChanges(int64_t since_version, int32_t limit) override {
    return store_->ListChanges(since_version, limit);
  }
  absl::StatusOr<int64_t> LatestChangeVersion() override { return store_->LatestChangeVersion(); }
  absl::Status CheckHealth() override { return store_->CheckHealth(); }

 private:
  class Transaction;

  SchoolRepository* store_;
  // Set under a write transaction; a transaction reads it at its commit.
  std::atomic<SchoolWriteObserver*> observer_{nullptr};
};

}  // namespace gzedu::registry

#endif  // GZEDU_SERVICES_SCHOOL_REGISTRY_DOMAIN_OBSERVED_SCHOOL_REPOSITORY_H_
