#include "services/indicator_evaluation/storage/in_memory_evaluation_repository.h"

#include "absl/strings/str_cat.h"

namespace gzedu::indicators {

class InMemoryEvaluationRepository::Transaction : public ReturnsWriteTransaction {
 public:
  explicit Transaction(InMemoryEvaluationRepository* repository)
      : repository_(repository), write_lock_(repository->write_mutex_) {
    std::lock_guard<std::mutex> lock(repository_->mutex_);
    staged_ = repository_->returns_;
  }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    auto it = staged_.requests.find(std::string(request_id));
    if (it == staged_.requests.end()) return std::optional<RequestRecord>();
    return std::optional<RequestRecord>(it->second);
  }
  absl::Status PutRequest(const RequestRecord& request) override {
    if (!staged_.requests.emplace(request.request_id, request).second) {
      return absl::AlreadyExistsError(absl::StrCat("request ", request.request_id, " exists"));
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<DistrictReturn>> FindReturn(const std::string& district_code,
                                                           int32_t school_year) override {
    auto it = staged_.by_key.find({district_code, school_year});
    if (it == staged_.by_key.end()) return std::optional<DistrictReturn>();
    return std::optional<DistrictReturn>(it->second);
  }
  absl::Status PutReturn(DistrictReturn& r) override {
    r.change_version = (staged_.changes.empty() ? 0 : staged_.changes.back().change_version) + 1;
    staged_.changes.push_back({r.district_code, r.school_year, r.change_version});
    staged_.by_key[{r.district_code, r.school_year}] = r;
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    std::lock_guard<std::mutex> lock(repository_->mutex_);
    repository_->returns_ = std::move(staged_);
    return absl::OkStatus();
  }

 private:
  InMemoryEvaluationRepository* repository_;
  std::unique_lock<std::mutex> write_lock_;
  Returns staged_;
};

absl::StatusOr<std::unique_ptr<ReturnsWriteTransaction>> InMemoryEvaluationRepository::BeginWrite() {
  return std::unique_ptr<ReturnsWriteTransaction>(new Transaction(this));
}

absl::StatusOr<std::optional<DistrictReturn>> InMemoryEvaluationRepository::FindReturn(const std::string& district_code,
                                                                                       int32_t school_year) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = returns_.by_key.find({district_code, school_year});
  if (it == returns_.by_key.end()) return std::optional<DistrictReturn>();
  return std::optional<DistrictReturn>(it->second);
}

absl::StatusOr<int64_t> InMemoryEvaluationRepository::LatestReturnsVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  return returns_.changes.empty() ? 0 : returns_.changes.back().change_version;
}

absl::StatusOr<std::vector<ReturnChange>> InMemoryEvaluationRepository::ReturnChangesSince(int64_t since_version,
                                                                                           int32_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ReturnChange> result;
  for (const ReturnChange& change : returns_.changes) {
    if (change.change_version <= since_version) continue;
    if (static_cast<int32_t>(result.size()) >= limit) break;
    result.push_back(change);
  }
  return result;
}

absl::Status InMemoryEvaluationRepository::PutSnapshot(Snapshot& snapshot, IndicatorUpdate* update) {
  std::lock_guard<std::mutex> lock(mutex_);
  snapshot.version = ++latest_version_;
  snapshots_[{snapshot.district_code, snapshot.school_year, snapshot.conventions_key}] = snapshot;
  if (update != nullptr) {
    update->version = snapshot.version;
    updates_[update->version] = *update;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Snapshot>> InMemoryEvaluationRepository::FindSnapshot(const std::string& district_code,
                                                                                   int32_t school_year,
                                                                                   const std::string& conventions_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = snapshots_.find({district_code, school_year, conventions_key});
  if (it == snapshots_.end()) return std::optional<Snapshot>();
  return std::optional<Snapshot>(it->second);
}

absl::StatusOr<std::vector<Snapshot>> InMemoryEvaluationRepository::SnapshotsUnder(const std::string& conventions_key) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<Snapshot> result;
  for (const auto& [key, snapshot] : snapshots_) {
    if (std::get<2>(key) == conventions_key) result.push_back(snapshot);
  }
  return result;
}

absl::StatusOr<std::vector<IndicatorUpdate>> InMemoryEvaluationRepository::UpdatesSince(int64_t since_version,
                                                                                        int32_t limit) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<IndicatorUpdate> result;
  for (auto it = updates_.upper_bound(since_version); it != updates_.end(); ++it) {
    if (static_cast<int32_t>(result.size()) >= limit) break;
    result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<int64_t> InMemoryEvaluationRepository::LatestVersion() {
  std::lock_guard<std::mutex> lock(mutex_);
  return latest_version_;
}

absl::StatusOr<int64_t> InMemoryEvaluationRepository::GetCursor(const std::string& source) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cursors_.find(source);
  return it == cursors_.end() ? 0 : it->second;
}

absl::Status InMemoryEvaluationRepository::PutCursor(const std::string& source, int64_t version) {
  std::lock_guard<std::mutex> lock(mutex_);
  cursors_[source] = version;
  return absl::OkStatus();
}

}  // namespace gzedu::indicators
