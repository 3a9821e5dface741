#include "common/grpc/background_poller.h"

namespace gzedu {

BackgroundPoller::BackgroundPoller()
    : thread_([this] {
        void* tag = nullptr;
        bool ok = false;
        // Nothing is ever queued here: Next() returns false once the queue
        // is shut down and drained.
        while (queue_.Next(&tag, &ok)) {
        }
      }) {}

BackgroundPoller::~BackgroundPoller() {
  queue_.Shutdown();
  thread_.join();
}

}  // namespace gzedu
