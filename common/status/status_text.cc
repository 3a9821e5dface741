#include "common/status/status_text.h"

#include "absl/strings/str_cat.h"

namespace gzedu {

std::string StatusText(absl::StatusCode code, absl::string_view message, const std::vector<FieldViolation>& details) {
  std::string text = absl::StatusCodeToString(code);
  if (!message.empty()) absl::StrAppend(&text, ": ", message);
  for (const FieldViolation& detail : details) absl::StrAppend(&text, "\n  ", detail.field, ": ", detail.description);
  return text;
}

std::string StatusText(const absl::Status& status) {
  return StatusText(status.code(), status.message(), GetFieldViolations(status));
}

}  // namespace gzedu
