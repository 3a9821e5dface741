#ifndef GZEDU_TOOLS_GZEDU_LEDGER_CSV_H_
#define GZEDU_TOOLS_GZEDU_LEDGER_CSV_H_

#include <string>
#include <vector>

#include "gzedu/funding/v1/funding.pb.h"
#include "tools/gzedu/csv_columns.h"

namespace gzedu::cli {

// The ledger's CSV formats (docs/import-formats.md): accounts to open and
// transfers to post, English or Chinese headers. Pure: no I/O.

struct ParsedAccounts {
  std::vector<funding::v1::Account> accounts;  // one per row read
  std::vector<int> lines;                      // the line of each
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
  ColumnLabels labels;  // how the file's header names its columns
};

struct ParsedTransfers {
  std::vector<funding::v1::Transfer> transfers;
  std::vector<int> lines;
  std::vector<CsvProblem> problems;
  std::vector<std::string> warnings;
  ColumnLabels labels;  // how the file's header names its columns
};

// `file` names the file in warnings.
ParsedAccounts ParseAccountsCsv(const CsvTable& table, const std::string& file);
ParsedTransfers ParseTransfersCsv(const CsvTable& table, const std::string& file);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_LEDGER_CSV_H_
