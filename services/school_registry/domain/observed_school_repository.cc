#include "services/school_registry/domain/observed_school_repository.h"

#include <map>
#include <utility>
#include <variant>

#include "common/status/macros.h"

namespace gzedu::registry {

// Forwards everything to the store's transaction and notes the schools it
// puts and deletes, for the observer at Commit.
class ObservedSchoolRepository::Transaction : public RegistryWriteTransaction {
 public:
  Transaction(ObservedSchoolRepository* owner, std::unique_ptr<RegistryWriteTransaction> inner)
      : owner_(owner), inner_(std::move(inner)) {}

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    return inner_->FindRequest(request_id);
  }
  absl::Status PutRequest(const RequestRecord& request) override { return inner_->PutRequest(request); }
  absl::Status PrefetchSchools(const std::vector<std::string>& school_codes) override {
    return inner_->PrefetchSchools(school_codes);
  }
  absl::Status PrefetchSchoolYearRecords(const std::vector<SchoolYearKey>& keys) override {
    return inner_->PrefetchSchoolYearRecords(keys);
  }
  absl::StatusOr<std::optional<School>> FindSchool(absl::string_view school_code) override {
    return inner_->FindSchool(school_code);
  }
  absl::StatusOr<std::optional<SchoolYearRecord>> FindSchoolYearRecord(const SchoolYearKey& key) override {
    return inner_->FindSchoolYearRecord(key);
  }
  absl::StatusOr<std::vector<int32_t>> ListSchoolYears(absl::string_view school_code) override {
    return inner_->ListSchoolYears(school_code);
  }
  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    ASSIGN_OR_RETURN(int64_t version, inner_->AppendChange(change));
    // A school's tombstone gives its deletion's version.
    if (const auto* code = std::get_if<std::string>(&change.entity); code != nullptr) {
      tombstone_versions_[*code] = version;
    }
    last_version_ = version;
    return version;
  }
  absl::Status PutSchool(const School& school) override {
    RETURN_IF_ERROR(inner_->PutSchool(school));
    writes_.push_back(SchoolWrite{school.school_code, school, school.change_version});
    return absl::OkStatus();
  }
  absl::Status PutSchoolYearRecord(const SchoolYearRecord& record) override {
    return inner_->PutSchoolYearRecord(record);
  }
  absl::Status DeleteSchool(absl::string_view school_code) override {
    RETURN_IF_ERROR(inner_->DeleteSchool(school_code));
    auto tombstone = tombstone_versions_.find(school_code);
    writes_.push_back(SchoolWrite{std::string(school_code), std::nullopt,
                                  tombstone != tombstone_versions_.end() ? tombstone->second : last_version_});
    return absl::OkStatus();
  }
  absl::Status DeleteSchoolYearRecord(const SchoolYearKey& key) override { return inner_->DeleteSchoolYearRecord(key); }

  absl::Status Commit() override {
    RETURN_IF_ERROR(inner_->Commit());
    if (SchoolWriteObserver* observer = owner_->observer_.load(std::memory_order_acquire);
        observer != nullptr && !writes_.empty()) {
      observer->Committed(writes_);
    }
    writes_.clear();
    return absl::OkStatus();
  }

 private:
  ObservedSchoolRepository* owner_;
  std::unique_ptr<RegistryWriteTransaction> inner_;
  std::vector<SchoolWrite> writes_;
  std::map<std::string, int64_t, std::less<>> tombstone_versions_;
  int64_t last_version_ = 0;
};

absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> ObservedSchoolRepository::BeginWrite() {
  ASSIGN_OR_RETURN(std::unique_ptr<RegistryWriteTransaction> inner, store_->BeginWrite());
  return std::unique_ptr<RegistryWriteTransaction>(new Transaction(this, std::move(inner)));
}

absl::Status ObservedSchoolRepository::Attach(SchoolWriteObserver* observer) {
  // Holding a write transaction, no other can commit while the schools are
  // read and the observer set; it is rolled back (nothing written).
  ASSIGN_OR_RETURN(std::unique_ptr<RegistryWriteTransaction> hold, store_->BeginWrite());
  if (observer_.load(std::memory_order_acquire) != nullptr) {
    return absl::FailedPreconditionError("a school write observer is attached already");
  }
  ASSIGN_OR_RETURN(const int64_t as_of_version, store_->LatestChangeVersion());
  constexpr int32_t kSchoolsPerRead = 1000;
  std::vector<School> schools;
  std::string after;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<School> batch, store_->ListSchools("", after, kSchoolsPerRead));
    if (batch.empty()) break;
    after = batch.back().school_code;
    const bool last = static_cast<int32_t>(batch.size()) < kSchoolsPerRead;
    for (School& school : batch) schools.push_back(std::move(school));
    if (last) break;
  }
  observer->Load(std::move(schools), as_of_version);
  observer_.store(observer, std::memory_order_release);
  return absl::OkStatus();
}

}  // namespace gzedu::registry
