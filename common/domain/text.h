#ifndef GZEDU_COMMON_DOMAIN_TEXT_H_
#define GZEDU_COMMON_DOMAIN_TEXT_H_

#include <cstddef>
#include <optional>
#include "absl/strings/string_view.h"

namespace gzedu {

// True when `text` has exactly `length` characters, all ASCII digits.
bool IsDigits(absl::string_view text, size_t length);

// The number of code points of `text` when it is valid UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF, no control characters), or
// nullopt when it is not.
std::optional<size_t> Utf8PrintableLength(absl::string_view text);

// True for a usable request id: 1 to 128 printable ASCII characters.
bool IsValidRequestId(absl::string_view request_id);

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_TEXT_H_
