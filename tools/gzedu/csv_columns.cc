#include "tools/gzedu/csv_columns.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "tools/gzedu/text_encoding.h"

namespace gzedu::cli {

std::string FormatProblem(const std::string& file, const CsvProblem& problem) {
  if (problem.column.empty()) return absl::StrCat(file, ":", problem.line, ": ", problem.description);
  return absl::StrCat(file, ":", problem.line, ": ", problem.column, ": ", problem.description);
}

std::string LabelOf(const ColumnLabels& labels, const std::string& column) {
  auto it = labels.find(column);
  return it == labels.end() ? column : it->second;
}

namespace {

// What stays of a description once its quoted values and numbers are set
// aside: "'440199' is not one of 440103, ..." and "'440200' is not one of
// 440103, ..." are one kind of problem.
std::string ProblemKind(const std::string& description) {
  std::string kind;
  bool in_quote = false;
  for (size_t i = 0; i < description.size(); ++i) {
    const char c = description[i];
    if (c == '\'') {
      if (!in_quote) kind += "'…'";
      in_quote = !in_quote;
      continue;
    }
    if (in_quote) continue;
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      if (kind.empty() || kind.back() != '#') kind.push_back('#');
      continue;
    }
    kind.push_back(c);
  }
  return kind;
}

}  // namespace

std::vector<std::string> ProblemReportLines(const std::string& file, std::vector<CsvProblem> problems,
                                            const ColumnLabels& labels, size_t shown_per_kind) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
  struct Kind {
    size_t shown = 0;
    std::set<int> hidden_lines;
    size_t hidden = 0;
    const CsvProblem* first = nullptr;
  };
  std::map<std::pair<std::string, std::string>, Kind> kinds;
  std::vector<const Kind*> order;  // kinds in the order they first appear
  std::vector<std::string> lines;
  for (const CsvProblem& problem : problems) {
    Kind& kind = kinds[{problem.column, ProblemKind(problem.description)}];
    if (kind.first == nullptr) {
      kind.first = &problem;
      order.push_back(&kind);
    }
    if (kind.shown < shown_per_kind) {
      ++kind.shown;
      CsvProblem labelled = problem;
      labelled.column = LabelOf(labels, problem.column);
      lines.push_back(FormatProblem(file, labelled));
    } else {
      ++kind.hidden;
      kind.hidden_lines.insert(problem.line);
    }
  }
  for (const Kind* kind : order) {
    if (kind->hidden == 0) continue;
    const std::string column = LabelOf(labels, kind->first->column);
    const size_t rows = kind->hidden_lines.size();
    const int first_line = *kind->hidden_lines.begin();
    const int last_line = *kind->hidden_lines.rbegin();
    lines.push_back(absl::StrCat(
        file, ": … and ", rows, rows == 1 ? " more row" : " more rows", " with the same problem as line ",
        kind->first->line, column.empty() ? "" : absl::StrCat(" (", column, ")"),
        rows == 1 ? absl::StrCat(": line ", first_line) : absl::StrCat(": lines ", first_line, " to ", last_line)));
  }
  return lines;
}

Columns::Columns(const std::vector<ColumnSpec>& specs, const std::vector<std::string>& header, const std::string& file,
                 std::vector<CsvProblem>& problems, std::vector<std::string>& warnings)
    : header_width_(header.size()) {
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
      problems.push_back({1, header[i], "the column appears twice"});
    } else {
      labels_[match->name] = header[i];
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

bool Columns::CheckWidth(const CsvRow& row, std::vector<CsvProblem>& problems) const {
  if (row.cells.size() == header_width_) return true;
  problems.push_back({row.line, "",
                      absl::StrCat("has ", row.cells.size(), row.cells.size() == 1 ? " cell" : " cells",
                                   ", the header has ", header_width_)});
  return false;
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
    int64_t wide = 0;
    errors.Add(column, absl::SimpleAtoi(text, &wide) ? absl::StrCat("'", text, "' is too large (at most 2147483647)")
                                                     : absl::StrCat("'", text, "' is not a whole number"));
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

namespace {

// Reads the digits at the front of `text` (1 to `max_digits`) into `value`.
bool ConsumeNumber(absl::string_view& text, size_t max_digits, int* value) {
  size_t n = 0;
  *value = 0;
  while (n < text.size() && n < max_digits && absl::ascii_isdigit(static_cast<unsigned char>(text[n]))) {
    *value = *value * 10 + (text[n] - '0');
    ++n;
  }
  if (n == 0 || (n < text.size() && absl::ascii_isdigit(static_cast<unsigned char>(text[n])))) return false;
  text.remove_prefix(n);
  return true;
}

// The day, if (year, month, day) names one.
std::optional<absl::CivilDay> Day(int year, int month, int day) {
  if (year < 1900 || year > 2199 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  const absl::CivilDay civil(year, month, day);
  if (civil.year() != year || civil.month() != month || civil.day() != day) return std::nullopt;
  return civil;
}

// A time of day that is midnight (0:00, 00:00:00), as Excel writes for a
// date-time cell holding a plain date.
bool IsMidnight(absl::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c != '0' && c != ':') return false;
  }
  return text.find(':') != absl::string_view::npos && text.front() != ':' && text.back() != ':';
}

}  // namespace

std::optional<std::string> ParseDate(const std::string& input) {
  absl::string_view text = absl::StripAsciiWhitespace(input);
  if (text.empty()) return std::nullopt;
  // An Excel serial day: 1 is 1900-01-01; Excel counts a 29 February 1900
  // that never was (serial 60), so later serials are days since 1899-12-30.
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    int serial = 0;
    if (text.size() > 5 || !absl::SimpleAtoi(text, &serial) || serial < 1 || serial == 60) return std::nullopt;
    const absl::CivilDay day =
        serial < 60 ? absl::CivilDay(1899, 12, 31) + serial : absl::CivilDay(1899, 12, 30) + serial;
    if (day.year() > 2199) return std::nullopt;
    return absl::FormatCivilTime(day);
  }
  if (const size_t space = text.find(' '); space != absl::string_view::npos) {
    if (!IsMidnight(absl::StripAsciiWhitespace(text.substr(space + 1)))) return std::nullopt;
    text = text.substr(0, space);
  }
  int year = 0;
  int month = 0;
  int day = 0;
  if (!ConsumeNumber(text, 4, &year)) return std::nullopt;
  if (absl::ConsumePrefix(&text, "年")) {
    if (!ConsumeNumber(text, 2, &month) || !absl::ConsumePrefix(&text, "月") || !ConsumeNumber(text, 2, &day)) {
      return std::nullopt;
    }
    absl::ConsumePrefix(&text, "日");
  } else {
    if (text.empty() || (text[0] != '-' && text[0] != '/' && text[0] != '.')) return std::nullopt;
    const char separator = text[0];
    text.remove_prefix(1);
    if (!ConsumeNumber(text, 2, &month) || text.empty() || text[0] != separator) return std::nullopt;
    text.remove_prefix(1);
    if (!ConsumeNumber(text, 2, &day)) return std::nullopt;
  }
  if (!text.empty()) return std::nullopt;
  const std::optional<absl::CivilDay> civil = Day(year, month, day);
  if (!civil) return std::nullopt;
  return absl::FormatCivilTime(*civil);
}

namespace {

void CollectInvalidUtf8(const google::protobuf::Message& message, const std::string& prefix,
                        std::vector<std::string>& paths) {
  using google::protobuf::FieldDescriptor;
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    const std::string path = prefix.empty() ? field->name() : absl::StrCat(prefix, ".", field->name());
    const bool text = field->type() == FieldDescriptor::TYPE_STRING;
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (!text && !nested) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        const std::string item = absl::StrCat(path, "[", i, "]");
        if (nested) {
          CollectInvalidUtf8(reflection->GetRepeatedMessage(message, field, i), item, paths);
        } else if (!IsValidUtf8(reflection->GetRepeatedString(message, field, i))) {
          paths.push_back(item);
        }
      }
    } else if (nested) {
      CollectInvalidUtf8(reflection->GetMessage(message, field), path, paths);
    } else if (!IsValidUtf8(reflection->GetString(message, field))) {
      paths.push_back(path);
    }
  }
}

}  // namespace

std::vector<std::string> InvalidUtf8Fields(const google::protobuf::Message& message) {
  std::vector<std::string> paths;
  CollectInvalidUtf8(message, "", paths);
  return paths;
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
