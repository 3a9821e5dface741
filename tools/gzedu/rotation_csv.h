#ifndef GZEDU_TOOLS_GZEDU_ROTATION_CSV_H_
#define GZEDU_TOOLS_GZEDU_ROTATION_CSV_H_

#include <string>
#include <vector>

#include "gzedu/rotation/v1/rotation.pb.h"
#include "tools/gzedu/csv_columns.h"

namespace gzedu::cli {

// The rotation service's CSV formats (docs/import-formats.md). Pure.

struct ParsedTeachers {
  std::vector<rotation::v1::Teacher> teachers;  // one per row
  std::vector<RowOrigin> origins;
  bool header_ok = true;
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
  ColumnLabels labels;  // how the file's header names its columns
};

// A rotation row: the rotation to propose, whether to approve it too, and
// who acts.
struct RotationRow {
  rotation::v1::Rotation rotation;
  bool approve = false;
  std::string actor;
};

struct ParsedRotations {
  std::vector<RotationRow> rows;
  std::vector<RowOrigin> origins;
  bool header_ok = true;
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
  ColumnLabels labels;  // how the file's header names its columns
};

ParsedTeachers ParseTeachersCsv(const CsvTable& table, const std::string& file);
ParsedRotations ParseRotationsCsv(const CsvTable& table, const std::string& file);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_ROTATION_CSV_H_
