#include "tools/gzedu/csv_reader.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace gzedu::cli {

absl::StatusOr<CsvTable> ParseCsv(absl::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string cell;
  bool quoted_cell = false;  // the current cell was quoted
  bool in_quotes = false;
  bool row_has_content = false;
  int line = 1;
  row.line = 1;

  auto end_cell = [&] {
    row.cells.push_back(quoted_cell ? cell : std::string(absl::StripAsciiWhitespace(cell)));
    cell.clear();
    quoted_cell = false;
  };
  auto end_row = [&] {
    end_cell();
    // A row of empty cells (",,,," as spreadsheets write for formatted but
    // empty rows) is a blank line.
    const bool all_empty =
        std::all_of(row.cells.begin(), row.cells.end(), [](const std::string& c) { return c.empty(); });
    if (row_has_content && !all_empty) rows.push_back(std::move(row));
    row = CsvRow();
    row_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    switch (c) {
      case '"':
        if (!absl::StripAsciiWhitespace(cell).empty() || quoted_cell) {
          return absl::InvalidArgumentError(absl::StrCat(line, ": a quote inside an unquoted cell"));
        }
        cell.clear();
        in_quotes = true;
        quoted_cell = true;
        row_has_content = true;
        break;
      case ',':
        end_cell();
        row_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        end_row();
        ++line;
        row.line = line;
        break;
      default:
        if (quoted_cell && c != ' ' && c != '\t') {
          return absl::InvalidArgumentError(absl::StrCat(line, ": text after a closing quote"));
        }
        if (c != ' ' && c != '\t') row_has_content = true;
        if (!quoted_cell) cell.push_back(c);
    }
  }
  if (in_quotes) return absl::InvalidArgumentError(absl::StrCat(row.line, ": a quoted cell is never closed"));
  end_row();

  if (rows.empty()) return absl::InvalidArgumentError("1: the file is empty; it needs a header row");
  CsvTable table;
  table.header = std::move(rows.front().cells);
  table.rows.assign(std::make_move_iterator(rows.begin() + 1), std::make_move_iterator(rows.end()));
  return table;
}

}  // namespace gzedu::cli
