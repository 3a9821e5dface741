#ifndef GZEDU_COMMON_STORAGE_STORAGE_OBSERVER_H_
#define GZEDU_COMMON_STORAGE_STORAGE_OBSERVER_H_

#include "absl/strings/string_view.h"

namespace gzedu {

// Told about every storage operation, so latency can be exported without the
// storage adapters knowing about Prometheus. `operation` comes from a small
// fixed set of names chosen by the adapters (it becomes a metric label).
// Implementations must be thread-safe.
class StorageObserver {
 public:
  virtual ~StorageObserver() = default;
  virtual void ObserveOperation(absl::string_view operation, double seconds, bool ok) = 0;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_STORAGE_OBSERVER_H_
