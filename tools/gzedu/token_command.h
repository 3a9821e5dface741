#ifndef GZEDU_TOOLS_GZEDU_TOKEN_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_TOKEN_COMMAND_H_

#include <string>
#include <vector>

namespace gzedu::cli {

struct TokenOptions {
  std::string key_file;
  std::string role;
  std::vector<std::string> districts;  // or {"*"} for the whole city
  std::string ttl = "1h";              // e.g. 90s, 30m, 1h, 7d
  std::string subject;
};

// `gzedu token issue`: prints a signed bearer token (HS256 JWT) for
// operators. Returns 0, or 2 with the reason for a bad option or key file.
int IssueTokenCommand(const TokenOptions& options);

// "90s", "30m", "1h", "7d" as seconds; false when malformed.
bool ParseDuration(const std::string& text, int64_t* seconds);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_TOKEN_COMMAND_H_
