#include "common/grpc/certificate_reload_loop.h"

#include <algorithm>
#include <utility>

#include "common/logging/log.h"

namespace gzedu {

CertificateReloadLoop::CertificateReloadLoop(std::chrono::seconds refresh, CertificateReloadMetrics& metrics,
                                             std::string refused_message, std::function<absl::Status()> reread,
                                             std::function<nlohmann::json()> kept_fields)
    : refresh_(refresh),
      metrics_(metrics),
      refused_message_(std::move(refused_message)),
      reread_(std::move(reread)),
      kept_fields_(std::move(kept_fields)),
      thread_([this] { Run(); }) {}

CertificateReloadLoop::~CertificateReloadLoop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CertificateReloadLoop::Run() {
  const std::chrono::milliseconds confirm_after =
      std::min<std::chrono::milliseconds>(refresh_, std::chrono::seconds(1));
  std::chrono::milliseconds wait = refresh_;
  bool suspect = false;
  std::string refused_reason;  // the last refusal logged; empty while the files are good
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_cv_.wait_for(lock, wait, [this] { return stopping_; })) {
    lock.unlock();
    const absl::Status read = reread_();
    wait = refresh_;
    if (read.ok()) {
      suspect = false;
      if (!refused_reason.empty()) {
        refused_reason.clear();
        metrics_.Recovered();
      }
    } else if (!suspect) {
      suspect = true;
      wait = confirm_after;
    } else {
      suspect = false;
      metrics_.Refused();
      const std::string reason(read.message());
      if (reason != refused_reason) {
        refused_reason = reason;
        nlohmann::json fields = kept_fields_();
        fields["error"] = reason;
        Log(LogLevel::kWarning, refused_message_, fields);
      }
    }
    lock.lock();
  }
}

}  // namespace gzedu
