#include "common/redis/redis_cache.h"

#include <algorithm>

namespace gzedu {
namespace {

constexpr char kPrefix[] = "gzedu:cache:";

RedisClient::Options CacheOptions() {
  RedisClient::Options options;
  // A cache that is slow is worse than none.
  options.connect_timeout = std::chrono::milliseconds(100);
  options.command_timeout = std::chrono::milliseconds(500);
  options.reconnect_backoff = std::chrono::milliseconds(1000);
  return options;
}

}  // namespace

RedisCache::RedisCache(const std::string& url, size_t max_queued)
    : reader_(url, CacheOptions()), writer_(url, CacheOptions()), max_queued_(max_queued) {
  thread_ = std::thread([this] { WriteLoop(); });
}

RedisCache::~RedisCache() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  writer_.Interrupt();
  thread_.join();
}

std::optional<std::string> RedisCache::Get(const std::string& key) {
  absl::StatusOr<RedisReply> reply = reader_.TryCommand({"GET", kPrefix + key});
  if (!reply.ok() || reply->type != RedisReply::Type::kString) return std::nullopt;
  return reply->text;
}

void RedisCache::Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || queue_.size() >= max_queued_) return;  // a cache may forget
    queue_.push_back(Entry{key, value, ttl});
  }
  cv_.notify_one();
}

void RedisCache::WriteLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    Entry entry = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    (void)writer_.Command(
        {"SET", kPrefix + entry.key, entry.value, "EX", std::to_string(std::max<int64_t>(1, entry.ttl.count()))});
    lock.lock();
  }
}

}  // namespace gzedu
