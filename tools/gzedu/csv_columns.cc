#include "tools/gzedu/csv_columns.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gzedu::cli {

std::string FormatProblem(const std::string& file, const CsvProblem& problem) {
  return absl::StrCat(file, ":", problem.line, ": ", problem.column, ": ", problem.description);
}

Columns::Columns(const std::vector<ColumnSpec>& specs, const std::vector<std::string>& header, const std::string& file,
                 std::vector<CsvProblem>& problems, std::vector<std::string>& warnings) {
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string cell = absl::AsciiStrToLower(header[i]);
    const ColumnSpec* match = nullptr;
    for (const ColumnSpec& spec : specs) {
      if (cell == spec.name) match = &spec;
      for (const char* alias : spec.aliases) {
        if (header[i] == alias) match = &spec;
      }
    }
    if (match == nullptr) {
      warnings.push_back(absl::StrCat(file, ":1: column '", header[i], "' is not known and is ignored"));
      continue;
    }
    if (!index_.emplace(match->name, i).second) {
      problems.push_back({1, match->name, "the column appears twice"});
    }
  }
  for (const ColumnSpec& spec : specs) {
    if (spec.required && index_.count(spec.name) == 0) {
      std::string names = spec.name;
      for (const char* alias : spec.aliases) absl::StrAppend(&names, " / ", alias);
      problems.push_back({1, spec.name, absl::StrCat("required column is missing (header ", names, ")")});
    }
  }
}

std::string Columns::Get(const CsvRow& row, const std::string& column) const {
  auto it = index_.find(column);
  if (it == index_.end() || it->second >= row.cells.size()) return "";
  return row.cells[it->second];
}

std::string Normalize(const std::string& text) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (char& c : lower) {
    if (c == '-' || c == ' ') c = '_';
  }
  return lower;
}

std::optional<bool> ParseBool(const std::string& text) {
  const std::string key = Normalize(text);
  if (key.empty() || key == "0" || key == "false" || key == "no" || text == "否") return false;
  if (key == "1" || key == "true" || key == "yes" || text == "是") return true;
  return std::nullopt;
}

// An integer cell; empty gives `fallback`.
bool ParseInt(const std::string& text, const std::string& column, int32_t fallback, int32_t* out, RowErrors& errors) {
  if (text.empty()) {
    *out = fallback;
    return true;
  }
  if (!absl::SimpleAtoi(text, out)) {
    errors.Add(column, absl::StrCat("'", text, "' is not a whole number"));
    return false;
  }
  return true;
}

bool ParseNumber(const std::string& text, const std::string& column, double* out, RowErrors& errors) {
  if (text.empty()) {
    *out = 0;
    return true;
  }
  if (!absl::SimpleAtod(text, out) || !std::isfinite(*out)) {
    errors.Add(column, absl::StrCat("'", text, "' is not a number"));
    return false;
  }
  return true;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::string normalized = text;
  for (size_t pos; (pos = normalized.find("；")) != std::string::npos;) normalized.replace(pos, 3, ";");
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(normalized, ';', absl::SkipWhitespace())) {
    items.emplace_back(absl::StripAsciiWhitespace(item));
  }
  return items;
}

bool ParseYuanToFen(const std::string& text, int64_t* fen) {
  absl::string_view s = absl::StripAsciiWhitespace(text);
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  const size_t dot = s.find('.');
  absl::string_view whole = s.substr(0, dot);
  absl::string_view decimals = dot == absl::string_view::npos ? absl::string_view() : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 15 || decimals.size() > 2) return false;
  if (dot != absl::string_view::npos && decimals.empty()) return false;
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  for (size_t i = 0; i < 2; ++i) {
    const char c = i < decimals.size() ? decimals[i] : '0';
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *fen = negative ? -value : value;
  return true;
}

std::string ColumnForField(const RowOrigin& origin, const std::string& field_path) {
  for (const auto& [path, column] : origin.field_columns) {
    if (field_path == path || field_path.rfind(path + "[", 0) == 0) return column;
  }
  // Facilities are flat columns of the same name.
  const std::string facilities = "facilities.";
  if (field_path.rfind(facilities, 0) == 0) {
    std::string column = field_path.substr(facilities.size());
    const size_t bracket = column.find('[');
    return bracket == std::string::npos ? column : column.substr(0, bracket);
  }
  return field_path;
}

}  // namespace gzedu::cli
