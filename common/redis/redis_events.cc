#include "common/redis/redis_events.h"

#include <unistd.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/status/status_text.h"

namespace gzedu {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// XREADGROUP blocks this long; the client's command timeout is longer.
constexpr char kBlockMs[] = "1000";

RedisClient::Options PublisherOptions() {
  RedisClient::Options options;
  // XADD answers in microseconds; a second without an answer means Redis
  // hangs. Short, so that the destructor never waits long.
  options.command_timeout = std::chrono::milliseconds(1000);
  return options;
}

}  // namespace

RedisEventPublisher::RedisEventPublisher(const std::string& url, size_t max_queued)
    : client_(url, PublisherOptions()), max_queued_(std::max<size_t>(1, max_queued)) {
  thread_ = std::thread([this] { Run(); });
}

RedisEventPublisher::~RedisEventPublisher() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  // The thread sends what is queued (while Redis answers) and returns; a
  // hung Redis costs at most the command timeout.
  cv_.notify_all();
  thread_.join();
}

void RedisEventPublisher::Publish(const ChangeEvent& event) {
  bool dropped = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= max_queued_) {
      queue_.pop_front();
      dropped = true;
    }
    queue_.push_back(event);
  }
  cv_.notify_one();
  if (dropped) WarnDropped("too many change events waiting for Redis", event.source);
}

size_t RedisEventPublisher::QueuedForTest() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size();
}

void RedisEventPublisher::WarnDropped(const std::string& reason, const std::string& source) {
  const int64_t now = NowMs();
  int64_t last = last_warning_ms_.load();
  if (now - last >= 10000 && last_warning_ms_.compare_exchange_strong(last, now)) {
    Log(LogLevel::kWarning, "change event not published; consumers will catch up through ListChanges",
        {{"error", reason}, {"source", source}});
  }
}

void RedisEventPublisher::Run() {
  int failures = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, nothing left
    ChangeEvent event = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    const std::vector<std::string> command = {"XADD",          kChangeStream,
                                              "MAXLEN",        "~",
                                              "100000",        "*",
                                              "source",        event.source,
                                              "first_version", std::to_string(event.first_version),
                                              "last_version",  std::to_string(event.last_version),
                                              "districts",     absl::StrJoin(event.district_codes, ",")};
    absl::StatusOr<RedisReply> reply = client_.Command(command);
    lock.lock();
    if (reply.ok() || reply.status().code() != absl::StatusCode::kUnavailable) {
      // Sent, or refused by Redis (an error reply would be refused again).
      if (!reply.ok()) WarnDropped(StatusText(reply.status()), event.source);
      failures = 0;
      continue;
    }
    ++failures;
    if (stopping_) {
      // Stopping: what is left goes unannounced rather than hold up the exit.
      if (!queue_.empty()) WarnDropped("stopping while Redis is unreachable", event.source);
      return;
    }
    if (queue_.size() < max_queued_) queue_.push_front(std::move(event));
    // The first failure may be a connection Redis closed while idle: the
    // client reopens it at once. After that, wait before trying again.
    if (failures == 1) continue;
    if (failures == 2) WarnDropped(StatusText(reply.status()), event.source);
    cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stopping_; });
  }
}

ChangeEvent DecodeChangeEvent(const std::vector<RedisReply>& fields) {
  ChangeEvent event;
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    const std::string& name = fields[i].text;
    const std::string& value = fields[i + 1].text;
    if (name == "source") event.source = value;
    if (name == "first_version") (void)absl::SimpleAtoi(value, &event.first_version);
    if (name == "last_version") (void)absl::SimpleAtoi(value, &event.last_version);
    if (name == "districts") {
      for (absl::string_view d : absl::StrSplit(value, ',', absl::SkipEmpty()))
        event.district_codes.insert(std::string(d));
    }
  }
  return event;
}

RedisEventSubscriber::RedisEventSubscriber(const std::string& url, std::string group, Callbacks callbacks)
    : client_(url, RedisClient::Options{}),
      group_(std::move(group)),
      consumer_(absl::StrCat("consumer-", getpid())),
      callbacks_(std::move(callbacks)) {}

RedisEventSubscriber::~RedisEventSubscriber() { Stop(); }

void RedisEventSubscriber::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  // The subscriber logs for whichever service started it.
  thread_ = std::thread([this, log_context = CurrentLogContext()] {
    ScopedLogContext scope(log_context);
    Run();
  });
}

void RedisEventSubscriber::Stop() {
  stopping_ = true;
  // XREADGROUP may be waiting on a hung Redis: make it fail now.
  client_.Interrupt();
  if (thread_.joinable()) thread_.join();
}

absl::Status RedisEventSubscriber::EnsureGroup() {
  absl::StatusOr<RedisReply> reply = client_.Command({"XGROUP", "CREATE", kChangeStream, group_, "$", "MKSTREAM"});
  if (reply.ok() || reply.status().message().find("BUSYGROUP") != absl::string_view::npos) return absl::OkStatus();
  return reply.status();
}

size_t RedisEventSubscriber::Handle(const RedisReply& reply) {
  // [[stream, [[id, [field, value, ...]], ...]]]
  size_t handled = 0;
  if (reply.type != RedisReply::Type::kArray) return 0;
  for (const RedisReply& stream : reply.elements) {
    if (stream.elements.size() < 2) continue;
    for (const RedisReply& entry : stream.elements[1].elements) {
      if (entry.elements.size() < 2) continue;
      if (callbacks_.handler) callbacks_.handler(DecodeChangeEvent(entry.elements[1].elements));
      (void)client_.Command({"XACK", kChangeStream, group_, entry.elements[0].text});
      ++handled;
    }
  }
  return handled;
}

void RedisEventSubscriber::Run() {
  bool connected = false;
  bool read_pending = true;  // first our own unacknowledged entries
  bool group_ready = false;
  while (!stopping_) {
    if (!group_ready) {
      absl::Status status = EnsureGroup();
      if (!status.ok()) {
        if (connected || read_pending) {
          Log(LogLevel::kWarning, "Redis event stream unavailable; following the change feeds by polling",
              {{"error", StatusText(status)}});
        }
        if (connected && callbacks_.on_connection) callbacks_.on_connection(false);
        connected = false;
        read_pending = false;
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        continue;
      }
      group_ready = true;
      if (!connected) {
        connected = true;
        if (callbacks_.on_connection) callbacks_.on_connection(true);
        Log(LogLevel::kInfo, "following the Redis event stream", {{"redis", client_.address()}});
        // Whatever happened while the stream was out of reach is caught up
        // through the sources' change feeds.
        if (callbacks_.on_resumed) callbacks_.on_resumed();
      }
    }
    absl::StatusOr<RedisReply> reply =
        client_.Command({"XREADGROUP", "GROUP", group_, consumer_, "COUNT", "100", "BLOCK", kBlockMs, "STREAMS",
                         kChangeStream, read_pending ? "0" : ">"});
    if (!reply.ok()) {
      // NOGROUP after a Redis restart without persistence, or a lost
      // connection: set the group up again.
      group_ready = false;
      if (reply.status().code() == absl::StatusCode::kUnavailable) {
        if (connected && callbacks_.on_connection) callbacks_.on_connection(false);
        if (connected) {
          Log(LogLevel::kWarning, "Redis event stream lost; following the change feeds by polling",
              {{"error", StatusText(reply.status())}});
        }
        connected = false;
      }
      continue;
    }
    const size_t handled = Handle(*reply);
    if (read_pending && handled == 0) read_pending = false;
  }
}

}  // namespace gzedu
