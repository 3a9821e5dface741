#ifndef GZEDU_TOOLS_GZEDU_RETURNS_COMMAND_H_
#define GZEDU_TOOLS_GZEDU_RETURNS_COMMAND_H_

#include <string>

#include "tools/gzedu/returns_form.h"

namespace gzedu::cli {

struct ReturnsImportOptions {
  std::string file;
  std::string target;    // the evaluation service (or `gzedu serve`), HOST:PORT
  bool dry_run = false;  // check locally and with the service, write nothing
};

// `gzedu import returns FILE`: district returns through UpsertDistrictReturns,
// in the form the file's extension names: .json (the contract's JSON form,
// money in fen), .yaml / .yml or .csv (the forms a person fills, money in
// yuan; returns_form.h). A form is read and checked whole first (the
// service's own validation, run here): every problem is printed as
// FILE:LINE: field: problem and nothing is sent. The service then checks
// again (its violations located the same way); with `dry_run` it is asked
// to write nothing. The request id comes from the content, so importing the
// same file again writes nothing. Returns 0 (imported, or checked), 2 for
// problems in the file, 1 when the service failed or could not be reached.
int ImportReturnsFile(const ReturnsImportOptions& options);

// `gzedu returns template`: prints a blank form (yaml or csv, zh or en)
// with a comment for every field. With `from_json` (a contract JSON file
// {"returns": [...]}), the return of `options.district` (and year) in it
// is filled in. Returns 0, or 2 (after saying why) when the file cannot be
// read or holds no such return.
int PrintReturnsTemplate(const ReturnsTemplateOptions& options, const std::string& from_json);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_RETURNS_COMMAND_H_
