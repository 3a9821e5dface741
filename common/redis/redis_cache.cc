#include "common/redis/redis_cache.h"

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

RedisCache::RedisCache(const std::string& url) : client_(url, CacheOptions()) {}

std::optional<std::string> RedisCache::Get(const std::string& key) {
  absl::StatusOr<RedisReply> reply = client_.Command({"GET", kPrefix + key});
  if (!reply.ok() || reply->type != RedisReply::Type::kString) return std::nullopt;
  return reply->text;
}

void RedisCache::Put(const std::string& key, const std::string& value, std::chrono::seconds ttl) {
  (void)client_.Command({"SET", kPrefix + key, value, "EX", std::to_string(std::max<int64_t>(1, ttl.count()))});
}

}  // namespace gzedu
