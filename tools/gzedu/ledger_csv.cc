#include "tools/gzedu/ledger_csv.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/domain/input_bounds.h"

namespace gzedu::cli {

namespace v1 = funding::v1;

namespace {

// The ledger's bound on one amount (gzedu::bounds::kMaxAmountFen), in yuan.
constexpr int64_t kMaxAmountYuan = bounds::kMaxAmountFen / 100;

std::string AmountBoundProblem(const std::string& amount) {
  return absl::StrCat("'", amount, "' exceeds ", kMaxAmountYuan, " yuan (10^12 yuan), the bound on one amount");
}

// Whether `text` is a number, in plain digits or exponent notation, above
// the bound: such an amount is refused for its size, not its form.
bool IsNumberAboveBound(const std::string& text) {
  double yuan = 0;
  if (!absl::SimpleAtod(absl::StripAsciiWhitespace(text), &yuan) || !std::isfinite(yuan)) return false;
  return yuan > static_cast<double>(kMaxAmountYuan);
}

}  // namespace

ParsedAccounts ParseAccountsCsv(const CsvTable& table, const std::string& file) {
  ParsedAccounts parsed;
  Columns columns({{"account_id", {"账户编号"}, true},
                   {"district_code", {"区县代码"}, true},
                   {"school_code", {"学校标识码"}, false},
                   {"purpose", {"账户用途"}, true},
                   {"debits_must_not_exceed_credits", {"禁止透支"}, false}},
                  table.header, file, parsed.problems, parsed.warnings);
  parsed.labels = columns.labels();
  for (const CsvRow& row : table.rows) {
    if (!parsed.problems.empty() && parsed.problems.front().line == 1) break;
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    v1::Account a;
    a.set_account_id(columns.Get(row, "account_id"));
    a.set_district_code(columns.Get(row, "district_code"));
    a.set_school_code(columns.Get(row, "school_code"));
    const std::string purpose = columns.Get(row, "purpose");
    const std::optional<v1::AccountPurpose> value = ParseEnum<v1::AccountPurpose>(
        purpose, "ACCOUNT_PURPOSE_",
        {{{"school_operating", "学校公用经费"}, v1::ACCOUNT_PURPOSE_SCHOOL_OPERATING},
         {{"school_training", "教师培训经费"}, v1::ACCOUNT_PURPOSE_SCHOOL_TRAINING},
         {{"district_education_budget", "区教育经费"}, v1::ACCOUNT_PURPOSE_DISTRICT_EDUCATION_BUDGET},
         {{"subsidy", "补助"}, v1::ACCOUNT_PURPOSE_SUBSIDY},
         {{"payroll", "教师工资"}, v1::ACCOUNT_PURPOSE_PAYROLL},
         {{"other", "其他"}, v1::ACCOUNT_PURPOSE_OTHER}});
    if (value) {
      a.set_purpose(*value);
    } else {
      errors.Add("purpose", absl::StrCat("'", purpose,
                                         "' is not an account purpose (school_operating, "
                                         "school_training, district_education_budget, subsidy, "
                                         "payroll, other)"));
    }
    const std::string flag = columns.Get(row, "debits_must_not_exceed_credits");
    if (std::optional<bool> b = ParseBool(flag)) {
      a.set_debits_must_not_exceed_credits(*b);
    } else {
      errors.Add("debits_must_not_exceed_credits", absl::StrCat("'", flag, "' is not 是/否, yes/no, true/false"));
    }
    parsed.accounts.push_back(std::move(a));
    parsed.lines.push_back(row.line);
  }
  return parsed;
}

ParsedTransfers ParseTransfersCsv(const CsvTable& table, const std::string& file) {
  ParsedTransfers parsed;
  Columns columns({{"transfer_id", {"转账编号"}, true},
                   {"debit_account_id", {"借方账户"}, false},
                   {"credit_account_id", {"贷方账户"}, false},
                   {"amount_yuan", {"金额", "金额（元）"}, false},
                   {"school_year", {"学年"}, true},
                   {"purpose", {"用途"}, false},
                   {"memo", {"备注"}, false},
                   {"pending", {"是否预留"}, false},
                   {"post_pending_id", {"拨付预留编号"}, false},
                   {"void_pending_id", {"撤销预留编号"}, false}},
                  table.header, file, parsed.problems, parsed.warnings);
  parsed.labels = columns.labels();
  for (const CsvRow& row : table.rows) {
    if (!parsed.problems.empty() && parsed.problems.front().line == 1) break;
    if (!columns.CheckWidth(row, parsed.problems)) continue;
    RowErrors errors(row.line, parsed.problems);
    v1::Transfer t;
    t.set_transfer_id(columns.Get(row, "transfer_id"));
    t.set_debit_account_id(columns.Get(row, "debit_account_id"));
    t.set_credit_account_id(columns.Get(row, "credit_account_id"));
    const std::string amount = columns.Get(row, "amount_yuan");
    int64_t fen = 0;
    if (!amount.empty() && !ParseYuanToFen(amount, &fen)) {
      errors.Add("amount_yuan",
                 IsNumberAboveBound(amount)
                     ? AmountBoundProblem(amount)
                     : absl::StrCat("'", amount,
                                    "' is not an amount in yuan: digits with at most two decimals, no separators "
                                    "or currency signs (e.g. 1234.56)"));
    } else if (fen > bounds::kMaxAmountFen) {
      errors.Add("amount_yuan", AmountBoundProblem(amount));
    } else if (!amount.empty() && fen <= 0) {
      // Checked here like every other cell, so that no batch is sent before
      // a later row's amount is found wrong.
      errors.Add("amount_yuan", absl::StrCat("'", amount, "' must be more than 0 yuan (at least 0.01)"));
    }
    t.set_amount_fen(fen);
    int32_t year = 0;
    if (ParseInt(columns.Get(row, "school_year"), "school_year", 0, &year, errors)) t.set_school_year(year);
    t.set_purpose(columns.Get(row, "purpose"));
    t.set_memo(columns.Get(row, "memo"));
    const std::string pending = columns.Get(row, "pending");
    if (std::optional<bool> b = ParseBool(pending)) {
      t.set_pending(*b);
    } else {
      errors.Add("pending", absl::StrCat("'", pending, "' is not 是/否, yes/no, true/false"));
    }
    t.set_post_pending_id(columns.Get(row, "post_pending_id"));
    t.set_void_pending_id(columns.Get(row, "void_pending_id"));
    parsed.transfers.push_back(std::move(t));
    parsed.lines.push_back(row.line);
  }
  return parsed;
}

}  // namespace gzedu::cli
