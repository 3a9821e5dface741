#include "services/indicator_evaluation/domain/watch_hub.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/localized_text.h"
#include "common/status/server_state.h"
#include "common/status/status_text.h"

namespace gzedu::indicators {
namespace {

constexpr char kShuttingDown[] = "the server is shutting down; resume on another replica or after restart";
constexpr char kShuttingDownZh[] = "服务正在停止；请在其他副本上或重启后继续订阅";

// Replays read the update log in pages of this many.
constexpr int32_t kReplayPage = 500;

bool WantsDistrict(const WatchFilter& filter, const std::string& district_code, int32_t school_year) {
  if (filter.school_year != 0 && filter.school_year != school_year) return false;
  return filter.district_codes.empty() || filter.district_codes.count(district_code) > 0;
}

}  // namespace

std::optional<IndicatorUpdate> Matching(const IndicatorUpdate& update, const WatchFilter& filter) {
  if (!WantsDistrict(filter, update.district_code, update.school_year)) return std::nullopt;
  if (filter.indicator_ids.empty()) return update;
  IndicatorUpdate part = update;
  part.indicators.clear();
  for (const engine::IndicatorResult& r : update.indicators) {
    if (filter.indicator_ids.count(r.indicator_id) > 0) part.indicators.push_back(r);
  }
  if (part.indicators.empty()) return std::nullopt;
  return part;
}

std::optional<std::shared_ptr<const WatchMessage>> Watcher::Pop() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (queue_.empty()) return std::nullopt;
  std::shared_ptr<const WatchMessage> message = std::move(queue_.front());
  queue_.pop_front();
  if (const auto* update = std::get_if<IndicatorUpdate>(&message->event); update && !message->initial_state) {
    last_delivered_version_ = update->version;
  }
  return message;
}

bool Watcher::Done() {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_ || abandoned_ || (closed_ && queue_.empty());
}

void Watcher::Cancel() {
  std::lock_guard<std::mutex> lock(mutex_);
  cancelled_ = true;
  queue_.clear();
}

bool Watcher::Push(std::shared_ptr<const WatchMessage> message, int64_t version) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || cancelled_) return false;
    if (version > 0) {
      // A replayed update may also arrive live: deliver each version once.
      if (version <= last_queued_version_) return true;
      last_queued_version_ = version;
    }
    last_push_ = std::chrono::steady_clock::now();
    if (queue_.size() >= capacity_) {
      queue_.clear();
      auto resync = std::make_shared<WatchMessage>();
      resync->event = ResyncRequired{last_delivered_version_,
                                     "the watcher fell behind; resume with resume_after_version = the last version "
                                     "received"};
      queue_.push_back(std::move(resync));
      closed_ = true;
      fell_behind_ = true;
      fell_behind_at_ = std::chrono::steady_clock::now();
      ending_ = LocalizedError(
          absl::StatusCode::kAborted,
          {absl::StrCat("the watcher fell behind; resume with resume_after_version = ", last_delivered_version_,
                        " (the last version received)"),
           absl::StrCat("订阅方处理过慢而被断开；请以 resume_after_version = ", last_delivered_version_,
                        "（收到的最后版本）继续订阅")});
    } else {
      queue_.push_back(std::move(message));
    }
  }
  on_ready_();
  return true;
}

absl::Status Watcher::ending() {
  std::lock_guard<std::mutex> lock(mutex_);
  return ending_;
}

bool Watcher::Abandoned() {
  std::lock_guard<std::mutex> lock(mutex_);
  return abandoned_;
}

int64_t Watcher::last_delivered_version() {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_delivered_version_;
}

bool Watcher::AbandonIfStale(std::chrono::steady_clock::time_point before) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!fell_behind_ || abandoned_ || cancelled_ || queue_.empty() || fell_behind_at_ >= before) return false;
    abandoned_ = true;
    queue_.clear();
  }
  on_ready_();
  return true;
}

void Watcher::CloseWith(ResyncRequired resync) {
  auto message = std::make_shared<WatchMessage>();
  message->event = std::move(resync);
  std::lock_guard<std::mutex> lock(mutex_);
  if (ending_.ok()) ending_ = absl::UnavailableError(std::get<ResyncRequired>(message->event).reason);
  queue_.clear();
  queue_.push_back(std::move(message));
  closed_ = true;
}

void Watcher::Close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
}

void Watcher::CloseForShutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  if (ending_.ok()) {
    ending_ = MarkServerState(LocalizedError(absl::StatusCode::kUnavailable, {kShuttingDown, kShuttingDownZh}));
  }
}

void Watcher::SkipTo(int64_t version) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (version > last_queued_version_) last_queued_version_ = version;
}

bool Watcher::Idle(std::chrono::steady_clock::time_point since) {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_push_ < since && queue_.empty();
}

bool Watcher::Finished() {
  std::lock_guard<std::mutex> lock(mutex_);
  return closed_ || cancelled_;
}

WatchHub::WatchHub(EvaluationRepository* repository, Options options, std::function<int64_t()> now_unix_ms)
    : repository_(repository), options_(options), now_unix_ms_(std::move(now_unix_ms)) {
  // Updates stored before the hub exists are not news: it starts after them
  // (a resuming watcher replays them itself). Read before the dispatcher
  // starts, so an update stored and published right after is not taken for
  // an old one.
  if (absl::StatusOr<int64_t> latest = repository_->LatestVersion(); latest.ok()) latest_version_ = *latest;
  thread_ = std::thread([this] { Run(); });
}

WatchHub::~WatchHub() { Shutdown(); }

std::shared_ptr<Watcher> WatchHub::Subscribe(WatchFilter filter, std::function<void()> on_ready) {
  // Where the watcher's updates start: after its resume point, or, for a
  // live watcher, after what is stored now, read here rather than when the
  // dispatcher registers it, so an update stored in between is replayed from
  // the log, not skipped. -1: the initial state first (see Register).
  int64_t from = filter.resume_after_version;
  if (from == 0 && !filter.initial_state) {
    absl::StatusOr<int64_t> latest = repository_->LatestVersion();
    from = latest.ok() ? *latest : 0;
  } else if (from == 0) {
    from = -1;
  }
  auto watcher = std::make_shared<Watcher>(std::move(filter), options_.queue_capacity, std::move(on_ready));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      // Too late to follow anything: the stream ends at once, told to
      // resume elsewhere or later (the transport sends it when it next
      // looks; the caller may hold locks the callback needs).
      watcher->CloseWith(ResyncRequired{0, "the server is shutting down; resume on another replica or after restart"});
      return watcher;
    }
    pending_.insert(watcher);
  }
  ++watcher_count_;
  Post([this, watcher, from] { Register(watcher, from); });
  return watcher;
}

void WatchHub::Publish(IndicatorUpdate update) {
  Post([this, update = std::move(update)] {
    if (update.version <= latest_version_) return;  // already out, from the log
    if (update.version > latest_version_ + 1) CatchUp(update.version);
    FanOut(update);
  });
}

size_t WatchHub::watcher_count() { return watcher_count_.load(); }

void WatchHub::Sweep() {
  const auto stale_before = std::chrono::steady_clock::now() - options_.release_after;
  size_t live = 0;
  for (size_t i = 0; i < watchers_.size(); ++i) {
    (void)watchers_[i]->AbandonIfStale(stale_before);
    if (watchers_[i]->Finished() && watchers_[i]->Done()) {
      --watcher_count_;
      continue;
    }
    watchers_[live++] = watchers_[i];
  }
  watchers_.resize(live);
}

void WatchHub::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Watchers whose registration had not run yet end like the others.
  for (const std::shared_ptr<Watcher>& watcher : pending_) watchers_.push_back(watcher);
  pending_.clear();
  for (const std::shared_ptr<Watcher>& watcher : watchers_) {
    auto bye = std::make_shared<WatchMessage>();
    bye->event = ResyncRequired{0, "the server is shutting down; resume on another replica or after restart"};
    watcher->Push(std::move(bye), 0);
    watcher->CloseForShutdown();
  }
  watchers_.clear();
  watcher_count_ = 0;
}

void WatchHub::Post(Task task) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void WatchHub::Run() {
  const bool polling = options_.log_poll_interval.count() > 0;
  auto next_heartbeat = std::chrono::steady_clock::now() + options_.heartbeat_interval;
  auto next_poll = std::chrono::steady_clock::now() + options_.log_poll_interval;
  for (;;) {
    Task task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait_until(lock, polling ? std::min(next_heartbeat, next_poll) : next_heartbeat,
                     [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      if (!tasks_.empty()) {
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
    }
    if (task) task();
    const auto now = std::chrono::steady_clock::now();
    if (polling && now >= next_poll) {
      CatchUp(0);
      next_poll = now + options_.log_poll_interval;
    }
    if (now >= next_heartbeat) {
      Heartbeats();
      next_heartbeat = std::chrono::steady_clock::now() + options_.heartbeat_interval;
    }
  }
}

void WatchHub::CatchUp(int64_t before) {
  for (;;) {
    absl::StatusOr<std::vector<IndicatorUpdate>> page = repository_->UpdatesSince(latest_version_, kReplayPage);
    if (!page.ok()) return;
    for (const IndicatorUpdate& update : *page) {
      if (before > 0 && update.version >= before) return;
      FanOut(update);
    }
    if (static_cast<int32_t>(page->size()) < kReplayPage) return;
  }
}

void WatchHub::Register(const std::shared_ptr<Watcher>& watcher, int64_t from) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.erase(watcher);
  }
  const WatchFilter& filter = watcher->filter();
  if (from >= 0) {
    int64_t after = from;
    watcher->SkipTo(after);
    for (;;) {
      absl::StatusOr<std::vector<IndicatorUpdate>> page = repository_->UpdatesSince(after, kReplayPage);
      if (!page.ok()) {
        auto resync = std::make_shared<WatchMessage>();
        resync->event = ResyncRequired{after, "the update log could not be read: " + StatusText(page.status())};
        watcher->Push(std::move(resync), 0);
        watcher->Close();
        return;
      }
      for (const IndicatorUpdate& update : *page) {
        after = update.version;
        if (std::optional<IndicatorUpdate> part = Matching(update, filter)) {
          auto message = std::make_shared<WatchMessage>();
          message->event = std::move(*part);
          watcher->Push(std::move(message), update.version);
        }
      }
      if (static_cast<int32_t>(page->size()) < kReplayPage) break;
    }
  } else {
    // The initial state: the latest snapshots, then updates after everything
    // stored now. The hub's own position does not move: an update stored but
    // not yet fanned out still goes to the watchers that were there before.
    absl::StatusOr<int64_t> latest = repository_->LatestVersion();
    watcher->SkipTo(std::max(latest_version_, latest.ok() ? *latest : 0));
    if (filter.initial_state) {
      absl::StatusOr<std::vector<Snapshot>> snapshots = repository_->SnapshotsUnder(ConventionsKey({}));
      for (const Snapshot& s : snapshots.ok() ? *snapshots : std::vector<Snapshot>{}) {
        IndicatorUpdate update{
            s.version,        s.district_code,       s.school_year, s.evaluation.indicators, s.evaluation.verdict,
            s.input_versions, s.evaluated_at_unix_ms};
        if (std::optional<IndicatorUpdate> part = Matching(update, filter)) {
          auto message = std::make_shared<WatchMessage>();
          message->event = std::move(*part);
          message->initial_state = true;
          watcher->Push(std::move(message), 0);
        }
      }
    }
  }
  watchers_.push_back(watcher);
}

void WatchHub::FanOut(const IndicatorUpdate& update) {
  latest_version_ = std::max(latest_version_, update.version);
  Sweep();
  std::shared_ptr<const WatchMessage> whole;
  for (const std::shared_ptr<Watcher>& watcher : watchers_) {
    const WatchFilter& filter = watcher->filter();
    if (filter.indicator_ids.empty()) {
      if (!WantsDistrict(filter, update.district_code, update.school_year)) continue;
      if (!whole) {
        auto message = std::make_shared<WatchMessage>();
        message->event = update;
        whole = std::move(message);
      }
      watcher->Push(whole, update.version);
    } else if (std::optional<IndicatorUpdate> part = Matching(update, filter)) {
      auto message = std::make_shared<WatchMessage>();
      message->event = std::move(*part);
      watcher->Push(std::move(message), update.version);
    }
  }
}

void WatchHub::Heartbeats() {
  const auto since = std::chrono::steady_clock::now() - options_.heartbeat_interval;
  auto beat = std::make_shared<WatchMessage>();
  beat->event = Heartbeat{latest_version_, now_unix_ms_()};
  Sweep();
  for (const std::shared_ptr<Watcher>& watcher : watchers_) {
    if (watcher->Idle(since)) watcher->Push(beat, 0);
  }
}

}  // namespace gzedu::indicators
