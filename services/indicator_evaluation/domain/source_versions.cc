#include "services/indicator_evaluation/domain/source_versions.h"

#include <algorithm>

namespace gzedu::indicators {

int64_t* SourceVersions::Slot(const std::string& source) {
  if (source == "registry") return &versions_.registry_version;
  if (source == "rotation") return &versions_.rotation_version;
  if (source == "ledger") return &versions_.ledger_version;
  if (source == "returns") return &versions_.returns_version;
  return nullptr;
}

void SourceVersions::Observe(const std::string& source, int64_t latest_version) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t* slot = Slot(source);
  if (slot == nullptr) return;
  *slot = std::max(*slot, latest_version);
  if (source == "registry") observed_registry_ = true;
  if (source == "rotation") observed_rotation_ = true;
  if (source == "ledger") observed_ledger_ = true;
  if (source == "returns") observed_returns_ = true;
}

void SourceVersions::Announce(const ChangeEvent& event) {
  std::lock_guard<std::mutex> lock(mutex_);
  int64_t* slot = Slot(event.source);
  if (slot != nullptr) *slot = std::max(*slot, event.last_version);
}

std::optional<InputVersions> SourceVersions::Known() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!observed_registry_ || !observed_rotation_ || !observed_ledger_ || !observed_returns_) return std::nullopt;
  return versions_;
}

void SourceVersions::set_announced_synchronously(bool synchronous) {
  std::lock_guard<std::mutex> lock(mutex_);
  synchronous_ = synchronous;
}

bool SourceVersions::announced_synchronously() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return synchronous_;
}

}  // namespace gzedu::indicators
