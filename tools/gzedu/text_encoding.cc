#include "tools/gzedu/text_encoding.h"

#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace gzedu::cli {
namespace {

// What a pass over bytes as UTF-8 found.
struct Utf8Scan {
  size_t invalid_bytes = 0;    // bytes that start no well-formed sequence
  size_t three_byte_plus = 0;  // well-formed sequences of 3 or 4 bytes (CJK is 3)
  size_t first_bad = std::string::npos;
};

// The length of the well-formed UTF-8 sequence at `i`, or 0 (RFC 3629,
// table 3-7 of the Unicode standard).
size_t SequenceLength(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  const auto continuation = [&](size_t k, unsigned char low, unsigned char high) {
    return k < s.size() && byte(k) >= low && byte(k) <= high;
  };
  if (c >= 0xC2 && c <= 0xDF) return continuation(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char low = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char high = c == 0xED ? 0x9F : 0xBF;  // no surrogates
    return continuation(i + 1, low, high) && continuation(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char low = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char high = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
    return continuation(i + 1, low, high) && continuation(i + 2, 0x80, 0xBF) && continuation(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

Utf8Scan ScanUtf8(absl::string_view s) {
  Utf8Scan scan;
  for (size_t i = 0; i < s.size();) {
    const size_t length = SequenceLength(s, i);
    if (length == 0) {
      if (scan.invalid_bytes == 0) scan.first_bad = i;
      ++scan.invalid_bytes;
      ++i;
      continue;
    }
    if (length >= 3) ++scan.three_byte_plus;
    i += length;
  }
  return scan;
}

std::string Hex(unsigned char c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", c);
  return buffer;
}

// Converts `bytes` from `encoding` to UTF-8 with iconv; on a sequence that
// cannot be read, false and its offset.
bool Convert(absl::string_view bytes, const char* encoding, std::string* out, size_t* bad_offset) {
  iconv_t cd = iconv_open("UTF-8", encoding);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *bad_offset = 0;
    return false;
  }
  out->clear();
  std::string input(bytes);
  char* in = input.data();
  size_t in_left = input.size();
  char buffer[16384];
  bool ok = true;
  while (in_left > 0) {
    char* out_ptr = buffer;
    size_t out_left = sizeof buffer;
    const size_t result = iconv(cd, &in, &in_left, &out_ptr, &out_left);
    out->append(buffer, static_cast<size_t>(out_ptr - buffer));
    if (result == static_cast<size_t>(-1) && errno != E2BIG) {
      // EILSEQ: a sequence that is not of the encoding; EINVAL: one cut
      // off at the end of the file.
      ok = false;
      *bad_offset = static_cast<size_t>(in - input.data());
      break;
    }
  }
  iconv_close(cd);
  return ok;
}

}  // namespace

bool IsValidUtf8(absl::string_view text, size_t* bad_offset) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = SequenceLength(text, i);
    if (length == 0) {
      if (bad_offset != nullptr) *bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

int LineOfOffset(absl::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(offset), '\n'));
}

absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes) {
  DecodedText decoded;
  const auto utf16 = [&](const char* encoding) -> absl::StatusOr<DecodedText> {
    size_t bad = 0;
    if (!Convert(bytes.substr(2), encoding, &decoded.utf8, &bad)) {
      // The line of the bad unit: the lines of what was converted before it.
      return absl::InvalidArgumentError(
          absl::StrCat(LineOfOffset(decoded.utf8, decoded.utf8.size()), ": the file starts as ", encoding,
                       " (a byte-order mark) but has a unit that is not ", encoding, "; save it as \"CSV UTF-8\""));
    }
    decoded.encoding = encoding;
    return decoded;
  };
  if (bytes.substr(0, 2) == "\xFF\xFE") return utf16("UTF-16LE");
  if (bytes.substr(0, 2) == "\xFE\xFF") return utf16("UTF-16BE");

  const bool bom = bytes.substr(0, 3) == "\xEF\xBB\xBF";
  const absl::string_view body = bom ? bytes.substr(3) : bytes;
  if (const size_t nul = body.find('\0'); nul != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(LineOfOffset(body, nul),
                     ": the file holds NUL bytes: it is not text, or UTF-16 without a byte-order mark; save it as "
                     "\"CSV UTF-8\""));
  }
  const Utf8Scan scan = ScanUtf8(body);
  if (scan.invalid_bytes == 0) {
    decoded.utf8 = std::string(body);
    decoded.encoding = bom ? "UTF-8 with BOM" : "UTF-8";
    return decoded;
  }
  const std::string bad_byte = Hex(static_cast<unsigned char>(body[scan.first_bad]));
  // Chinese in UTF-8 is three bytes a character; in GBK two bytes that only
  // now and then happen to form a three-byte UTF-8 sequence. Many such
  // sequences and few bad bytes: a UTF-8 file that was damaged.
  if (bom || scan.three_byte_plus > 4 * scan.invalid_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(LineOfOffset(body, scan.first_bad), ": the file is UTF-8 but byte ",
                                                   bad_byte, " there is not (", scan.invalid_bytes,
                                                   scan.invalid_bytes == 1 ? " such byte" : " such bytes",
                                                   " in the file); save it again as \"CSV UTF-8\""));
  }
  size_t bad = 0;
  if (!Convert(body, "GB18030", &decoded.utf8, &bad)) {
    const std::string gb_byte = bad < body.size() ? Hex(static_cast<unsigned char>(body[bad])) : "at the end";
    return absl::InvalidArgumentError(
        absl::StrCat(LineOfOffset(body, bad), ": the file is neither UTF-8 (byte ", bad_byte, " on line ",
                     LineOfOffset(body, scan.first_bad), ") nor GB18030/GBK (byte ", gb_byte,
                     "); save it as \"CSV UTF-8\" or \"CSV (comma delimited)\" from a Chinese Excel"));
  }
  decoded.encoding = "GB18030";
  return decoded;
}

}  // namespace gzedu::cli
