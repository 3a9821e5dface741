#ifndef GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_LOOP_H_
#define GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_LOOP_H_

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "common/grpc/certificate_reload_metrics.h"

namespace gzedu {

// The re-reading that the server's certificates and a client's
// (ReloadingServerCertificates, ReloadingClientCertificates) share: a thread
// that calls `reread` every `refresh`, counts a refusal only when a second
// read a moment later (1 s, or `refresh` if shorter) refuses the files too
// (a set replaced file by file can be read half old, half new), then updates
// `metrics` and logs `refused_message` at warning, once per distinct reason,
// with `kept_fields()` (what stays in use) besides the error; a read that is
// good again after a refusal marks the metrics recovered.
//
// `reread` reads the files and takes them into use when they are new and
// good (the caller logs and calls metrics.Accepted() for that): OK when the
// files are good, changed or not, else why they are refused. `reread` and
// `kept_fields` run on the loop's thread and do their own locking. Every
// argument must outlive the loop. The destructor stops the thread (at once,
// not at the next re-read) and joins it.
class CertificateReloadLoop {
 public:
  CertificateReloadLoop(std::chrono::seconds refresh, CertificateReloadMetrics& metrics, std::string refused_message,
                        std::function<absl::Status()> reread, std::function<nlohmann::json()> kept_fields);
  ~CertificateReloadLoop();
  CertificateReloadLoop(const CertificateReloadLoop&) = delete;
  CertificateReloadLoop& operator=(const CertificateReloadLoop&) = delete;

 private:
  void Run();

  const std::chrono::seconds refresh_;
  CertificateReloadMetrics& metrics_;
  const std::string refused_message_;
  const std::function<absl::Status()> reread_;
  const std::function<nlohmann::json()> kept_fields_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is set
};

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_CERTIFICATE_RELOAD_LOOP_H_
