#ifndef GZEDU_TOOLS_GZEDU_RETURNS_FORM_H_
#define GZEDU_TOOLS_GZEDU_RETURNS_FORM_H_

// The district return (区县填报) as a form a district statistician fills by
// hand: YAML or CSV, field names in Chinese or English, money in yuan,
// percentages and counts as people write them, attestations as 是/否.
// Reading a form gives the contract's UpsertDistrictReturnsRequest and, for
// every field, the line it was written on, so every problem (the form's own,
// the domain validation's, the service's) is reported as
// FILE:LINE: field: problem with the field named as the file names it.
// docs/import-formats.md describes the forms.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/status/field_violations.h"
#include "gzedu/indicators/v1/indicators.pb.h"
#include "tools/gzedu/csv_columns.h"

namespace gzedu::cli {

// The language a form is written in: that of its first known field name (a
// CSV form: its header). Problems are described in it.
enum class FormLanguage { kEnglish, kChinese };

// Where one return of a form came from.
struct ReturnOrigin {
  int line = 0;  // where the return begins (its district code, or its first field)
  // An API path below the return ("facts.junior_graduates",
  // "attestations[0].date") -> the line and the field's name as written.
  std::map<std::string, std::pair<int, std::string>> fields;
};

// A form as read: the request to send (request id and dry_run unset), one
// origin per return, and every problem found while reading. Nothing may be
// sent while `problems` is not empty.
struct ReturnsForm {
  indicators::v1::UpsertDistrictReturnsRequest request;
  std::vector<ReturnOrigin> origins;
  FormLanguage language = FormLanguage::kEnglish;
  std::vector<CsvProblem> problems;
};

// Reads a YAML form: either one return (a mapping with district_code /
// 区县代码, school_year / 学年, facts / 区县数据, attestations / 认定,
// vetoes / 一票否决) or `returns:` / `区县填报:` holding a list of them.
// Lines come from yaml-cpp's marks. Never throws.
ReturnsForm ReadReturnsYaml(absl::string_view text);

// Reads a CSV form: header field,note,value (项目,说明,填报值), one row per
// field; a district_code row after a filled one begins the next return.
ReturnsForm ReadReturnsCsv(absl::string_view text);

// Adds to `form.problems` what the evaluation service's own validation
// (indicators::ValidateDistrictReturn, the same code) finds, each located
// at the line of the field concerned; a district-year given twice too.
void ValidateReturnsForm(ReturnsForm& form);

// The line and field name (as written, or in the form's language when the
// field is absent) of a violation whose path is "returns[i]...", e.g. one
// the service reported.
CsvProblem LocateViolation(const ReturnsForm& form, const FieldViolation& violation);

// What `gzedu returns template` prints.
struct ReturnsTemplateOptions {
  std::string format = "yaml";  // yaml or csv
  std::string language = "zh";  // zh or en: field names and comments
  std::string district;         // prefilled district code, may be empty
  int school_year = 2024;
};

// A blank form with a comment (YAML) or a note (CSV) for every field: what
// it is, its indicator, its unit and how to write it. With `filled`, the
// fields it holds are filled in (used to turn a contract JSON return into a
// form). Importing the output unchanged is valid.
std::string ReturnsTemplate(const ReturnsTemplateOptions& options,
                            const indicators::v1::DistrictReturn* filled = nullptr);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_RETURNS_FORM_H_
