#ifndef GZEDU_TOOLS_GZEDU_LEDGER_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_LEDGER_COMMAND_H_

#include <string>

namespace gzedu::cli {

// `gzedu ledger open FILE.csv`: opens the accounts of a CSV file.
// `gzedu ledger post FILE.csv`: posts the transfers of a CSV file in atomic
// batches (docs/import-formats.md). Rows are read and checked locally first
// (nothing is sent if one is malformed); transfer ids are used once, so
// posting the same file again answers "already posted" and writes nothing.
// Both return 0 on success, 2 for problems in the file or refused rows, 1
// when the ledger failed.
int LedgerOpen(const std::string& file, const std::string& target, bool quiet);
int LedgerPost(const std::string& file, const std::string& target, bool quiet);

// `gzedu ledger balance ACCOUNT`: the account and its balances in yuan.
int LedgerBalance(const std::string& account_id, const std::string& target);

// `gzedu ledger verify`: recomputes the hash chain and every balance;
// returns 0 when the journal checks out, 3 when it does not, 1 on failure.
int LedgerVerify(const std::string& target);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_LEDGER_COMMAND_H_
