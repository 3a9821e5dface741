#include "common/domain/text.h"

#include <cstdint>

namespace gzedu {

bool IsDigits(absl::string_view text, size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<size_t> Utf8PrintableLength(absl::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    uint32_t code_point = 0;
    size_t extra = 0;
    if (lead < 0x80) {
      code_point = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      code_point = lead & 0x1F;
      extra = 1;
    } else if ((lead & 0xF0) == 0xE0) {
      code_point = lead & 0x0F;
      extra = 2;
    } else if ((lead & 0xF8) == 0xF0) {
      code_point = lead & 0x07;
      extra = 3;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size() && extra > 0) return std::nullopt;
    for (size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    // Overlong encodings, surrogates and values past Unicode are invalid.
    static constexpr uint32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
    if (code_point < kMinForLength[extra]) return std::nullopt;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return std::nullopt;
    if (code_point > 0x10FFFF) return std::nullopt;
    if (code_point < 0x20 || code_point == 0x7F) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

bool IsValidRequestId(absl::string_view request_id) {
  if (request_id.empty() || request_id.size() > 128) return false;
  for (char c : request_id) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace gzedu
