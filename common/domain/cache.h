#ifndef GZEDU_COMMON_DOMAIN_CACHE_H_
#define GZEDU_COMMON_DOMAIN_CACHE_H_

// Cache-aside storage for values whose keys name everything they depend on
// (input versions included), so an entry is never stale: it is either the
// right value or absent. A cache is an optimisation only: every failure is a
// miss, never an error.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace gzedu {

// Thread-safe.
class Cache {
 public:
  virtual ~Cache() = default;
  virtual std::optional<std::string> Get(const std::string& key) = 0;
  virtual void Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) = 0;
};

// A least-recently-used cache in process memory, bounded in bytes; TTLs are
// not needed (keys carry versions) and are ignored. Thread-safe.
class InProcessCache : public Cache {
 public:
  explicit InProcessCache(size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) override;

 private:
  using Entry = std::pair<std::string, std::string>;
  const size_t capacity_bytes_;
  std::mutex mutex_;
  std::list<Entry> entries_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_CACHE_H_
