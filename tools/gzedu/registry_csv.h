#ifndef GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_
#define GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_

#include <string>
#include <vector>

#include "gzedu/registry/v1/registry.pb.h"
#include "tools/gzedu/csv_reader.h"

namespace gzedu::cli {

// The registry's CSV formats (documented in docs/import-formats.md): the
// columns, their English and Chinese header names, and how each cell becomes
// a field of the public API's messages. Pure: no I/O.

// Where each entity came from, and how to name its fields in messages.
struct RowOrigin {
  int line = 0;
  // Maps an API field path below the entity (e.g. "sections[0].students")
  // to the CSV column it came from (e.g. "primary_students").
  std::vector<std::pair<std::string, std::string>> field_columns;
};

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

struct ParsedSchools {
  std::vector<registry::v1::School> schools;  // one per row, problems or not
  std::vector<RowOrigin> origins;             // one per school
  bool header_ok = true;                      // false: no row was read
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;  // e.g. ignored columns
};

struct ParsedSchoolYears {
  std::vector<registry::v1::SchoolYearRecord> records;
  std::vector<RowOrigin> origins;
  bool header_ok = true;
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
};

// `file` names the file in warnings.
ParsedSchools ParseSchoolsCsv(const CsvTable& table, const std::string& file);
ParsedSchoolYears ParseSchoolYearsCsv(const CsvTable& table, const std::string& file);

// Turns a violation reported by the server for `field_path` below an entity
// (e.g. "sections[0].students") into the CSV column it came from, or the
// path itself when no column matches.
std::string ColumnForField(const RowOrigin& origin, const std::string& field_path);

// Parses a decimal amount of yuan ("1234.5", "-0.01") into fen, exactly:
// false for anything that is not a number with at most two decimals.
bool ParseYuanToFen(const std::string& text, int64_t* fen);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_
