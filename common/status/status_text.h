#ifndef GZEDU_COMMON_STATUS_STATUS_TEXT_H_
#define GZEDU_COMMON_STATUS_STATUS_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status/field_violations.h"

namespace gzedu {

// The one way a status is written for people (the CLI's error lines, the
// servers' log fields): the code's name, then the message once, then each
// detail on a line of its own, indented:
//
//   INVALID_ARGUMENT: 2 rows refused
//     schools[0].district_code: 999999 is not a Guangzhou district
//
// "OK" for an OK status; the code alone when the message is empty. The
// summary StatusWithViolations adds to the message (the count and the first
// violation) is left out when the details follow. Unlike
// absl::Status::ToString, payloads other than field violations are not
// printed (they are not text).
//
// In StatusLanguage::kChinese the Chinese message `message_zh` replaces the
// message and each detail's description_zh its description (the code's name
// and the field paths stay as they are); wherever a Chinese text is missing
// (a server that sent none), the English one is written. Logs stay English.
std::string StatusText(absl::StatusCode code, absl::string_view message, const std::vector<FieldViolation>& details,
                       StatusLanguage language = StatusLanguage::kEnglish, absl::string_view message_zh = "");

// The same for an absl::Status, with the field violations it carries (see
// StatusWithViolations) as its details and its ChineseMessage.
std::string StatusText(const absl::Status& status, StatusLanguage language = StatusLanguage::kEnglish);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STATUS_STATUS_TEXT_H_
