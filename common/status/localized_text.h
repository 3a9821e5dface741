#ifndef GZEDU_COMMON_STATUS_LOCALIZED_TEXT_H_
#define GZEDU_COMMON_STATUS_LOCALIZED_TEXT_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gzedu {

// What a service says to people, in the two languages its users read:
// English (status messages, google.rpc.BadRequest, logs) and Simplified
// Chinese (zh-CN; district and city staff, `gzedu ... --lang zh`). Both are
// always given: a message has no Chinese-less form.
struct LocalizedText {
  std::string en;
  std::string zh;

  bool operator==(const LocalizedText& other) const { return en == other.en && zh == other.zh; }
};

// The language a status is written in for people (StatusText).
enum class StatusLanguage { kEnglish, kChinese };

// The BCP 47 locale of the Chinese texts on the wire
// (google.rpc.LocalizedMessage, gzedu.common.v1.LocalizedFieldViolations).
inline constexpr char kChineseLocale[] = "zh-CN";

// A status of `code` whose message is `message.en` and which carries
// `message.zh` as a payload (see ChineseMessage), which the transport edge
// sends as a google.rpc.LocalizedMessage. The way our code makes every
// status a user may read (NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS,
// PERMISSION_DENIED, OUT_OF_RANGE, UNAVAILABLE, ...). `code` is not OK.
absl::Status LocalizedError(absl::StatusCode code, const LocalizedText& message);

// Attaches (or replaces) the Chinese message of a non-OK `status`.
void SetChineseMessage(absl::Status& status, absl::string_view message_zh);

// The Chinese message `status` carries, or nullopt when it has none.
std::optional<std::string> ChineseMessage(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STATUS_LOCALIZED_TEXT_H_
