#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_WATCH_HUB_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_WATCH_HUB_H_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <variant>

#include <vector>

#include "absl/status/status.h"

#include "services/indicator_evaluation/domain/evaluation_repository.h"

namespace gzedu::indicators {

// Which updates a watcher wants.
struct WatchFilter {
  std::set<std::string> district_codes;  // empty: all
  std::set<std::string> indicator_ids;   // empty: all
  int32_t school_year = 0;               // 0: any
  int64_t resume_after_version = 0;      // > 0: replay the log after it first
  bool initial_state = false;            // start with the latest snapshots
};

struct Heartbeat {
  int64_t latest_version = 0;
  int64_t unix_ms = 0;
};

struct ResyncRequired {
  int64_t last_delivered_version = 0;
  std::string reason;
};

// One message for a watcher. An update marked initial_state is part of the
// first picture, not a change.
struct WatchMessage {
  std::variant<IndicatorUpdate, Heartbeat, ResyncRequired> event;
  bool initial_state = false;
};

// One subscriber's queue. The transport pops messages one at a time (one
// write in flight) after `on_ready` tells it there is something to send.
// When the queue would exceed its capacity the watcher has fallen behind:
// its queue is replaced by one ResyncRequired and it is closed, and the
// stream ends with the status of ending() (the client resumes with its last
// version). A watcher that fell behind and still has not taken its
// ResyncRequired when the hub releases it (its client reads nothing) is
// abandoned: its queue goes and the transport cancels the stream, so it
// holds no memory until the client leaves. Thread-safe.
class Watcher {
 public:
  Watcher(WatchFilter filter, size_t capacity, std::function<void()> on_ready)
      : filter_(std::move(filter)), capacity_(capacity), on_ready_(std::move(on_ready)) {}

  const WatchFilter& filter() const { return filter_; }
  // The next message, or nullopt when the queue is empty.
  std::optional<std::shared_ptr<const WatchMessage>> Pop();
  // True once the watcher was told to resynchronise and its queue is empty,
  // or it was cancelled: the transport finishes the stream.
  bool Done();
  // The transport's stream ended; nothing more is queued.
  void Cancel();
  // How the stream ends once Done(): OK, or ABORTED when the watcher fell
  // behind (the message names the version to resume after), or UNAVAILABLE
  // when the server shuts down.
  absl::Status ending();
  // The hub gave up on the watcher (it fell behind and read nothing since):
  // the transport cancels the stream even with a write in flight.
  bool Abandoned();
  // The version of the last update popped (0 if none).
  int64_t last_delivered_version();

 private:
  friend class WatchHub;
  // Queues `message` unless closed or, for an update (`version` > 0), one
  // of that version was queued already; false when closed.
  bool Push(std::shared_ptr<const WatchMessage> message, int64_t version);
  // Updates up to `version` are not queued (the watcher has them).
  void SkipTo(int64_t version);
  // No more messages are queued; the stream ends once the queue is sent.
  void Close();
  // Close(), ending the stream with UNAVAILABLE: the server shuts down.
  void CloseForShutdown();
  // Replaces the queue by `resync` and closes, without calling on_ready;
  // the stream ends with UNAVAILABLE.
  void CloseWith(ResyncRequired resync);
  bool Finished();
  bool Idle(std::chrono::steady_clock::time_point since);
  // Abandons the watcher if it fell behind before `before` and its
  // ResyncRequired is still queued; true if it did (then calls on_ready).
  bool AbandonIfStale(std::chrono::steady_clock::time_point before);

  const WatchFilter filter_;
  const size_t capacity_;
  const std::function<void()> on_ready_;
  std::mutex mutex_;
  std::deque<std::shared_ptr<const WatchMessage>> queue_;
  int64_t last_queued_version_ = 0;
  int64_t last_delivered_version_ = 0;
  bool closed_ = false;
  bool cancelled_ = false;
  bool fell_behind_ = false;
  bool abandoned_ = false;
  absl::Status ending_;
  std::chrono::steady_clock::time_point fell_behind_at_{};
  std::chrono::steady_clock::time_point last_push_ = std::chrono::steady_clock::now();
};

// Fans indicator updates out to watchers. One dispatcher thread does all
// the work in order (registration with its replay from the update log,
// fan-out, heartbeats, reading the log for updates other replicas stored),
// so a watcher sees every update after its resume point exactly once, in
// version order, whichever replica computed it, and no watcher's slowness
// delays another (each has its own bounded queue; the dispatcher never waits
// for a transport). Thread-safe.
class WatchHub {
 public:
  struct Options {
    size_t queue_capacity = 1024;
    std::chrono::milliseconds heartbeat_interval{15000};
    // How often the update log is read for updates this process did not
    // publish (another replica on the same database wrote them); 0: never.
    std::chrono::milliseconds log_poll_interval{0};
    // How long a watcher that fell behind may take to read its
    // ResyncRequired before it is abandoned (checked at each fan-out and
    // heartbeat).
    std::chrono::milliseconds release_after{30000};
  };
  // `repository` (not owned) is read for replays and initial states.
  WatchHub(EvaluationRepository* repository, Options options, std::function<int64_t()> now_unix_ms);
  ~WatchHub();

  // Registers a watcher; its replay or initial state is queued before any
  // live update. After Shutdown the watcher comes back closed, holding one
  // ResyncRequired (on_ready is not called: the transport looks itself). `on_ready` is called (from the dispatcher
  // thread, never under a lock of the caller) whenever the queue gains a message.
  // A live watcher (no resume point, no initial state) gets every update
  // stored after this call returns.
  std::shared_ptr<Watcher> Subscribe(WatchFilter filter, std::function<void()> on_ready);
  // Publishes an update stored in the repository. Updates stored before it
  // and not yet published (by another replica, or by a thread of this one
  // that has not published yet) go out first, from the log: update versions
  // are assigned in commit order, so every smaller version is stored by now.
  void Publish(IndicatorUpdate update);
  // Watchers currently registered.
  size_t watcher_count();
  // Finishes every watcher and stops the dispatcher.
  void Shutdown();

 private:
  using Task = std::function<void()>;
  void Post(Task task);
  void Run();
  // Queues the log after `from` (>= 0), or the initial state (-1), then
  // adds the watcher to the fan-out.
  void Register(const std::shared_ptr<Watcher>& watcher, int64_t from);
  void FanOut(const IndicatorUpdate& update);
  // Fans out the stored updates after latest_version_ and before `before`
  // (0: all). A read error leaves them for the next call.
  void CatchUp(int64_t before);
  void Heartbeats();

  EvaluationRepository* repository_;
  const Options options_;
  const std::function<int64_t()> now_unix_ms_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;
  // Drops finished watchers from watchers_.
  void Sweep();

  // Subscribed, not yet registered by the dispatcher (under mutex_):
  // Shutdown ends them too.
  std::set<std::shared_ptr<Watcher>> pending_;
  std::vector<std::shared_ptr<Watcher>> watchers_;  // dispatcher thread only
  std::atomic<size_t> watcher_count_{0};
  int64_t latest_version_ = 0;  // dispatcher thread only
  bool stopping_ = false;
  std::thread thread_;
};

// The part of `update` that `filter` wants (indicators filtered), or
// nullopt when it wants none of it.
std::optional<IndicatorUpdate> Matching(const IndicatorUpdate& update, const WatchFilter& filter);

}  // namespace gzedu::indicators

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_DOMAIN_WATCH_HUB_H_
