#include "services/teacher_rotation/storage/in_memory_rotation_repository.h"

#include <set>

#include "common/domain/date.h"

namespace gzedu::rotation {

class InMemoryRotationRepository::Transaction : public RotationWriteTransaction {
 public:
  Transaction(InMemoryRotationRepository* owner, std::unique_lock<std::mutex> lock)
      : owner_(owner), lock_(std::move(lock)) {
    std::lock_guard<std::mutex> state_lock(owner_->state_mutex_);
    draft_ = owner_->state_;
  }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) override {
    auto it = draft_.requests.find(std::string(request_id));
    return it == draft_.requests.end() ? std::optional<RequestRecord>() : std::optional<RequestRecord>(it->second);
  }
  absl::Status PutRequest(const RequestRecord& request) override {
    if (!draft_.requests.emplace(request.request_id, request).second) {
      return absl::AlreadyExistsError("request id already recorded");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<Teacher>> FindTeacher(absl::string_view teacher_id) override {
    auto it = draft_.teachers.find(std::string(teacher_id));
    return it == draft_.teachers.end() ? std::optional<Teacher>() : std::optional<Teacher>(it->second);
  }
  absl::StatusOr<std::optional<Rotation>> FindRotation(absl::string_view rotation_id) override {
    auto it = draft_.rotations.find(std::string(rotation_id));
    return it == draft_.rotations.end() ? std::optional<Rotation>() : std::optional<Rotation>(it->second);
  }
  absl::StatusOr<std::vector<Rotation>> RotationsOfTeacher(absl::string_view teacher_id) override {
    std::vector<Rotation> result;
    for (const auto& [id, rotation] : draft_.rotations) {
      if (rotation.teacher_id == teacher_id) result.push_back(rotation);
    }
    return result;
  }
  absl::StatusOr<int64_t> CountRotations() override { return static_cast<int64_t>(draft_.rotations.size()); }
  absl::StatusOr<int64_t> NextChangeVersion() override { return static_cast<int64_t>(draft_.changes.size()) + 1; }
  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    Change stored = change;
    stored.change_version = static_cast<int64_t>(draft_.changes.size()) + 1;
    if (auto* teacher = std::get_if<Teacher>(&stored.entity)) teacher->change_version = stored.change_version;
    if (auto* rotation = std::get_if<Rotation>(&stored.entity)) rotation->change_version = stored.change_version;
    draft_.changes.push_back(std::move(stored));
    return draft_.changes.back().change_version;
  }
  absl::Status PutTeacher(const Teacher& teacher) override {
    draft_.teachers[teacher.teacher_id] = teacher;
    return absl::OkStatus();
  }
  absl::Status PutRotation(const Rotation& rotation) override {
    draft_.rotations[rotation.rotation_id] = rotation;
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    std::lock_guard<std::mutex> state_lock(owner_->state_mutex_);
    owner_->state_ = std::move(draft_);
    return absl::OkStatus();
  }

 private:
  InMemoryRotationRepository* owner_;
  std::unique_lock<std::mutex> lock_;
  State draft_;
};

absl::StatusOr<std::unique_ptr<RotationWriteTransaction>> InMemoryRotationRepository::BeginWrite() {
  std::unique_lock<std::mutex> lock(write_mutex_);
  return std::unique_ptr<RotationWriteTransaction>(new Transaction(this, std::move(lock)));
}

absl::StatusOr<std::vector<Teacher>> InMemoryRotationRepository::ListTeachers(absl::string_view district_code,
                                                                              absl::string_view school_code,
                                                                              absl::string_view after_id,
                                                                              int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Teacher> result;
  for (auto it = state_.teachers.upper_bound(std::string(after_id));
       it != state_.teachers.end() && static_cast<int32_t>(result.size()) < limit; ++it) {
    if (it->second.district_code != district_code) continue;
    if (!school_code.empty() && it->second.school_code != school_code) continue;
    result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<Teacher>> InMemoryRotationRepository::TeachersOfDistrict(absl::string_view district_code) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Teacher> result;
  for (const auto& [id, teacher] : state_.teachers) {
    if (teacher.district_code == district_code) result.push_back(teacher);
  }
  return result;
}

absl::StatusOr<std::vector<Teacher>> InMemoryRotationRepository::TeachersAroundSchool(absl::string_view school_code) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::set<std::string> ids;
  for (const auto& [id, teacher] : state_.teachers) {
    if (teacher.school_code == school_code) ids.insert(id);
  }
  for (const auto& [id, rotation] : state_.rotations) {
    if (rotation.state == RotationState::kApproved &&
        (rotation.to_school_code == school_code || rotation.from_school_code == school_code)) {
      ids.insert(rotation.teacher_id);
    }
  }
  std::vector<Teacher> result;
  for (const std::string& id : ids) {
    auto it = state_.teachers.find(id);
    if (it != state_.teachers.end()) result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<Rotation>> InMemoryRotationRepository::ListRotations(absl::string_view district_code,
                                                                                int32_t school_year,
                                                                                absl::string_view after_id,
                                                                                int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Rotation> result;
  for (auto it = state_.rotations.upper_bound(std::string(after_id));
       it != state_.rotations.end() && static_cast<int32_t>(result.size()) < limit; ++it) {
    if (it->second.district_code != district_code) continue;
    if (school_year != 0 && Date::Parse(it->second.effective_date)->SchoolYear() != school_year) continue;
    result.push_back(it->second);
  }
  return result;
}

absl::StatusOr<std::vector<Rotation>> InMemoryRotationRepository::ApprovedRotationsOfDistrict(
    absl::string_view district_code) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Rotation> result;
  for (const auto& [id, rotation] : state_.rotations) {
    if (rotation.district_code == district_code && rotation.state == RotationState::kApproved) {
      result.push_back(rotation);
    }
  }
  return result;
}

absl::StatusOr<std::vector<Rotation>> InMemoryRotationRepository::ApprovedRotationsOfTeachers(
    const std::vector<std::string>& ids) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  const std::set<std::string> wanted(ids.begin(), ids.end());
  std::vector<Rotation> result;
  for (const auto& [id, rotation] : state_.rotations) {
    if (rotation.state == RotationState::kApproved && wanted.count(rotation.teacher_id) > 0) {
      result.push_back(rotation);
    }
  }
  return result;
}

absl::StatusOr<std::vector<Change>> InMemoryRotationRepository::ListChanges(int64_t since_version, int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Change> result;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(since_version, 0));
       i < state_.changes.size() && static_cast<int32_t>(result.size()) < limit; ++i) {
    result.push_back(state_.changes[i]);
  }
  return result;
}

absl::StatusOr<int64_t> InMemoryRotationRepository::LatestChangeVersion() {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return static_cast<int64_t>(state_.changes.size());
}

}  // namespace gzedu::rotation
