#ifndef GZEDU_COMMON_AUTH_TOKEN_H_
#define GZEDU_COMMON_AUTH_TOKEN_H_

// Bearer tokens: JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, "HS256")
// under a key the operators keep in a file. A token names a principal, its
// role and the districts it may touch, and expires. (Issue 8: the server
// interceptor that checks them is not built yet; this is the token format
// and its checks.)

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "absl/status/statusor.h"

namespace gzedu {

// What a principal may do.
enum class Role {
  kDistrictWriter,  // writes its districts' data, reads them
  kReader,          // reads its districts' data
  kAdmin,           // everything
};

// The identity a verified token carries.
struct Principal {
  std::string subject;  // who, e.g. "huadu-district-system"
  Role role = Role::kReader;
  bool whole_city = false;               // scope: every district
  std::set<std::string> district_codes;  // scope when not the whole city
  int64_t issued_at_unix_s = 0;
  int64_t expires_at_unix_s = 0;
  int64_t not_before_unix_s = 0;  // "nbf": not valid before; 0: no such claim
};

// "district-writer", "reader", "admin".
std::string RoleName(Role role);
bool ParseRole(const std::string& name, Role* role);

// The shortest signing key accepted: HS256 keys of fewer than 32 bytes are
// guessable (RFC 7518 section 3.2 asks for at least the hash size).
constexpr size_t kMinimumSigningKeyBytes = 32;

// Reads a signing key file, the one reader for servers (--auth-key-file) and
// the CLI (`gzedu token issue --key-file`), so both sign with the same bytes:
// the file's content without trailing ASCII whitespace, since
// `openssl rand -base64 48 > key` and editors end the file in a newline (a
// raw key whose last random bytes happen to be whitespace loses them on both
// sides alike). InvalidArgument naming the file when it cannot be read or the
// key is shorter than kMinimumSigningKeyBytes.
absl::StatusOr<std::string> ReadSigningKeyFile(const std::string& path);

// Signs `principal` as a token. InvalidArgument for an empty key or
// subject, an unknown district code, or an expiry not after issuance.
absl::StatusOr<std::string> IssueToken(const std::string& key, const Principal& principal);

// Checks a token's shape, algorithm (HS256 only), signature (constant-time
// comparison), expiry and not-before ("nbf": a token not valid yet is
// refused, with no leeway) against `now_unix_s` and claims, and returns its
// principal. Unauthenticated, with the reason, for anything else: never a
// detail of the key. The token itself is never logged or echoed.
absl::StatusOr<Principal> VerifyToken(const std::string& key, const std::string& token, int64_t now_unix_s);

}  // namespace gzedu

#endif  // GZEDU_COMMON_AUTH_TOKEN_H_
