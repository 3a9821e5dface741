#ifndef GZEDU_COMMON_REDIS_REDIS_CACHE_H_
#define GZEDU_COMMON_REDIS_REDIS_CACHE_H_

#include <string>

#include "common/domain/cache.h"
#include "common/redis/redis_client.h"

namespace gzedu {

// Cache-aside in Redis (GET, SET EX), keys prefixed "gzedu:cache:". Any
// Redis failure is a miss (Get) or nothing (Put): callers then read their
// stores, so every request still answers while Redis is down. Thread-safe.
class RedisCache : public Cache {
 public:
  explicit RedisCache(const std::string& url);
  std::optional<std::string> Get(const std::string& key) override;
  void Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) override;

 private:
  RedisClient client_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_REDIS_REDIS_CACHE_H_
