#ifndef GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_

#include <string>

namespace gzedu::cli {

struct ImportOptions {
  std::string file;
  std::string target;  // HOST:PORT of the service that owns the data
  // For teachers: the school registry their schools are checked against
  // (HOST:PORT); empty: `target` (as for `gzedu serve`).
  std::string registry_target;
  bool dry_run = false;
  int batch_size = 500;
  bool quiet = false;  // no progress lines
};

// `gzedu import schools|school-years|teachers FILE`: read a
// CSV file, check every row, then send it in batches through the public API.
// Every batch is first sent as a dry run, so a file with any problem writes
// nothing: all problems are printed as FILE:LINE: column: problem (grouped
// when many are alike), including rows the server refuses because they are
// outside the caller's districts. The file may be UTF-8, UTF-16 or
// GB18030/GBK (ReadCsvFile). Teachers' schools are checked against the
// school registry when it answers. Progress goes to stderr (one updating
// line on a terminal), the summary to stdout. Returns the process exit status:
// 0 on success, 2 for problems in the file, 1 when the registry failed.
int ImportSchools(const ImportOptions& options);
int ImportSchoolYears(const ImportOptions& options);
int ImportTeachers(const ImportOptions& options);

// `gzedu import rotations FILE`: proposes the rotation of each row, and
// approves it when the row's state says so. Request ids come from each
// row's content, so importing the same file again writes nothing new. Rows
// are checked locally first (nothing is sent if any is malformed); a row the
// service refuses (a teacher not on the roster, say) is reported as
// FILE:LINE: column: problem and the other rows still go through. Returns 0
// when every row went through, 2 when some were refused, 1 on a service
// failure.
int ImportRotations(const ImportOptions& options);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_
