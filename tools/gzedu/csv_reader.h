#ifndef GZEDU_TOOLS_GZEDU_CSV_READER_H_
#define GZEDU_TOOLS_GZEDU_CSV_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gzedu::cli {

// One data row of a CSV file and the line it starts on (1-based, counting
// the header as line 1), for error messages of the form FILE:LINE.
struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
};

// A parsed CSV file: header cells (trimmed) and data rows.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
};

// Parses RFC 4180 CSV text (UTF-8: see DecodeToUtf8 for other encodings): comma-separated, fields optionally in double
// quotes (a doubled quote inside stands for one), quoted fields may span
// lines, CRLF or LF line ends, a UTF-8 byte-order mark (as spreadsheet
// programs write) skipped. Blank lines, and rows whose cells are all empty,
// are skipped. Unquoted cells are
// trimmed of surrounding spaces. InvalidArgument "LINE: problem" for an
// unterminated quote, text after a closing quote, or a missing header.
absl::StatusOr<CsvTable> ParseCsv(absl::string_view text);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_CSV_READER_H_
