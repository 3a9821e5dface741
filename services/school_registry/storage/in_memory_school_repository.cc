#include "services/school_registry/storage/in_memory_school_repository.h"

#include "absl/status/status.h"

namespace gzedu::registry {

class InMemorySchoolRepository::Transaction : public RegistryWriteTransaction {
 public:
  Transaction(InMemorySchoolRepository* owner, std::unique_lock<std::mutex> write_lock)
      : owner_(owner), write_lock_(std::move(write_lock)) {
    std::lock_guard<std::mutex> lock(owner_->state_mutex_);
    draft_ = owner_->state_;
  }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    auto it = draft_.requests.find(std::string(request_id));
    if (it == draft_.requests.end()) return std::optional<RequestRecord>();
    return std::optional<RequestRecord>(it->second);
  }

  absl::StatusOr<std::optional<School>> FindSchool(absl::string_view school_code) override {
    auto it = draft_.schools.find(std::string(school_code));
    if (it == draft_.schools.end()) return std::optional<School>();
    return std::optional<School>(it->second);
  }

  absl::StatusOr<std::optional<SchoolYearRecord>> FindSchoolYearRecord(const SchoolYearKey& key) override {
    auto it = draft_.records.find(key);
    if (it == draft_.records.end()) return std::optional<SchoolYearRecord>();
    return std::optional<SchoolYearRecord>(it->second);
  }

  absl::StatusOr<std::vector<int32_t>> ListSchoolYears(absl::string_view school_code) override {
    std::vector<int32_t> years;
    for (auto it = draft_.records.lower_bound({std::string(school_code), INT32_MIN});
         it != draft_.records.end() && it->first.school_code == school_code; ++it) {
      years.push_back(it->first.school_year);
    }
    return years;
  }

  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    Change stored = change;
    stored.change_version = static_cast<int64_t>(draft_.changes.size()) + 1;
    if (auto* school = std::get_if<School>(&stored.entity)) school->change_version = stored.change_version;
    if (auto* record = std::get_if<SchoolYearRecord>(&stored.entity)) record->change_version = stored.change_version;
    draft_.changes.push_back(std::move(stored));
    return draft_.changes.back().change_version;
  }

  absl::Status PutSchool(const School& school) override {
    draft_.schools[school.school_code] = school;
    return absl::OkStatus();
  }

  absl::Status PutSchoolYearRecord(const SchoolYearRecord& record) override {
    draft_.records[record.key()] = record;
    return absl::OkStatus();
  }

  absl::Status DeleteSchool(absl::string_view school_code) override {
    draft_.schools.erase(std::string(school_code));
    return absl::OkStatus();
  }

  absl::Status DeleteSchoolYearRecord(const SchoolYearKey& key) override {
    draft_.records.erase(key);
    return absl::OkStatus();
  }

  absl::Status PutRequest(const RequestRecord& request) override {
    if (!draft_.requests.emplace(request.request_id, request).second) {
      return absl::AlreadyExistsError("request id already recorded");
    }
    return absl::OkStatus();
  }

  absl::Status Commit() override {
    if (committed_) return absl::FailedPreconditionError("transaction already committed");
    std::lock_guard<std::mutex> lock(owner_->state_mutex_);
    owner_->state_ = std::move(draft_);
    committed_ = true;
    return absl::OkStatus();
  }

 private:
  InMemorySchoolRepository* owner_;
  std::unique_lock<std::mutex> write_lock_;
  State draft_;
  bool committed_ = false;
};

absl::StatusOr<std::unique_ptr<RegistryWriteTransaction>> InMemorySchoolRepository::BeginWrite() {
  std::unique_lock<std::mutex> write_lock(write_mutex_);
  return std::unique_ptr<RegistryWriteTransaction>(new Transaction(this, std::move(write_lock)));
}

absl::StatusOr<std::optional<School>> InMemorySchoolRepository::GetSchool(absl::string_view school_code) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  auto it = state_.schools.find(std::string(school_code));
  if (it == state_.schools.end()) return std::optional<School>();
  return std::optional<School>(it->second);
}

absl::StatusOr<std::vector<School>> InMemorySchoolRepository::ListSchools(absl::string_view district_code,
                                                                          absl::string_view after_code, int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<School> result;
  for (auto it = state_.schools.upper_bound(std::string(after_code));
       it != state_.schools.end() && static_cast<int32_t>(result.size()) < limit; ++it) {
    if (district_code.empty() || it->second.district_code == district_code) result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<SchoolYearRecord>> InMemorySchoolRepository::ListSchoolYearRecords(
    const RecordQuery& query) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<SchoolYearRecord> result;
  auto it = query.after.has_value() ? state_.records.upper_bound(*query.after) : state_.records.begin();
  for (; it != state_.records.end() && static_cast<int32_t>(result.size()) < query.limit; ++it) {
    if (query.school_year != 0 && it->first.school_year != query.school_year) continue;
    if (!query.district_code.empty()) {
      auto school = state_.schools.find(it->first.school_code);
      if (school == state_.schools.end() || school->second.district_code != query.district_code) continue;
    }
    result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<Change>> InMemorySchoolRepository::ListChanges(int64_t since_version, int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Change> result;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(since_version, 0));
       i < state_.changes.size() && static_cast<int32_t>(result.size()) < limit; ++i) {
    result.push_back(state_.changes[i]);
  }
  return result;
}

absl::StatusOr<int64_t> InMemorySchoolRepository::LatestChangeVersion() {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return static_cast<int64_t>(state_.changes.size());
}

}  // namespace gzedu::registry
