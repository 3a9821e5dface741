#ifndef GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_

#include <string>

namespace gzedu::cli {

struct ImportOptions {
  std::string file;
  std::string registry = "127.0.0.1:50061";  // HOST:PORT of the registry
  bool dry_run = false;
  int batch_size = 500;
  bool quiet = false;  // no progress lines
};

// `gzedu import schools FILE` and `gzedu import school-years FILE`: read a
// CSV file, check every row, then send it in batches through the public API.
// Every batch is first sent as a dry run, so a file with any problem writes
// nothing: all problems are printed as FILE:LINE: column: problem. Progress
// goes to stderr, the summary to stdout. Returns the process exit status:
// 0 on success, 2 for problems in the file, 1 when the registry failed.
int ImportSchools(const ImportOptions& options);
int ImportSchoolYears(const ImportOptions& options);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_IMPORT_COMMAND_H_
