#ifndef GZEDU_TOOLS_GZEDU_AUDIT_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_AUDIT_COMMAND_H_

#include <string>

namespace gzedu::cli {

// Filters of `gzedu audit`; empty: any.
struct AuditQuery {
  std::string file;  // a server's --audit-log
  std::string principal;
  std::string method;
  std::string outcome;  // ok, failed, denied
  std::string district;
  std::string request_id;
  std::string format = "text";  // text (a table) or json (the matching lines)
};

// `gzedu audit FILE`: prints the audit records matching `query`, oldest
// first, and how many matched. Returns 0, or 2 when the file cannot be read
// (a malformed line is reported with its number and skipped).
int AuditCommand(const AuditQuery& query);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_AUDIT_COMMAND_H_
