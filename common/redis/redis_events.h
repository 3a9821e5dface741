#ifndef GZEDU_COMMON_REDIS_REDIS_EVENTS_H_
#define GZEDU_COMMON_REDIS_REDIS_EVENTS_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/domain/events.h"
#include "common/redis/redis_client.h"

namespace gzedu {

// The Redis stream every source service appends its change events to.
inline constexpr char kChangeStream[] = "gzedu:changes";

// Publishes change events with XADD to kChangeStream (capped at about
// 100,000 entries), from a thread of its own: Publish only queues the event,
// so a write is acknowledged at normal speed whether Redis answers, is down
// or hangs. The thread keeps each event until Redis took it, retrying with
// backoff, so events flow again when Redis returns and the first event after
// a connection the server closed while idle is sent again on a new one. The
// queue holds at most `max_queued` events; beyond that the oldest are dropped
// with a warning (at most one every 10 s): consumers catch up through
// ListChanges, so no change is lost, only announced later. Thread-safe; the
// destructor sends what is queued while Redis answers and drops the rest
// (it returns within about a second even if Redis hangs).
class RedisEventPublisher : public EventPublisher {
 public:
  explicit RedisEventPublisher(const std::string& url, size_t max_queued = 10000);
  ~RedisEventPublisher() override;
  void Publish(const ChangeEvent& event) override;

  // Events queued and not yet taken by Redis.
  size_t QueuedForTest();

 private:
  void Run();
  void WarnDropped(const std::string& reason, const std::string& source);

  RedisClient client_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<ChangeEvent> queue_;
  bool stopping_ = false;
  std::atomic<int64_t> last_warning_ms_{0};
  std::thread thread_;
};

// Reads kChangeStream in a consumer group (at least once: entries are
// acknowledged after the handler ran; entries delivered before a crash are
// read again first) and calls `handler` for each event. While Redis is
// down it retries with backoff; when Redis comes back (or the group had to
// be created again) it calls `on_resumed`, so the consumer catches up on
// what it may have missed. `on_connection` is told whether Redis answers.
// Thread-safe; Stop() before destroying what the callbacks use.
class RedisEventSubscriber {
 public:
  struct Callbacks {
    std::function<void(const ChangeEvent&)> handler;
    std::function<void()> on_resumed;
    std::function<void(bool connected)> on_connection;
  };
  RedisEventSubscriber(const std::string& url, std::string group, Callbacks callbacks);
  ~RedisEventSubscriber();

  void Start();
  void Stop();

 private:
  void Run();
  // Creates the group (and the stream) unless it exists.
  absl::Status EnsureGroup();
  // Handles the entries of an XREADGROUP reply and acknowledges them;
  // returns how many there were.
  size_t Handle(const RedisReply& reply);

  RedisClient client_;
  const std::string group_;
  const std::string consumer_;
  const Callbacks callbacks_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// Decodes an event from a stream entry's field list (f1, v1, f2, v2, ...).
ChangeEvent DecodeChangeEvent(const std::vector<RedisReply>& fields);

}  // namespace gzedu

#endif  // GZEDU_COMMON_REDIS_REDIS_EVENTS_H_
