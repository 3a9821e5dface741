#include "common/redis/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace gzedu {
namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(duration.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return tv;
}

RedisReply Copy(const redisReply* reply) {
  RedisReply out;
  switch (reply->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = reply->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      for (size_t i = 0; i < reply->elements; ++i) out.elements.push_back(Copy(reply->element[i]));
      break;
    default:
      out.type = RedisReply::Type::kNil;
  }
  return out;
}

}  // namespace

RedisClient::RedisClient(const std::string& url, Options options) : options_(options) {
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  const size_t colon = rest.rfind(':');
  host_ = rest.substr(0, colon);
  if (colon == std::string::npos || !absl::SimpleAtoi(rest.substr(colon + 1), &port_)) port_ = 6379;
  address_ = absl::StrCat(host_, ":", port_);
}

RedisClient::~RedisClient() {
  std::lock_guard<std::mutex> lock(mutex_);
  DropLocked();
}

void RedisClient::DropLocked() {
  fd_ = -1;
  if (context_ != nullptr) redisFree(context_);
  context_ = nullptr;
}

absl::Status RedisClient::ConnectLocked() {
  if (context_ != nullptr) return absl::OkStatus();
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) {
    return absl::UnavailableError(absl::StrCat("Redis at ", address_, " is unreachable (retrying shortly)"));
  }
  next_attempt_ = now + options_.reconnect_backoff;
  redisContext* context = redisConnectWithTimeout(host_.c_str(), port_, ToTimeval(options_.connect_timeout));
  if (context == nullptr || context->err != 0) {
    const std::string error = context == nullptr ? "out of memory" : context->errstr;
    if (context != nullptr) redisFree(context);
    return absl::UnavailableError(absl::StrCat("Redis at ", address_, ": ", error));
  }
  redisSetTimeout(context, ToTimeval(options_.command_timeout));
  // Keepalives notice a peer that vanished while the connection sat idle.
  (void)redisEnableKeepAlive(context);
  context_ = context;
  fd_ = context->fd;
  return absl::OkStatus();
}

absl::StatusOr<RedisReply> RedisClient::Command(const std::vector<std::string>& arguments) {
  std::lock_guard<std::mutex> lock(mutex_);
  return CommandLocked(arguments);
}

absl::StatusOr<RedisReply> RedisClient::TryCommand(const std::vector<std::string>& arguments) {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return absl::UnavailableError(absl::StrCat("Redis at ", address_, " is busy with another command"));
  }
  return CommandLocked(arguments);
}

void RedisClient::Interrupt() {
  const int fd = fd_.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

absl::StatusOr<RedisReply> RedisClient::CommandLocked(const std::vector<std::string>& arguments) {
  if (absl::Status status = ConnectLocked(); !status.ok()) return status;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& a : arguments) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  auto* reply =
      static_cast<redisReply*>(redisCommandArgv(context_, static_cast<int>(argv.size()), argv.data(), lengths.data()));
  if (reply == nullptr) {
    const std::string error = context_->errstr;
    // A timeout means Redis is there but does not answer (hung, or
    // overloaded): hold off like after a failed connect. A closed connection
    // (EOF, reset) is reopened by the next command at once.
    const bool timed_out = context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
    if (timed_out) next_attempt_ = std::chrono::steady_clock::now() + options_.reconnect_backoff;
    DropLocked();
    return absl::UnavailableError(absl::StrCat("Redis at ", address_, ": ", error));
  }
  RedisReply copy = Copy(reply);
  freeReplyObject(reply);
  if (copy.type == RedisReply::Type::kError) return absl::InternalError(absl::StrCat("Redis: ", copy.text));
  return copy;
}

}  // namespace gzedu
