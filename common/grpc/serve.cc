#include "common/grpc/serve.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <thread>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/grpc/authentication.h"
#include "common/grpc/server_certificates.h"
#include "common/grpc/tls.h"
#include "common/logging/log.h"
#include "common/status/macros.h"
#include "common/status/status_text.h"

namespace gzedu {
namespace {

std::string WithPort(const std::string& address, int port) {
  const size_t colon = address.rfind(':');
  return (colon == std::string::npos ? address : address.substr(0, colon)) + ":" + std::to_string(port);
}

}  // namespace

int StartupFailed(const absl::Status& status) {
  Log(LogLevel::kError, "startup failed", {{"error", StatusText(status)}});
  return 1;
}

absl::StatusOr<ServerOptions> ServerOptionsFromFlags(const ServerFlags& flags) {
  ServerOptions options;
  options.listen = flags.listen;
  options.metrics_listen = flags.metrics_listen;
  options.tls.cert_path = flags.tls_cert;
  options.tls.key_path = flags.tls_key;
  options.tls.client_ca_path = flags.tls_client_ca;
  options.tls.refresh_seconds = flags.tls_refresh_seconds;
  options.health_listen = flags.health_listen;
  if (absl::Status status = CheckServerTransport(flags.listen, options.tls, flags.insecure); !status.ok()) {
    return status;
  }
  // Checked before anything opens: a certificate with the wrong key would
  // otherwise announce "listening transport=tls" and fail every handshake.
  if (options.tls.enabled()) {
    if (absl::Status status = LoadServerCertificates(options.tls).status(); !status.ok()) return status;
  }
  return options;
}

absl::Status InstallAuthentication(const ServerFlags& flags) {
  return InstallAuthentication(flags.listen, flags.auth_key_file);
}

absl::Status InstallAuthentication(const std::string& listen, const std::string& auth_key_file) {
  if (auth_key_file.empty()) {
    // Not even --insecure turns this off: without tokens every caller could
    // write every district.
    if (!IsLoopbackAddress(listen)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen: ", listen,
          " is not a loopback address; give --auth-key-file (authentication can be off on loopback only)"));
    }
    SetServerAuthenticator(nullptr);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ServerAuthenticator> authenticator, ServerAuthenticator::FromKeyFile(auth_key_file));
  SetServerAuthenticator(std::move(authenticator));
  return absl::OkStatus();
}

int BadFlags(const absl::Status& status) {
  std::fprintf(stderr, "%s\n", std::string(status.message()).c_str());
  return 2;
}

namespace {

// Runs `hooks.prepare` on a thread of its own. Before the server listens,
// the caller waits for it a while (WaitBeforeListening): a start with
// nothing to wait for (the database answers, no other process migrating)
// only listens once it is done, ready at once, as before; one that must wait
// listens meanwhile, NOT_SERVING. A failure after that stops the process the
// way a signal does. Thread-safe.
class Preparation {
 public:
  explicit Preparation(const ServeHooks& hooks) : hooks_(hooks) {
    if (!hooks_.prepare) {
      done_ = true;
      return;
    }
    thread_ = std::thread([this] { Run(); });
  }
  ~Preparation() { CancelAndJoin(); }

  // Waits until `prepare` is done, says it waits for something, or `limit`
  // passes. Returns its error if it failed by then (the start fails), else
  // OK; a later failure sends the process SIGTERM and failed() turns true.
  absl::Status WaitBeforeListening(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, limit, [this] { return done_ || waiting_; });
    listening_ = true;
    if (done_ && !status_.ok() && !absl::IsCancelled(status_)) return status_;
    return absl::OkStatus();
  }
  // Runs `ready` once `prepare` succeeded (at once if it did already).
  void WhenReady(std::function<void()> ready) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (done_ && status_.ok()) {
      lock.unlock();
      ready();
      return;
    }
    ready_ = std::move(ready);
  }
  bool failed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_after_listening_;
  }
  void CancelAndJoin() {
    if (hooks_.cancel_prepare && thread_.joinable()) hooks_.cancel_prepare();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Run() {
    const absl::Status status = hooks_.prepare([this] {
      std::lock_guard<std::mutex> lock(mutex_);
      waiting_ = true;
      cv_.notify_all();
    });
    std::function<void()> ready;
    bool signal = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
      status_ = status;
      cv_.notify_all();
      if (status.ok()) {
        ready = std::move(ready_);
      } else if (listening_ && !absl::IsCancelled(status)) {
        failed_after_listening_ = true;
        signal = true;
      }
    }
    if (ready) ready();
    if (signal) {
      StartupFailed(status);
      kill(getpid(), SIGTERM);  // process-directed: the main thread's sigwait takes it
    }
  }

  const ServeHooks& hooks_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  bool waiting_ = false;
  bool listening_ = false;
  bool failed_after_listening_ = false;
  absl::Status status_;
  std::function<void()> ready_;
};

}  // namespace

int ServeUntilSignalled(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics& metrics,
                        const ServeHooks& hooks) {
  Preparation preparation(hooks);
  if (absl::Status status = preparation.WaitBeforeListening(kPrepareBeforeListening); !status.ok()) {
    return StartupFailed(status);
  }
  GrpcServerRunner runner;
  if (absl::Status status = runner.Start(options, services, metrics); !status.ok()) {
    preparation.CancelAndJoin();
    return StartupFailed(status);
  }
  if (hooks.on_started) {
    if (absl::Status status = hooks.on_started(runner); !status.ok()) {
      preparation.CancelAndJoin();
      runner.Shutdown(std::chrono::seconds(0));
      return StartupFailed(status);
    }
  }
  // Health follows at once when the preparation ends after the start.
  preparation.WhenReady([&runner] { runner.CheckReadinessNow(); });
  const std::string grpc_address = WithPort(options.listen, runner.grpc_port());
  const std::string metrics_address = WithPort(options.metrics_listen, runner.metrics_port());
  const char* transport = !options.tls.enabled()               ? "plaintext"
                          : options.tls.client_ca_path.empty() ? "tls"
                                                               : "mutual-tls";
  std::string health_word;
  if (!options.health_listen.empty()) {
    health_word = " health=" + WithPort(options.health_listen, runner.health_port());
  }
  Log(LogLevel::kInfo, "listening",
      {{"services", options.service_names},
       {"grpc", grpc_address},
       {"metrics", metrics_address},
       {"transport", transport},
       {"health", health_word.empty() ? std::string() : health_word.substr(8)}});
  std::printf("listening grpc=%s metrics=%s%s\n", grpc_address.c_str(), metrics_address.c_str(), health_word.c_str());
  std::fflush(stdout);

  const int signal_number = WaitForShutdownSignal();
  const bool failed = preparation.failed();
  if (!failed) Log(LogLevel::kInfo, "shutting down", {{"signal", signal_number}});
  if (hooks.cancel_prepare) hooks.cancel_prepare();
  ShutDownWithinGrace(runner, hooks, kShutdownGrace);
  preparation.CancelAndJoin();
  Log(LogLevel::kInfo, "stopped");
  return failed ? 1 : 0;
}

void ShutDownWithinGrace(GrpcServerRunner& runner, const ServeHooks& hooks, std::chrono::milliseconds grace) {
  const auto start = std::chrono::steady_clock::now();
  // Whatever hangs below (a handler stuck in a call without a deadline, a
  // destructor waiting on a dependency), the process is gone within its
  // grace: Kubernetes would SIGKILL it anyway, without the log line.
  std::thread([grace] {
    std::this_thread::sleep_for(grace - std::chrono::milliseconds(300));
    Log(LogLevel::kError, "shutdown grace exceeded; exiting now", {{"grace_ms", grace.count()}});
    std::_Exit(1);
  }).detach();
  // Health NOT_SERVING (and health watches ended) before anything that may
  // take time.
  runner.BeginShutdown();
  // Ends the service's own streams and background work, cancelling its
  // outbound calls.
  if (hooks.before_shutdown) hooks.before_shutdown();
  // Calls in flight get what is left of the grace, less two seconds for
  // the exit (destructors take most of a second); those still running then
  // are cancelled. gRPC also waits that long for a client that keeps an idle
  // connection open (as long-lived clients do).
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(grace - std::chrono::milliseconds(2000) -
                                                                          (std::chrono::steady_clock::now() - start));
  runner.Shutdown(std::max(left, std::chrono::milliseconds(0)));
}

}  // namespace gzedu
