#ifndef GZEDU_COMMON_REDIS_REDIS_CACHE_H_
#define GZEDU_COMMON_REDIS_REDIS_CACHE_H_

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

#include "common/domain/cache.h"
#include "common/redis/redis_client.h"

namespace gzedu {

// Cache-aside in Redis (GET, SET EX), keys prefixed "gzedu:cache:". Any
// Redis failure is a miss (Get) or nothing (Put): callers then read their
// stores, so every request still answers while Redis is down or hangs.
// Put only queues the entry (at most `max_queued`, newer ones are dropped
// beyond that) for a thread of its own, so it never waits for Redis; Get
// waits for at most one short command, and misses at once while another
// read waits or after a read timed out (until the client's backoff
// passes). Thread-safe; the destructor drops what is still queued.
class RedisCache : public Cache {
 public:
  explicit RedisCache(const std::string& url, size_t max_queued = 256);
  ~RedisCache() override;
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) override;

 private:
  struct Entry {
    std::string key;
    std::string value;
    std::chrono::seconds ttl;
  };
  void WriteLoop();

  RedisClient reader_;
  RedisClient writer_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Entry> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_REDIS_REDIS_CACHE_H_
