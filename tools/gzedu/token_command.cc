#include "tools/gzedu/token_command.h"

#include <chrono>
#include <cstdio>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "common/auth/token.h"

namespace gzedu::cli {

bool ParseDuration(const std::string& text, int64_t* seconds) {
  if (text.size() < 2) return false;
  int64_t value = 0;
  if (!absl::SimpleAtoi(text.substr(0, text.size() - 1), &value) || value <= 0) return false;
  switch (text.back()) {
    case 's':
      *seconds = value;
      return true;
    case 'm':
      *seconds = value * 60;
      return true;
    case 'h':
      *seconds = value * 3600;
      return true;
    case 'd':
      *seconds = value * 86400;
      return true;
  }
  return false;
}

int IssueTokenCommand(const TokenOptions& options) {
  // The servers' reader, so a key file ending in a newline signs alike here.
  absl::StatusOr<std::string> key = ReadSigningKeyFile(options.key_file);
  if (!key.ok()) {
    std::fprintf(stderr, "--key-file: %s\n", std::string(key.status().message()).c_str());
    return 2;
  }
  Principal principal;
  if (!ParseRole(options.role, &principal.role)) {
    std::fprintf(stderr, "--role %s: use district-writer, reader or admin\n", options.role.c_str());
    return 2;
  }
  int64_t ttl = 0;
  if (!ParseDuration(options.ttl, &ttl)) {
    std::fprintf(stderr, "--ttl %s: use a number with s, m, h or d (e.g. 1h)\n", options.ttl.c_str());
    return 2;
  }
  for (const std::string& d : options.districts) {
    if (d == "*") {
      principal.whole_city = true;
    } else {
      principal.district_codes.insert(d);
    }
  }
  principal.subject = options.subject.empty()
                          ? RoleName(principal.role) + "-" + absl::StrJoin(principal.district_codes, "-")
                          : options.subject;
  principal.issued_at_unix_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  principal.expires_at_unix_s = principal.issued_at_unix_s + ttl;
  absl::StatusOr<std::string> token = IssueToken(*key, principal);
  if (!token.ok()) {
    std::fprintf(stderr, "%s\n", std::string(token.status().message()).c_str());
    return 2;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}

}  // namespace gzedu::cli
