#ifndef GZEDU_COMMON_GRPC_SERVE_H_
#define GZEDU_COMMON_GRPC_SERVE_H_

#include <functional>
#include <vector>

#include "common/config/server_flags.h"
#include "common/grpc/server_runner.h"

namespace gzedu {

// The run loop every server binary shares: starts the server, logs where it
// listens and prints one line "listening grpc=HOST:PORT metrics=HOST:PORT"
// on stdout (for scripts and tests that start it on port 0), waits for
// SIGTERM or SIGINT, shuts down gracefully and returns the process exit
// status (0, or 1 when the server could not start). Call
// PrepareServerSignals() first thing in main().
//
// `hooks.on_started` runs once the server is up, before the listening line
// (e.g. to make in-process channels to it); an error stops the server and
// fails the start. `hooks.before_shutdown` runs when the signal arrives,
// before the server drains (e.g. to end streams and stop background work).
//
// `hooks.prepare` is what readiness waits for (opening and migrating the
// database: see DeferredSqlDatabase). It runs on a thread of its own, and the
// server only starts listening once it is done, or has called its argument
// (it waits for something: another process's migration lock, a database that
// does not answer yet), or kPrepareBeforeListening has passed; an error by
// then fails the start (exit status 1). While it goes on the server listens:
// "liveness" SERVING, the services' entries and "" NOT_SERVING until it
// returns OK and the readiness check passes; an error other than Cancelled
// then stops the server (exit status 1). On a signal, `hooks.cancel_prepare`
// must make it return soon.
struct ServeHooks {
  std::function<absl::Status(GrpcServerRunner&)> on_started;
  std::function<void()> before_shutdown;
  std::function<absl::Status(const std::function<void()>& waiting)> prepare;
  std::function<void()> cancel_prepare;
};
inline constexpr std::chrono::milliseconds kPrepareBeforeListening{10000};
int ServeUntilSignalled(const ServerOptions& options, const std::vector<grpc::Service*>& services, Metrics& metrics,
                        const ServeHooks& hooks = {});

// How long a server may take from SIGTERM to exit (Kubernetes' default
// terminationGracePeriodSeconds is 30; the chart's preStop and this fit in
// it).
inline constexpr std::chrono::milliseconds kShutdownGrace{5000};

// The shutdown ServeUntilSignalled does on a signal, bounded by `grace`:
// health NOT_SERVING and health watches ended at once, then
// `hooks.before_shutdown` (which must end the service's streams and cancel
// its outbound calls), then no new calls and the calls in flight cancelled
// once what is left of the grace (less two seconds) has passed. Should
// anything still hang, the process exits (status 1) just before `grace`.
void ShutDownWithinGrace(GrpcServerRunner& runner, const ServeHooks& hooks, std::chrono::milliseconds grace);

// Logs a failed start-up and returns exit status 1.
int StartupFailed(const absl::Status& status);

// The listening and transport part of a server's options from its flags:
// addresses, TLS files, the health-only port. InvalidArgument naming the
// flag when they do not fit together (a certificate without its key, a
// client CA without a certificate, plaintext on a non-loopback address
// without --insecure) or the TLS files cannot serve (unreadable, not PEM, a
// key that does not match the certificate, an expired certificate).
absl::StatusOr<ServerOptions> ServerOptionsFromFlags(const ServerFlags& flags);

// Loads --auth-key-file and installs the process's authenticator; without it,
// authentication is off, which only a loopback --listen allows (--insecure
// does not: it is about TLS). InvalidArgument naming the flag otherwise.
absl::Status InstallAuthentication(const ServerFlags& flags);
absl::Status InstallAuthentication(const std::string& listen, const std::string& auth_key_file);

// Prints a flag problem on stderr and returns exit status 2.
int BadFlags(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_SERVE_H_
