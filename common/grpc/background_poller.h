#ifndef GZEDU_COMMON_GRPC_BACKGROUND_POLLER_H_
#define GZEDU_COMMON_GRPC_BACKGROUND_POLLER_H_

#include <grpcpp/completion_queue.h>

#include <thread>

namespace gzedu {

// A thread that is always polling gRPC's I/O, so that an incoming request
// never waits for a poller.
//
// Why: gRPC 1.51 (Debian 12) serves the callback API (WatchIndicators, and
// callback clients) from two internal "nexting" threads that wait for work
// with a one-second deadline and then sleep 100 ms. While both sleep, nothing
// polls the sockets, and a unary call to a synchronous service in the same
// process waits up to 100 ms before its handler runs (measured: a stall of
// ~100 ms every ~1.1 s on every evaluation-service read; none in a process
// without callback services). A thread blocked in CompletionQueue::Next()
// on a queue that never receives work stays a poller the whole time and
// takes over. Thread-safe; stops on destruction.
class BackgroundPoller {
 public:
  BackgroundPoller();
  ~BackgroundPoller();
  BackgroundPoller(const BackgroundPoller&) = delete;
  BackgroundPoller& operator=(const BackgroundPoller&) = delete;

 private:
  grpc::CompletionQueue queue_;
  std::thread thread_;
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_BACKGROUND_POLLER_H_
