#include "common/status/status_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gzedu {
namespace {

// StatusWithViolations ends the message with " (N violations; first: FIELD:
// DESCRIPTION)" for clients that show the message alone; above the list of
// details that would say the first violation twice, so it is left out.
absl::string_view WithoutViolationSummary(absl::string_view message, const std::vector<FieldViolation>& details) {
  if (details.empty()) return message;
  const std::string tail = absl::StrCat("; first: ", details.front().field, ": ", details.front().description, ")");
  if (!absl::EndsWith(message, tail)) return message;
  const absl::string_view head = message.substr(0, message.size() - tail.size());
  const size_t open = head.rfind(" (");
  if (open == absl::string_view::npos || !(absl::EndsWith(head, " violation") || absl::EndsWith(head, " violations"))) {
    return message;
  }
  return head.substr(0, open);
}

}  // namespace

std::string StatusText(absl::StatusCode code, absl::string_view message, const std::vector<FieldViolation>& details,
                       StatusLanguage language, absl::string_view message_zh) {
  const bool chinese = language == StatusLanguage::kChinese;
  std::string text = absl::StatusCodeToString(code);
  message = chinese && !message_zh.empty() ? message_zh : WithoutViolationSummary(message, details);
  // gRPC's own cancellations carry the code's name as their message: once.
  if (!message.empty() && message != text) absl::StrAppend(&text, ": ", message);
  for (const FieldViolation& detail : details) {
    const std::string& description =
        chinese && !detail.description_zh.empty() ? detail.description_zh : detail.description;
    absl::StrAppend(&text, "\n  ", detail.field, ": ", description);
  }
  return text;
}

std::string StatusText(const absl::Status& status, StatusLanguage language) {
  return StatusText(status.code(), status.message(), GetFieldViolations(status), language,
                    ChineseMessage(status).value_or(""));
}

}  // namespace gzedu
