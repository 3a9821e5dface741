#ifndef GZEDU_COMMON_GRPC_AUTHENTICATION_H_
#define GZEDU_COMMON_GRPC_AUTHENTICATION_H_

#include <functional>
#include <memory>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "common/auth/token.h"
#include "common/domain/access.h"

namespace gzedu {

// What a method needs from its caller.
enum class Access {
  kRead,   // any authenticated principal (reads are limited to its scope)
  kWrite,  // a district writer (within its districts) or an administrator
};

// Checks the bearer tokens of every call a server answers, against the
// signing key of --auth-key-file: "authorization: Bearer <token>" metadata.
// One instance per process, shared by every service it hosts. Thread-safe.
class ServerAuthenticator {
 public:
  // Reads the key with ReadSigningKeyFile (as the CLI does). InvalidArgument
  // naming the flag and the file otherwise.
  static absl::StatusOr<std::unique_ptr<ServerAuthenticator>> FromKeyFile(const std::string& path);

  // The caller's principal. UNAUTHENTICATED (with the reason) when the
  // metadata carries no token, or a malformed, tampered, expired or foreign
  // one.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContextBase& context) const;
  // Signs a token for `principal` with the same key.
  absl::StatusOr<std::string> Issue(const Principal& principal) const { return IssueToken(key_, principal); }

 private:
  explicit ServerAuthenticator(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

// Installs the process's authenticator (nullptr: authentication off, every
// caller a whole-city administrator; only the embedded default on loopback
// runs so). Call once at start-up, before serving.
void SetServerAuthenticator(std::unique_ptr<ServerAuthenticator> authenticator);
bool ServerAuthenticationEnabled();

// A bearer token for this process's own calls to other services (the
// evaluation service reading its sources): a whole-city reader named
// `subject`, signed with the installed key and renewed before it expires.
// Empty tokens when authentication is off. Thread-safe.
std::function<std::string()> ServiceToken(const std::string& subject);

// The caller of `context` and what it may touch for `access`:
// UNAUTHENTICATED as above; PERMISSION_DENIED when a reader calls a write.
// With authentication off: a whole-city administrator named "local". When
// `authenticated` is given, it is set to the caller's principal as soon as
// the token is verified, also when the call is then refused (for the audit).
struct Caller {
  Principal principal;
  AccessScope scope;
};
absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContextBase& context, Access access,
                                     Principal* authenticated = nullptr);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_AUTHENTICATION_H_
