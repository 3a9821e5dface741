#ifndef GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_
#define GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_

#include <string>
#include <vector>

#include "gzedu/registry/v1/registry.pb.h"
#include "tools/gzedu/csv_columns.h"

namespace gzedu::cli {

// The registry's CSV formats (documented in docs/import-formats.md): the
// columns, their English and Chinese header names, and how each cell becomes
// a field of the public API's messages. Pure: no I/O.

struct ParsedSchools {
  std::vector<registry::v1::School> schools;  // one per row, problems or not
  std::vector<RowOrigin> origins;             // one per school
  bool header_ok = true;                      // false: no row was read
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;  // e.g. ignored columns
  ColumnLabels labels;                // how the file's header names its columns
};

struct ParsedSchoolYears {
  std::vector<registry::v1::SchoolYearRecord> records;
  std::vector<RowOrigin> origins;
  bool header_ok = true;
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
  ColumnLabels labels;
};

// `file` names the file in warnings.
ParsedSchools ParseSchoolsCsv(const CsvTable& table, const std::string& file);
ParsedSchoolYears ParseSchoolYearsCsv(const CsvTable& table, const std::string& file);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_REGISTRY_CSV_H_
