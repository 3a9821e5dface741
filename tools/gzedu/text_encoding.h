#ifndef GZEDU_TOOLS_GZEDU_TEXT_ENCODING_H_
#define GZEDU_TOOLS_GZEDU_TEXT_ENCODING_H_

// The encodings district files arrive in, and their conversion to the UTF-8
// every service expects. Pure: no I/O (conversion through glibc's iconv).

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gzedu::cli {

// A file's text as UTF-8 and the encoding it was read in.
struct DecodedText {
  std::string utf8;
  // "UTF-8", "UTF-8 with BOM", "GB18030" (which includes GBK and GB2312),
  // "UTF-16LE" or "UTF-16BE".
  std::string encoding;
};

// Whether `text` is well-formed UTF-8 (no overlong forms, no surrogates,
// nothing above U+10FFFF). When it is not and `bad_offset` is given, the
// offset of the first byte that does not belong.
bool IsValidUtf8(absl::string_view text, size_t* bad_offset = nullptr);

// The 1-based line of byte `offset` of `text` (counting '\n' before it).
int LineOfOffset(absl::string_view text, size_t offset);

// Reads the bytes of a CSV file as spreadsheet programs save it:
// - UTF-8, with or without a byte-order mark (the mark is dropped);
// - UTF-16 with a byte-order mark (Excel's "Unicode text");
// - otherwise GB18030, the superset of GBK and GB2312 that a Chinese Excel
//   or WPS writes for "CSV (comma delimited)".
// A file that is mostly UTF-8 but has damaged bytes is not guessed to be
// GB18030 (that would turn its Chinese into nonsense): it is refused.
// InvalidArgument "LINE: problem" naming the encoding tried and the line of
// the first byte that cannot be read, or for NUL bytes (UTF-16 without a
// mark).
absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_TEXT_ENCODING_H_
