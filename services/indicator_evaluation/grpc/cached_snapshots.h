#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>

#include "common/domain/cache.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"

namespace gzedu::indicators {

// Snapshots in a Cache (Redis or in process) as serialized contract
// messages with their reports, under keys naming the input versions; in
// front of it, the latest snapshot of each district-year and conventions in
// memory, decoded, so a read of a current snapshot neither asks the cache
// nor decodes. Thread-safe.
class CachedSnapshots : public SnapshotCache {
 public:
  // At most this many district-year-conventions are held in memory (the
  // city's 11 districts over a few years and conventions fit many times).
  static constexpr size_t kMaxInMemory = 4096;

  explicit CachedSnapshots(Cache* cache) : cache_(cache) {}
  std::optional<Snapshot> Get(const std::string& district_code, int32_t school_year, const std::string& conventions_key,
                              const InputVersions& versions) override;
  void Put(const Snapshot& snapshot) override;
  std::shared_ptr<const Snapshot> Peek(const std::string& district_code, int32_t school_year,
                                       const std::string& conventions_key, const InputVersions& versions) override;

 private:
  using MemoryKey = std::tuple<std::string, int32_t, std::string>;
  std::shared_ptr<const Snapshot> FindInMemory(const MemoryKey& key, const InputVersions& versions);
  void KeepInMemory(const Snapshot& snapshot);

  Cache* cache_;
  std::mutex mutex_;
  std::map<MemoryKey, std::shared_ptr<const Snapshot>> memory_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_
