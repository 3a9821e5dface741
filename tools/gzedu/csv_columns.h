#ifndef GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_
#define GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_

// What every CSV import shares: named columns with English or Chinese
// headers, problems located by line and column, and the cell parsers.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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

// "FILE:LINE: column: problem".
std::string FormatProblem(const std::string& file, const CsvProblem& problem);

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

 private:
  std::map<std::string, size_t> index_;
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
// A decimal amount of yuan ("1234.5", "-0.01") as fen, exactly: false for
// anything that is not a number with at most two decimals.
bool ParseYuanToFen(const std::string& text, int64_t* fen);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_CSV_COLUMNS_H_
