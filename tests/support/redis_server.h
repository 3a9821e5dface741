#ifndef GZEDU_TESTS_SUPPORT_REDIS_SERVER_H_
#define GZEDU_TESTS_SUPPORT_REDIS_SERVER_H_

// A real redis-server for integration tests: on a free loopback port, with
// its files in a temporary directory, no persistence. It can be stopped
// and started again on the same port (a Redis outage). Not thread-safe.

#include <chrono>
#include <csignal>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/redis/redis_client.h"
#include "tests/support/subprocess.h"

namespace gzedu::testing {

class RedisServer {
 public:
  RedisServer() : port_(FreeLoopbackPort()) { Start(); }
  ~RedisServer() { Stop(); }

  // Starts it and waits until it answers PING.
  void Start() {
    process_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
                                 "--appendonly", "no", "--dir", dir_.path(), "--protected-mode", "no"});
    RedisClient::Options options;
    options.reconnect_backoff = std::chrono::milliseconds(0);
    RedisClient client(url(), options);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (client.Command({"PING"}).ok()) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "redis-server did not start on port " << port_ << ": " << process_->stderr_text();
  }
  void Stop() {
    if (process_) process_->Stop(SIGTERM);
    process_.reset();
  }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }
  // The server's process id (-1 while stopped), e.g. to freeze it.
  pid_t pid() const { return process_ ? process_->pid() : -1; }

 private:
  TempDir dir_;
  int port_;
  std::unique_ptr<Subprocess> process_;
};

}  // namespace gzedu::testing

#endif  // GZEDU_TESTS_SUPPORT_REDIS_SERVER_H_
