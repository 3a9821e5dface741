#include "common/domain/cache.h"

namespace gzedu {

std::optional<std::string> InProcessCache::Get(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  entries_.splice(entries_.begin(), entries_, it->second);
  return it->second->second;
}

void InProcessCache::Put(const std::string& key, const std::string& value, std::chrono::seconds) {
  const size_t size = key.size() + value.size();
  if (size > capacity_bytes_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    bytes_ -= it->second->first.size() + it->second->second.size();
    entries_.erase(it->second);
    index_.erase(it);
  }
  entries_.emplace_front(key, value);
  index_[key] = entries_.begin();
  bytes_ += size;
  while (bytes_ > capacity_bytes_ && !entries_.empty()) {
    const Entry& last = entries_.back();
    bytes_ -= last.first.size() + last.second.size();
    index_.erase(last.first);
    entries_.pop_back();
  }
}

}  // namespace gzedu
