#ifndef GZEDU_TOOLS_GZEDU_CSV_FILE_H_
#define GZEDU_TOOLS_GZEDU_CSV_FILE_H_

// What every CSV import of the CLI does at its edges: read the file in the
// encoding it was saved in, report problems grouped, show progress, and
// make sure no invalid UTF-8 reaches a service. Writes to stderr; not
// thread-safe.

#include <functional>
#include <string>
#include <vector>

#include <google/protobuf/message.h>

#include "tools/gzedu/csv_columns.h"
#include "tools/gzedu/csv_reader.h"

namespace gzedu::cli {

// Reads `file`, converts it to UTF-8 (DecodeToUtf8: UTF-8 with or without
// BOM, UTF-16 with BOM, GB18030/GBK) and parses it. A file that was not
// UTF-8 is said so on stderr unless `quiet`. Prints "FILE:LINE: problem"
// and returns false when the file cannot be opened, decoded or parsed.
bool ReadCsvFile(const std::string& file, bool quiet, CsvTable* table);

// Prints `problems` grouped by kind (ProblemReportLines), then
// "FILE: N problem(s); `ending`". Prints nothing for no problems.
void PrintProblems(const std::string& file, const std::vector<CsvProblem>& problems, const ColumnLabels& labels,
                   const std::string& ending);

// Adds a problem for each string field of `message` (the entity of line
// `line`) that is not valid UTF-8. The reader hands out UTF-8 only; this
// is the last look before anything is sent.
void CheckUtf8(const google::protobuf::Message& message, int line, std::vector<CsvProblem>& problems);

// Progress of a long import on stderr. On a terminal it is one line that
// is rewritten in place ('\r'); when stderr is a file or a pipe (a log),
// each update is a line of its own. Disabled, it prints nothing.
class Progress {
 public:
  explicit Progress(bool enabled);
  ~Progress() { Finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Shows `text` as the current state.
  void Update(const std::string& text);
  // Ends the updating line, so what is printed next starts on a line of its
  // own. Safe to call more than once.
  void Finish();

 private:
  bool enabled_;
  bool terminal_;
  bool line_open_ = false;
};

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_CSV_FILE_H_
