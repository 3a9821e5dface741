#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_

#include <optional>
#include <string>

#include "common/domain/cache.h"
#include "services/indicator_evaluation/domain/indicator_evaluation.h"

namespace gzedu::indicators {

// Snapshots in a Cache (Redis or in process) as serialized contract
// messages with their reports, under keys naming the input versions.
// Thread-safe.
class CachedSnapshots : public SnapshotCache {
 public:
  explicit CachedSnapshots(Cache* cache) : cache_(cache) {}
  std::optional<Snapshot> Get(const std::string& district_code, int32_t school_year, const std::string& conventions_key,
                              const InputVersions& versions) override;
  void Put(const Snapshot& snapshot) override;

 private:
  Cache* cache_;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_GRPC_CACHED_SNAPSHOTS_H_
