#ifndef GZEDU_COMMON_GRPC_HANDLER_POOL_H_
#define GZEDU_COMMON_GRPC_HANDLER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gzedu {

// Threads for the part of a callback-API handler that may block (a store
// read, calls to other services): a reaction must never block, so a handler
// answers inline what it holds in memory and hands the rest to this pool,
// whose task finishes the reactor. Tasks run in submission order on a fixed
// number of threads; at most `max_queued` wait. Thread-safe. The destructor
// runs every task already submitted, then joins the threads: destroy the
// pool after the server that submits to it has shut down.
class HandlerPool {
 public:
  HandlerPool(size_t threads, size_t max_queued);
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // Queues `task`; false (and `task` not run) when `max_queued` tasks are
  // already waiting or the pool is being destroyed: the caller answers
  // RESOURCE_EXHAUSTED (or UNAVAILABLE) itself.
  bool Submit(std::function<void()> task);

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable work_cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_HANDLER_POOL_H_
