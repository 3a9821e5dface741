#include "common/domain/events.h"

namespace gzedu {

void InProcessEventBus::Subscribe(Subscriber subscriber) {
  std::lock_guard<std::mutex> lock(mutex_);
  subscribers_.push_back(std::move(subscriber));
}

void InProcessEventBus::Publish(const ChangeEvent& event) {
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    subscribers = subscribers_;
  }
  for (const Subscriber& subscriber : subscribers) subscriber(event);
}

}  // namespace gzedu
