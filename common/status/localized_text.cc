#include "common/status/localized_text.h"

#include "absl/strings/cord.h"

namespace gzedu {
namespace {

constexpr char kChineseMessageUrl[] = "type.gzedu/message-zh";

}  // namespace

absl::Status LocalizedError(absl::StatusCode code, const LocalizedText& message) {
  absl::Status status(code, message.en);
  SetChineseMessage(status, message.zh);
  return status;
}

void SetChineseMessage(absl::Status& status, absl::string_view message_zh) {
  if (status.ok() || message_zh.empty()) return;
  status.SetPayload(kChineseMessageUrl, absl::Cord(message_zh));
}

std::optional<std::string> ChineseMessage(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kChineseMessageUrl);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace gzedu
