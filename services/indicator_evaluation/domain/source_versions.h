#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_VERSIONS_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_VERSIONS_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "common/domain/events.h"
#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// What the evaluation service already knows of its sources' latest change
// versions, so that reads need not ask the sources: the change follower
// reports each source's latest version after every round it reads, and
// change events report the versions a write committed (registry, rotation,
// ledger, and the service's own district returns). The largest reported
// version wins.
//
// Known() is empty until the follower has reported every source once. When
// the events are delivered in the writing thread before the write is
// acknowledged (the in-process bus of `gzedu serve`), what is known is
// exact: mark it with set_announced_synchronously(true), and an evaluation
// request can trust it without asking the sources. Otherwise (events over
// Redis, or none) it can lag a write by the event's delivery or one follower
// round. Thread-safe.
class SourceVersions {
 public:
  // A source's latest version as the follower read it.
  void Observe(const std::string& source, int64_t latest_version);
  // A committed write's versions, from its change event.
  void Announce(const ChangeEvent& event);
  // The sources' latest versions, once each was observed.
  std::optional<InputVersions> Known() const;

  void set_announced_synchronously(bool synchronous);
  bool announced_synchronously() const;

 private:
  int64_t* Slot(const std::string& source);

  mutable std::mutex mutex_;
  InputVersions versions_;
  bool observed_registry_ = false;
  bool observed_rotation_ = false;
  bool observed_ledger_ = false;
  bool observed_returns_ = false;
  bool synchronous_ = false;
};

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_SOURCE_VERSIONS_H_
