#ifndef GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_
#define GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_

// What every CSV import shares: named columns with English or Chinese
// headers, problems located by line and column, and the cell parsers.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/message.h>

#include "absl/strings/ascii.h"
#include "tools/gzedu/csv_reader.h"

namespace gzedu::cli {

// A problem with one cell (or, on line 1, with the header).
struct CsvProblem {
  int line = 0;
  std::string column;
  std::string description;

  bool operator==(const CsvProblem& other) const {
    return line == other.line && column == other.column && description == other.description;
  }
};

// "FILE:LINE: column: problem" ("FILE:LINE: problem" for a problem of the
// whole row, whose column is empty).
std::string FormatProblem(const std::string& file, const CsvProblem& problem);

// How a file names its columns: canonical (English) name -> the header cell
// as written in the file (e.g. "school_code" -> "学校标识码").
using ColumnLabels = std::map<std::string, std::string>;

// The column as the file's header names it; `column` itself when the header
// does not have it (a field the service named, or a missing column).
std::string LabelOf(const ColumnLabels& labels, const std::string& column);

// The lines that report `problems` (in line order, columns named as the
// file names them): of each kind of problem (one column, one description
// once quoted values and numbers are set aside) the first
// `shown_per_kind`, then, after all of those, per kind a line
// "FILE: … and N more rows with the same problem as line L (column): lines
// A to B".
// 50,000 rows with one mistake make a screenful, not 50,000 lines.
std::vector<std::string> ProblemReportLines(const std::string& file, std::vector<CsvProblem> problems,
                                            const ColumnLabels& labels, size_t shown_per_kind = 5);

// Where an entity came from, and how to name its fields in messages.
struct RowOrigin {
  int line = 0;
  // Maps an API field path below the entity (e.g. "sections[0].students")
  // to the CSV column it came from (e.g. "primary_students").
  std::vector<std::pair<std::string, std::string>> field_columns;
};

// The CSV column a server violation at `field_path` (below an entity) came
// from: a mapping of `origin`, a flattened "facilities.x" path, or the
// path itself.
std::string ColumnForField(const RowOrigin& origin, const std::string& field_path);

// A column: its canonical (English) name and the other headers accepted for
// it, as used on the national statistical forms.
struct ColumnSpec {
  const char* name;
  std::vector<const char*> aliases;
  bool required;
};

// Resolves header cells to canonical columns and reads cells by name.
// Unknown headers become warnings; missing required ones and repeated ones,
// problems on line 1.
class Columns {
 public:
  Columns(const std::vector<ColumnSpec>& specs, const std::vector<std::string>& header, const std::string& file,
          std::vector<CsvProblem>& problems, std::vector<std::string>& warnings);

  // The trimmed cell of `column` in `row`, empty when absent.
  std::string Get(const CsvRow& row, const std::string& column) const;

  // Whether `row` has exactly as many cells as the header; if not, records
  // "has 5 cells, the header has 14" for the row. A short row would
  // otherwise be read with its missing cells as zeros, a long one with its
  // extra cells dropped.
  bool CheckWidth(const CsvRow& row, std::vector<CsvProblem>& problems) const;

  // The header cells of the known columns, as the file writes them.
  const ColumnLabels& labels() const { return labels_; }

 private:
  std::map<std::string, size_t> index_;
  ColumnLabels labels_;
  size_t header_width_ = 0;
};

// Collects the problems of one row.
class RowErrors {
 public:
  RowErrors(int line, std::vector<CsvProblem>& problems) : line_(line), problems_(problems) {}
  void Add(const std::string& column, const std::string& problem) { problems_.push_back({line_, column, problem}); }

 private:
  int line_;
  std::vector<CsvProblem>& problems_;
};

// Lower case, trimmed, '-' and ' ' as '_'.
std::string Normalize(const std::string& text);

// Accepts the enum's full API name (with `prefix`), a short English form or
// a Chinese label.
template <typename Enum>
std::optional<Enum> ParseEnum(const std::string& text, const std::string& prefix,
                              const std::vector<std::pair<std::vector<std::string>, Enum>>& table) {
  std::string key = Normalize(text);
  const std::string lower_prefix = absl::AsciiStrToLower(prefix);
  if (key.rfind(lower_prefix, 0) == 0) key = key.substr(lower_prefix.size());
  for (const auto& [names, value] : table) {
    for (const std::string& name : names) {
      if (key == name || text == name) return value;
    }
  }
  return std::nullopt;
}

// 是/否, yes/no, true/false, 1/0; empty is false.
std::optional<bool> ParseBool(const std::string& text);
// A whole number; empty gives `fallback`. Records a problem otherwise.
bool ParseInt(const std::string& text, const std::string& column, int32_t fallback, int32_t* out, RowErrors& errors);
// A finite number; empty gives 0. Records a problem otherwise.
bool ParseNumber(const std::string& text, const std::string& column, double* out, RowErrors& errors);
// Values separated by ';' (or '；', as Chinese input methods type it).
std::vector<std::string> SplitList(const std::string& text);
// A date as spreadsheets write it, as "YYYY-MM-DD": 2015-09-01, 2015-9-1,
// 2015/9/1, 2015/09/01, 2015.9.1, 2015年9月1日, any of them followed by a
// midnight time (2015/9/1 0:00, as Excel writes a date-time cell), or an
// Excel serial day number (42248 is 2015-09-01, in Excel's 1900 date
// system). nullopt for anything else, and for days that do not exist
// (2015-02-29). The one date reader of every import.
std::optional<std::string> ParseDate(const std::string& text);

// The paths of the string fields of `message` (nested messages and
// repeated fields included, e.g. "sections[1].name", "tags[0]") that are not
// valid UTF-8: a service refuses such a message as a whole, so it must not
// be sent.
std::vector<std::string> InvalidUtf8Fields(const google::protobuf::Message& message);

// A decimal amount of yuan ("1234.5", "-0.01") as fen, exactly: false for
// anything that is not a number with at most two decimals.
bool ParseYuanToFen(const std::string& text, int64_t* fen);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_
