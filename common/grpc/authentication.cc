#include "common/grpc/authentication.h"

#include <chrono>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/status/localized_text.h"
#include "common/status/macros.h"

namespace gzedu {
namespace {

std::unique_ptr<ServerAuthenticator>& Installed() {
  static std::unique_ptr<ServerAuthenticator> authenticator;
  return authenticator;
}

int64_t NowUnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerAuthenticator>> ServerAuthenticator::FromKeyFile(const std::string& path) {
  absl::StatusOr<std::string> key = ReadSigningKeyFile(path);
  if (!key.ok()) return absl::InvalidArgumentError(absl::StrCat("--auth-key-file: ", key.status().message()));
  return std::unique_ptr<ServerAuthenticator>(new ServerAuthenticator(std::move(*key)));
}

absl::StatusOr<Principal> ServerAuthenticator::Authenticate(const grpc::ServerContextBase& context) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) {
    return LocalizedError(absl::StatusCode::kUnauthenticated,
                          {"no bearer token: send \"authorization: Bearer <token>\" (gzedu token issue)",
                           "没有持有者令牌：请在 authorization 元数据中发送 Bearer 令牌（gzedu token issue 签发）"});
  }
  const absl::string_view value(it->second.data(), it->second.size());
  absl::string_view token = value;
  if (!absl::ConsumePrefix(&token, "Bearer ") && !absl::ConsumePrefix(&token, "bearer ")) {
    return LocalizedError(absl::StatusCode::kUnauthenticated, {"the authorization metadata is not \"Bearer <token>\"",
                                                               "authorization 元数据不是“Bearer 令牌”的形式"});
  }
  return VerifyToken(key_, std::string(absl::StripAsciiWhitespace(token)), NowUnixSeconds());
}

std::function<std::string()> ServiceToken(const std::string& subject) {
  struct State {
    std::mutex mutex;
    std::string token;
    int64_t expires = 0;
  };
  auto state = std::make_shared<State>();
  return [state, subject]() -> std::string {
    const ServerAuthenticator* authenticator = Installed().get();
    if (authenticator == nullptr) return std::string();
    std::lock_guard<std::mutex> lock(state->mutex);
    const int64_t now = NowUnixSeconds();
    if (state->expires - now < 300) {
      Principal self;
      self.subject = subject;
      self.role = Role::kReader;
      self.whole_city = true;
      self.issued_at_unix_s = now;
      self.expires_at_unix_s = now + 3600;
      absl::StatusOr<std::string> token = authenticator->Issue(self);
      if (!token.ok()) return std::string();
      state->token = *token;
      state->expires = self.expires_at_unix_s;
    }
    return state->token;
  };
}

void SetServerAuthenticator(std::unique_ptr<ServerAuthenticator> authenticator) {
  Installed() = std::move(authenticator);
}

bool ServerAuthenticationEnabled() { return Installed() != nullptr; }

absl::StatusOr<Caller> AuthorizeCall(const grpc::ServerContextBase& context, Access access, Principal* authenticated) {
  Caller caller;
  if (Installed() == nullptr) {
    caller.principal.subject = "local";
    caller.principal.role = Role::kAdmin;
    caller.principal.whole_city = true;
    return caller;
  }
  ASSIGN_OR_RETURN(caller.principal, Installed()->Authenticate(context));
  if (authenticated != nullptr) *authenticated = caller.principal;
  if (access == Access::kWrite && caller.principal.role == Role::kReader) {
    return LocalizedError(
        absl::StatusCode::kPermissionDenied,
        {absl::StrCat(caller.principal.subject, " is a reader; writing needs the district-writer or admin role"),
         absl::StrCat(caller.principal.subject,
                      " 是只读用户；写入需要区写入（district-writer）或管理员（admin）角色")});
  }
  caller.scope = caller.principal.role == Role::kAdmin || caller.principal.whole_city
                     ? AccessScope::WholeCity()
                     : AccessScope::Districts(caller.principal.district_codes);
  return caller;
}

}  // namespace gzedu
