#ifndef GZEDU_COMMON_REDIS_REDIS_CLIENT_H_
#define GZEDU_COMMON_REDIS_REDIS_CLIENT_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

struct redisContext;
struct redisReply;

namespace gzedu {

// A reply of Redis, copied out of hiredis's (which is freed at once).
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string text;  // string, status or error
  int64_t integer = 0;
  std::vector<RedisReply> elements;
};

// One connection to Redis (hiredis 0.14, RESP2, plaintext), used by one
// component. A hiredis context is dead after any error, so every failure
// drops it. A connection the server closed (EOF, reset: e.g. an idle
// timeout) is reopened by the next command at once; after a failed connect
// or a command that timed out (Redis hung: the TCP connection stays open
// but nothing answers) no command tries again sooner than the backoff
// allows, so while Redis is down or frozen commands fail fast with
// Unavailable instead of each waiting for a timeout. Thread-safe (commands
// are serialised on the one connection).
class RedisClient {
 public:
  struct Options {
    std::chrono::milliseconds connect_timeout{200};
    // Must exceed any BLOCK time the client's commands use.
    std::chrono::milliseconds command_timeout{3000};
    std::chrono::milliseconds reconnect_backoff{500};
  };

  // `url` is redis://HOST:PORT (validated by the server flags).
  RedisClient(const std::string& url, Options options);
  ~RedisClient();

  // Runs one command. Unavailable when Redis cannot be reached (or could
  // not be, less than the backoff ago); Internal for an error reply.
  absl::StatusOr<RedisReply> Command(const std::vector<std::string>& arguments);

  // Like Command, but Unavailable at once when another thread's command is
  // in flight (e.g. a cache read that must never queue behind a hung one).
  absl::StatusOr<RedisReply> TryCommand(const std::vector<std::string>& arguments);

  // Makes a command blocked on the connection fail now (shuts the socket
  // down; the next command reconnects). For stopping a thread that may wait
  // on a hung Redis. Safe to call from any thread.
  void Interrupt();

  const std::string& address() const { return address_; }

 private:
  absl::Status ConnectLocked();
  void DropLocked();
  absl::StatusOr<RedisReply> CommandLocked(const std::vector<std::string>& arguments);

  std::string host_;
  int port_ = 0;
  std::string address_;
  const Options options_;
  std::mutex mutex_;
  redisContext* context_ = nullptr;
  // The socket of context_ (or -1), readable without the mutex by Interrupt.
  std::atomic<int> fd_{-1};
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_REDIS_REDIS_CLIENT_H_
