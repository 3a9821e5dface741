#ifndef GZEDU_COMMON_DOMAIN_EVENTS_H_
#define GZEDU_COMMON_DOMAIN_EVENTS_H_

// Change events: every source service announces each committed write so
// the evaluation service can recompute the district-years it touched. An
// event is a hint, never the data: a consumer reads the changes themselves
// through the source's ListChanges, so a lost or repeated event costs a
// delay or a redundant read, never a wrong result.

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace gzedu {

// One committed write of one source service.
struct ChangeEvent {
  std::string source;  // "registry", "rotation", "ledger" or "returns"
  int64_t first_version = 0;
  int64_t last_version = 0;
  std::set<std::string> district_codes;  // the districts the write touched
};

// Where a service announces its committed writes (in-process bus, Redis
// Streams). Publish is called after the commit, must not block for long and
// must not fail the write: an implementation that cannot deliver logs and
// drops the event (consumers catch up through ListChanges). Thread-safe.
class EventPublisher {
 public:
  virtual ~EventPublisher() = default;
  virtual void Publish(const ChangeEvent& event) = 0;
};

// Collects what one write touched, then publishes it once after commit.
class ChangeEventBuilder {
 public:
  explicit ChangeEventBuilder(std::string source) { event_.source = std::move(source); }
  void Add(const std::string& district_code, int64_t version) {
    if (event_.first_version == 0) event_.first_version = version;
    event_.last_version = version;
    if (!district_code.empty()) event_.district_codes.insert(district_code);
  }
  // The districts of the changes added so far.
  const std::set<std::string>& districts() const { return event_.district_codes; }
  // Publishes when something was written and a publisher is set.
  void PublishTo(EventPublisher* publisher) const {
    if (publisher != nullptr && event_.last_version > 0) publisher->Publish(event_);
  }

 private:
  ChangeEvent event_;
};

// Calls every subscriber in the process, in the publishing thread.
// Thread-safe; subscribers must be quick (they typically wake a thread) and
// outlive the bus's use.
class InProcessEventBus : public EventPublisher {
 public:
  using Subscriber = std::function<void(const ChangeEvent&)>;
  void Subscribe(Subscriber subscriber);
  void Publish(const ChangeEvent& event) override;

 private:
  std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_EVENTS_H_
