#include "services/funding_ledger/domain/funding_ledger.h"

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/domain/input_bounds.h"
#include "common/domain/text.h"
#include "common/status/macros.h"
#include "common/status/texts.h"

namespace gzedu::funding {
namespace {

constexpr size_t kMaxAccountsPerRequest = 1000;
constexpr size_t kMaxTransfersPerRequest = 1000;
constexpr int32_t kMinSchoolYear = 2000;
constexpr int32_t kMaxSchoolYear = 2100;
constexpr char kCityCode[] = "440100";
constexpr char kProvinceCode[] = "440000";

bool IsLedgerId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsSchoolPurpose(AccountPurpose purpose) {
  return purpose == AccountPurpose::kSchoolOperating || purpose == AccountPurpose::kSchoolTraining;
}

void ValidateText(const std::string& text, size_t max, const std::string& field, FieldViolations& violations) {
  const std::optional<size_t> length = Utf8PrintableLength(text);
  if (!length || *length > max)
    violations.Add(field, absl::StrCat("must be valid UTF-8 of at most ", max, " characters"),
                   absl::StrCat("必须是有效的 UTF-8 文本，至多 ", max, " 个字"));
}

void ValidateRequestId(const std::string& request_id, FieldViolations& violations) {
  if (!IsValidRequestId(request_id)) violations.Add("request_id", texts::InvalidRequestId());
}

// The bound on one transfer's amount, as a violation describes it.
LocalizedText AmountBoundText() {
  return {absl::StrCat("must be at most ", bounds::kMaxAmountFen, " fen (10^12 yuan), the bound on one amount"),
          absl::StrCat("不能超过 ", bounds::kMaxAmountFen, " 分（一万亿元），即单笔金额的上限")};
}

// Per-item outcomes of a request, kept with the request so a replay can
// answer item by item: one letter per item.
std::string EncodeOutcomes(const std::vector<bool>& created) {
  std::string text;
  for (bool c : created) text.push_back(c ? 'C' : 'A');
  return text;
}

// The largest balance the ledger keeps, fen: a balance, and the posted plus
// pending total of each side of an account, must fit in int64 (as
// TigerBeetle's overflows_* checks keep them within u128), so no sum of
// balances an answer needs ever wraps.
constexpr int64_t kMaxBalanceFen = std::numeric_limits<int64_t>::max();

// A balance a transfer would take out of [0, kMaxBalanceFen].
struct BalanceProblem {
  std::string account_id;
  std::string balance;  // e.g. "credits_posted_fen"
  bool below_zero = false;
};

// Applies `t` to the balances of its accounts (distinct), checked: either
// every balance stays within [0, kMaxBalanceFen] and so does posted +
// pending on each side, and both accounts are updated, or neither is and
// the first balance that would leave the range is returned.
std::optional<BalanceProblem> ApplyToBalances(const Transfer& t, Account& debit, Account& credit) {
  Account d = debit;
  Account c = credit;
  std::optional<BalanceProblem> problem;
  const auto add = [&problem](Account& account, int64_t Account::*balance, const char* name, int64_t delta_fen) {
    int64_t result = 0;
    if (problem) return;
    if (__builtin_add_overflow(account.*balance, delta_fen, &result)) {
      problem = BalanceProblem{account.account_id, name, delta_fen < 0};
      return;
    }
    if (result < 0) {  // a stored balance that was negative already, or a pending one too small
      problem = BalanceProblem{account.account_id, name, true};
      return;
    }
    account.*balance = result;
  };
  const int64_t a = t.amount_fen;
  if (t.pending) {
    add(d, &Account::debits_pending_fen, "debits_pending_fen", a);
    add(c, &Account::credits_pending_fen, "credits_pending_fen", a);
  } else if (!t.post_pending_id.empty()) {
    add(d, &Account::debits_pending_fen, "debits_pending_fen", -a);
    add(d, &Account::debits_posted_fen, "debits_posted_fen", a);
    add(c, &Account::credits_pending_fen, "credits_pending_fen", -a);
    add(c, &Account::credits_posted_fen, "credits_posted_fen", a);
  } else if (!t.void_pending_id.empty()) {
    add(d, &Account::debits_pending_fen, "debits_pending_fen", -a);
    add(c, &Account::credits_pending_fen, "credits_pending_fen", -a);
  } else {
    add(d, &Account::debits_posted_fen, "debits_posted_fen", a);
    add(c, &Account::credits_posted_fen, "credits_posted_fen", a);
  }
  if (problem) return problem;
  for (const Account* account : {&d, &c}) {
    int64_t total = 0;
    if (__builtin_add_overflow(account->debits_posted_fen, account->debits_pending_fen, &total)) {
      return BalanceProblem{account->account_id, "debits_posted_fen + debits_pending_fen", false};
    }
    if (__builtin_add_overflow(account->credits_posted_fen, account->credits_pending_fen, &total)) {
      return BalanceProblem{account->account_id, "credits_posted_fen + credits_pending_fen", false};
    }
  }
  debit = d;
  credit = c;
  return std::nullopt;
}

// A sum of amounts in fen that notes leaving the int64 range instead of
// wrapping.
class CheckedFen {
 public:
  void Add(int64_t fen) { overflowed_ = overflowed_ || __builtin_add_overflow(value_, fen, &value_); }
  void Add(const CheckedFen& other) {
    overflowed_ = overflowed_ || other.overflowed_;
    Add(other.value_);
  }
  bool overflowed() const { return overflowed_; }
  int64_t value() const { return value_; }

 private:
  int64_t value_ = 0;
  bool overflowed_ = false;
};

// Credits of one account in one year: posted, and reserved by pending
// transfers not yet posted or voided.
struct YearCredits {
  CheckedFen posted_fen;
  CheckedFen outstanding_fen;
  CheckedFen budget_fen() const {
    CheckedFen budget = posted_fen;
    budget.Add(outstanding_fen);
    return budget;
  }
};

}  // namespace

absl::StatusOr<CreateAccountsResult> FundingLedger::CreateAccounts(const std::string& request_id,
                                                                   const std::vector<Account>& accounts,
                                                                   const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  if (accounts.empty() || accounts.size() > kMaxAccountsPerRequest) {
    violations.Add("accounts", texts::MustHoldOneTo(kMaxAccountsPerRequest, {"accounts", "个账户"}));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const Account& a = accounts[i];
    const std::string path = absl::StrCat("accounts[", i, "]");
    if (!IsLedgerId(a.account_id)) {
      violations.Add(path + ".account_id", "must be 1 to 64 letters, digits, '.', '-' or '_'",
                     "必须是 1 到 64 个半角字母、数字、“.”、“-”或“_”");
    } else if (auto [it, inserted] = first.emplace(a.account_id, i); !inserted) {
      violations.Add(path + ".account_id", absl::StrCat("repeats accounts[", it->second, "]"),
                     absl::StrCat("与 accounts[", it->second, "] 重复"));
    }
    if (FindDistrict(a.district_code) == nullptr && a.district_code != kCityCode && a.district_code != kProvinceCode) {
      violations.Add(path + ".district_code", "must be one of the 11 districts, 440100 (city) or 440000 (province)",
                     "必须是广州市 11 个区的区代码之一、440100（市级）或 440000（省级）");
    }
    const int purpose = static_cast<int>(a.purpose);
    if (purpose < 1 || purpose > 6)
      violations.Add(path + ".purpose", "must be an ACCOUNT_PURPOSE_* value",
                     "必须是某种账户用途（ACCOUNT_PURPOSE_*）");
    if (IsSchoolPurpose(a.purpose) && !IsDigits(a.school_code, 10)) {
      violations.Add(path + ".school_code", "a school account needs the 10-digit school identifier",
                     "学校账户必须填写 10 位数字的学校标识码");
    } else if (!IsSchoolPurpose(a.purpose) && !a.school_code.empty() && !IsDigits(a.school_code, 10)) {
      violations.Add(path + ".school_code", "must be empty or a 10-digit school identifier",
                     "必须留空或是 10 位数字的学校标识码");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("CreateAccounts", "开设账户")));
  Fingerprint fp;
  fp.Add(absl::string_view("CreateAccounts"));
  for (const Account& a : accounts) {
    fp.Add(a.account_id).Add(a.district_code).Add(a.school_code).Add(static_cast<int64_t>(a.purpose));
    fp.Add(a.debits_must_not_exceed_credits);
  }
  const std::string fingerprint = fp.Hex();

  FieldViolations outside;
  for (size_t i = 0; i < accounts.size(); ++i) {
    scope.Check(accounts[i].district_code, absl::StrCat("accounts[", i, "].district_code"),
                {absl::StrCat("account ", accounts[i].account_id), absl::StrCat("账户 ", accounts[i].account_id)},
                outside);
  }
  RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("CreateAccounts", "开设账户")));
  ASSIGN_OR_RETURN(std::unique_ptr<LedgerWriteTransaction> txn, repository_->BeginWrite());
  std::vector<std::string> account_ids;
  for (const Account& a : accounts) account_ids.push_back(a.account_id);
  RETURN_IF_ERROR(txn->Prefetch(request_id, {}, account_ids));
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay) {
    CreateAccountsResult result;
    result.replayed = true;
    for (char c : replay->entity_id)
      result.results.push_back(c == 'C' ? AccountResult::kCreated : AccountResult::kAlreadyExists);
    // Answered only once what it read is committed: the record may be
    // another transaction's whose commit the store still holds back.
    RETURN_IF_ERROR(txn->Commit());
    return result;
  }
  CreateAccountsResult result;
  std::vector<bool> created;
  WriteSummary summary;
  ChangeEventBuilder event("ledger");
  for (const Account& incoming : accounts) {
    ASSIGN_OR_RETURN(std::optional<Account> existing, txn->FindAccount(incoming.account_id));
    if (existing) {
      if (!existing->SameDefinition(incoming)) {
        return LocalizedError(
            absl::StatusCode::kAlreadyExists,
            {absl::StrCat("account ", incoming.account_id, " exists with another definition; accounts are not edited"),
             absl::StrCat("账户 ", incoming.account_id, " 已按另一种定义开设；账户开设后不能修改")});
      }
      result.results.push_back(AccountResult::kAlreadyExists);
      created.push_back(false);
      ++summary.unchanged_count;
      continue;
    }
    Account account = incoming;
    account.debits_posted_fen = account.credits_posted_fen = 0;
    account.debits_pending_fen = account.credits_pending_fen = 0;
    ASSIGN_OR_RETURN(account.change_version, txn->AppendChange(Change{0, request_id, account.district_code, account}));
    event.Add(account.district_code, account.change_version);
    if (summary.first_change_version == 0) summary.first_change_version = account.change_version;
    summary.last_change_version = account.change_version;
    ++summary.created_count;
    RETURN_IF_ERROR(txn->PutAccount(account));
    result.results.push_back(AccountResult::kCreated);
    created.push_back(true);
  }
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, EncodeOutcomes(created)}));
  RETURN_IF_ERROR(txn->Commit());
  event.PublishTo(publisher_);
  return result;
}

absl::StatusOr<PostTransfersResult> FundingLedger::PostTransfers(const std::string& request_id,
                                                                 const std::vector<Transfer>& transfers,
                                                                 const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  if (transfers.empty() || transfers.size() > kMaxTransfersPerRequest) {
    violations.Add("transfers", texts::MustHoldOneTo(kMaxTransfersPerRequest, {"transfers", "笔转账"}));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < transfers.size(); ++i) {
    const Transfer& t = transfers[i];
    const std::string path = absl::StrCat("transfers[", i, "]");
    if (!IsLedgerId(t.transfer_id)) {
      violations.Add(path + ".transfer_id", "must be 1 to 64 letters, digits, '.', '-' or '_'",
                     "必须是 1 到 64 个半角字母、数字、“.”、“-”或“_”");
    } else if (auto [it, inserted] = first.emplace(t.transfer_id, i); !inserted) {
      violations.Add(path + ".transfer_id", absl::StrCat("repeats transfers[", it->second, "]"),
                     absl::StrCat("与 transfers[", it->second, "] 重复"));
    }
    const bool resolving = t.resolves_pending();
    if (!t.post_pending_id.empty() && !t.void_pending_id.empty()) {
      violations.Add(path + ".void_pending_id", "a transfer posts or voids a pending transfer, not both",
                     "一笔转账只能入账或作废一笔待定转账，不能两者兼做");
    }
    if (resolving && t.pending) {
      violations.Add(path + ".pending", "a post or void cannot itself be pending", "入账或作废本身不能是待定转账");
    }
    for (const auto& [field, id] :
         {std::pair<const char*, const std::string*>{"debit_account_id", &t.debit_account_id},
          std::pair<const char*, const std::string*>{"credit_account_id", &t.credit_account_id}}) {
      if (!(resolving && id->empty()) && !IsLedgerId(*id)) {
        violations.Add(absl::StrCat(path, ".", field), "must name an account", "必须写明账户");
      }
    }
    if (!t.debit_account_id.empty() && t.debit_account_id == t.credit_account_id) {
      violations.Add(path + ".credit_account_id", "must differ from debit_account_id", "必须与 debit_account_id 不同");
    }
    if (t.amount_fen < 0 || (!resolving && t.amount_fen == 0)) {
      violations.Add(path + ".amount_fen",
                     resolving ? LocalizedText{"must be >= 0 (0: the pending amount)", "不能为负数（0 表示待定金额）"}
                               : LocalizedText{"must be > 0 fen", "必须大于 0 分"});
    } else if (t.amount_fen > bounds::kMaxAmountFen) {
      violations.Add(path + ".amount_fen", AmountBoundText());
    }
    if (t.school_year < kMinSchoolYear || t.school_year > kMaxSchoolYear) {
      violations.Add(path + ".school_year", texts::MustBeBetween(kMinSchoolYear, kMaxSchoolYear));
    }
    ValidateText(t.purpose, 64, path + ".purpose", violations);
    ValidateText(t.memo, 256, path + ".memo", violations);
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("PostTransfers", "记入转账")));
  Fingerprint fp;
  fp.Add(absl::string_view("PostTransfers"));
  for (const Transfer& t : transfers) {
    fp.Add(t.transfer_id).Add(t.debit_account_id).Add(t.credit_account_id).Add(t.amount_fen);
    fp.Add(static_cast<int64_t>(t.school_year)).Add(t.purpose).Add(t.memo).Add(t.pending);
    fp.Add(t.post_pending_id).Add(t.void_pending_id);
  }
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<LedgerWriteTransaction> txn, repository_->BeginWrite());
  {
    // Every lookup below, read in one go where the store can.
    std::vector<std::string> transfer_ids;
    std::vector<std::string> account_ids;
    for (const Transfer& t : transfers) {
      transfer_ids.push_back(t.transfer_id);
      for (const std::string* id : {&t.post_pending_id, &t.void_pending_id}) {
        if (!id->empty()) transfer_ids.push_back(*id);
      }
      for (const std::string* id : {&t.debit_account_id, &t.credit_account_id}) {
        if (!id->empty()) account_ids.push_back(*id);
      }
    }
    RETURN_IF_ERROR(txn->Prefetch(request_id, transfer_ids, account_ids));
  }
  if (!scope.whole_city) {
    FieldViolations outside;
    for (size_t i = 0; i < transfers.size(); ++i) {
      const std::string path = absl::StrCat("transfers[", i, "]");
      std::vector<std::pair<std::string, std::string>> touched = {
          {".debit_account_id", transfers[i].debit_account_id}, {".credit_account_id", transfers[i].credit_account_id}};
      for (const std::string* pending : {&transfers[i].post_pending_id, &transfers[i].void_pending_id}) {
        if (pending->empty()) continue;
        ASSIGN_OR_RETURN(std::optional<Transfer> held, txn->FindTransfer(*pending));
        if (held) {
          touched.push_back({".debit_account_id", held->debit_account_id});
          touched.push_back({".credit_account_id", held->credit_account_id});
        }
      }
      for (const auto& [field, id] : touched) {
        if (id.empty()) continue;
        ASSIGN_OR_RETURN(std::optional<Account> found, txn->FindAccount(id));
        if (found) {
          scope.Check(found->district_code, path + field, {absl::StrCat("account ", id), absl::StrCat("账户 ", id)},
                      outside);
        }
      }
    }
    RETURN_IF_ERROR(outside.ToPermissionDenied(texts::OutsideScope("PostTransfers", "记入转账")));
  }
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay) {
    PostTransfersResult result;
    result.replayed = true;
    for (size_t i = 0; i < transfers.size(); ++i) {
      ASSIGN_OR_RETURN(std::optional<Transfer> stored, txn->FindTransfer(transfers[i].transfer_id));
      result.results.push_back({transfers[i].transfer_id,
                                replay->entity_id[i] == 'C' ? TransferStatus::kCreated : TransferStatus::kAlreadyPosted,
                                stored ? stored->journal_sequence : 0});
    }
    // Answered only once what it read is committed (see CreateAccounts).
    RETURN_IF_ERROR(txn->Commit());
    return result;
  }

  std::map<std::string, Account> accounts;  // read once, written back at the end
  const auto account = [&](const std::string& id) -> absl::StatusOr<Account*> {
    auto it = accounts.find(id);
    if (it != accounts.end()) return &it->second;
    ASSIGN_OR_RETURN(std::optional<Account> found, txn->FindAccount(id));
    if (!found) return nullptr;
    return &accounts.emplace(id, *found).first->second;
  };
  std::map<std::string, Transfer> posted_now;
  std::map<std::string, std::string> resolved_now;
  const auto find_transfer = [&](const std::string& id) -> absl::StatusOr<std::optional<Transfer>> {
    auto it = posted_now.find(id);
    if (it != posted_now.end()) return std::optional<Transfer>(it->second);
    return txn->FindTransfer(id);
  };

  ASSIGN_OR_RETURN(JournalHead head, txn->Head());
  PostTransfersResult result;
  std::vector<bool> created;
  WriteSummary summary;
  ChangeEventBuilder event("ledger");
  for (size_t i = 0; i < transfers.size(); ++i) {
    Transfer t = transfers[i];
    const std::string path = absl::StrCat("transfers[", i, "]");
    // A post or void takes what it leaves out from the pending transfer.
    std::optional<Transfer> pending;
    const std::string& pending_id = !t.post_pending_id.empty() ? t.post_pending_id : t.void_pending_id;
    if (t.resolves_pending()) {
      ASSIGN_OR_RETURN(pending, find_transfer(pending_id));
      const std::string field = path + (!t.post_pending_id.empty() ? ".post_pending_id" : ".void_pending_id");
      if (!pending || !pending->pending) {
        violations.Add(field, absl::StrCat("there is no pending transfer ", pending_id),
                       absl::StrCat("没有待定转账 ", pending_id));
        continue;
      }
      if (t.debit_account_id.empty()) t.debit_account_id = pending->debit_account_id;
      if (t.credit_account_id.empty()) t.credit_account_id = pending->credit_account_id;
      if (t.amount_fen == 0) t.amount_fen = pending->amount_fen;
      if (t.debit_account_id != pending->debit_account_id || t.credit_account_id != pending->credit_account_id ||
          t.amount_fen != pending->amount_fen) {
        violations.Add(field, "accounts and amount must be those of the pending transfer (or left out)",
                       "账户和金额必须与待定转账一致（或不填）");
        continue;
      }
    }
    ASSIGN_OR_RETURN(std::optional<Transfer> existing, find_transfer(t.transfer_id));
    if (existing) {
      if (!existing->SameContent(t)) {
        return LocalizedError(absl::StatusCode::kAlreadyExists,
                              {absl::StrCat("transfer ", t.transfer_id,
                                            " was already posted with other content; transfers are never "
                                            "edited: post a correcting transfer under a new id"),
                               absl::StrCat("转账 ", t.transfer_id,
                                            " 已以不同内容记账；转账记入后不能修改，请用新的标识记入一笔更正转账")});
      }
      result.results.push_back({t.transfer_id, TransferStatus::kAlreadyPosted, existing->journal_sequence});
      created.push_back(false);
      ++summary.unchanged_count;
      continue;
    }
    ASSIGN_OR_RETURN(Account * debit, account(t.debit_account_id));
    ASSIGN_OR_RETURN(Account * credit, account(t.credit_account_id));
    if (debit == nullptr) {
      violations.Add(path + ".debit_account_id", absl::StrCat("no account ", t.debit_account_id),
                     absl::StrCat("账户 ", t.debit_account_id, " 不存在"));
    }
    if (credit == nullptr) {
      violations.Add(path + ".credit_account_id", absl::StrCat("no account ", t.credit_account_id),
                     absl::StrCat("账户 ", t.credit_account_id, " 不存在"));
    }
    if (debit == nullptr || credit == nullptr) continue;
    if (t.resolves_pending()) {
      std::optional<std::string> by;
      if (auto it = resolved_now.find(pending_id); it != resolved_now.end()) by = it->second;
      if (!by) {
        ASSIGN_OR_RETURN(by, txn->FindResolution(pending_id));
      }
      if (by) {
        return LocalizedError(
            absl::StatusCode::kFailedPrecondition,
            {absl::StrCat("transfer ", t.transfer_id, ": pending transfer ", pending_id, " was already settled by ",
                          *by),
             absl::StrCat("转账 ", t.transfer_id, "：待定转账 ", pending_id, " 已由 ", *by, " 结清")});
      }
    }
    // Only posted credits can cover debits: a pending debit reserves
    // against them too, and posting it moves nothing across the line. The
    // sum is checked: debits beyond int64 are beyond any credits.
    const bool adds_debit = t.void_pending_id.empty() && t.post_pending_id.empty();
    int64_t debits_after_fen = 0;
    if (debit->debits_must_not_exceed_credits && adds_debit &&
        (__builtin_add_overflow(debit->debits_posted_fen, debit->debits_pending_fen, &debits_after_fen) ||
         __builtin_add_overflow(debits_after_fen, t.amount_fen, &debits_after_fen) ||
         debits_after_fen > debit->credits_posted_fen)) {
      const LocalizedText why{
          absl::StrCat("would overdraw account ", debit->account_id, " (posted credits ", debit->credits_posted_fen,
                       " fen, debits posted ", debit->debits_posted_fen, " fen and pending ", debit->debits_pending_fen,
                       " fen, amount ", t.amount_fen, " fen)"),
          absl::StrCat("会使账户 ", debit->account_id, " 透支（已入账贷方 ", debit->credits_posted_fen,
                       " 分，已入账借方 ", debit->debits_posted_fen, " 分，待定借方 ", debit->debits_pending_fen,
                       " 分，本笔金额 ", t.amount_fen, " 分）")};
      return StatusWithViolations(absl::StatusCode::kFailedPrecondition,
                                  {absl::StrCat("transfer ", t.transfer_id, " ", why.en, "; nothing was posted"),
                                   absl::StrCat("转账 ", t.transfer_id, " ", why.zh, "；未记入任何转账")},
                                  {{path + ".amount_fen", why}});
    }
    if (std::optional<BalanceProblem> problem = ApplyToBalances(t, *debit, *credit)) {
      if (problem->below_zero) {
        // Only stored balances that disagree with the journal get here.
        return absl::DataLossError(absl::StrCat("transfer ", t.transfer_id, " would take account ", problem->account_id,
                                                "'s ", problem->balance,
                                                " below zero: its stored balances disagree with the journal "
                                                "(VerifyJournal names the first problem)"));
      }
      const LocalizedText why{absl::StrCat("would take account ", problem->account_id, "'s ", problem->balance,
                                           " beyond ", kMaxBalanceFen, " fen, the largest balance the ledger keeps"),
                              absl::StrCat("会使账户 ", problem->account_id, " 的余额（", problem->balance, "）超过 ",
                                           kMaxBalanceFen, " 分，即账本能保存的最大余额")};
      return StatusWithViolations(absl::StatusCode::kOutOfRange,
                                  {absl::StrCat("transfer ", t.transfer_id, " ", why.en, "; nothing was posted"),
                                   absl::StrCat("转账 ", t.transfer_id, " ", why.zh, "；未记入任何转账")},
                                  {{path + ".amount_fen", why}});
    }
    t.journal_sequence = head.sequence + 1;
    t.journal_hash = JournalHash(head.hash, t);
    head = {t.journal_sequence, t.journal_hash};
    ASSIGN_OR_RETURN(t.change_version, txn->AppendChange(Change{0, request_id, credit->district_code, t}));
    event.Add(credit->district_code, t.change_version);
    event.Add(debit->district_code, t.change_version);
    if (summary.first_change_version == 0) summary.first_change_version = t.change_version;
    summary.last_change_version = t.change_version;
    ++summary.created_count;
    RETURN_IF_ERROR(txn->AppendTransfer(t));
    if (t.resolves_pending()) {
      RETURN_IF_ERROR(txn->PutResolution(pending_id, t.transfer_id));
      resolved_now[pending_id] = t.transfer_id;
    }
    posted_now[t.transfer_id] = t;
    result.results.push_back({t.transfer_id, TransferStatus::kCreated, t.journal_sequence});
    created.push_back(true);
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("PostTransfers", "记入转账")));
  for (const auto& [id, a] : accounts) RETURN_IF_ERROR(txn->PutAccount(a));
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, EncodeOutcomes(created)}));
  RETURN_IF_ERROR(txn->Commit());
  event.PublishTo(publisher_);
  result.districts = event.districts();
  return result;
}

absl::StatusOr<Account> FundingLedger::GetAccount(const std::string& account_id) {
  FieldViolations violations;
  if (!IsLedgerId(account_id)) violations.Add("account_id", "must name an account", "必须写明账户");
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetAccount", "查询账户")));
  ASSIGN_OR_RETURN(std::optional<Account> account, repository_->GetAccount(account_id));
  if (!account) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          {absl::StrCat("no account ", account_id), absl::StrCat("账户 ", account_id, " 不存在")});
  }
  return *account;
}

absl::StatusOr<TransferPage> FundingLedger::ListTransfers(const std::string& account_id, int32_t school_year,
                                                          int32_t page_size, const std::string& page_token) {
  FieldViolations violations;
  if (!account_id.empty() && !IsLedgerId(account_id))
    violations.Add("account_id", "must be empty or name an account", "必须留空或写明账户");
  if (school_year != 0 && (school_year < kMinSchoolYear || school_year > kMaxSchoolYear)) {
    violations.Add("school_year", "must be 0 or a school year from 2000 to 2100",
                   "必须为 0 或 2000 到 2100 之间的学年");
  }
  TransferQuery query;
  query.account_id = account_id;
  query.school_year = school_year;
  query.limit = EffectivePageSize(page_size, violations);
  if (!page_token.empty()) {
    std::optional<std::string> decoded = DecodePageToken("j1", page_token);
    if (!decoded || !absl::SimpleAtoi(*decoded, &query.after_sequence)) {
      violations.Add("page_token", texts::InvalidPageToken());
    }
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListTransfers", "列出转账")));
  const int32_t limit = query.limit;
  query.limit = limit + 1;
  ASSIGN_OR_RETURN(std::vector<Transfer> transfers, repository_->ListTransfers(query));
  TransferPage page;
  if (static_cast<int32_t>(transfers.size()) > limit) {
    transfers.resize(limit);
    page.next_page_token = EncodePageToken("j1", std::to_string(transfers.back().journal_sequence));
  }
  page.transfers = std::move(transfers);
  return page;
}

absl::StatusOr<FundingSummary> FundingLedger::GetFundingSummary(const FundingSummaryQuery& q) {
  FieldViolations violations;
  if (FindDistrict(q.district_code) == nullptr) violations.Add("district_code", texts::NotAGuangzhouDistrict());
  if (q.school_year < kMinSchoolYear || q.school_year > kMaxSchoolYear) {
    violations.Add("school_year", "must be a school year from 2000 to 2100", "必须是 2000 到 2100 之间的学年");
  }
  for (const auto& [code, students] : q.school_students) {
    if (!IsDigits(code, 10) || students < 0) {
      violations.Add("school_students", absl::StrCat("'", code, "': needs a 10-digit school code and students >= 0"),
                     absl::StrCat("“", code, "”：学校标识码必须是 10 位数字，在校生数不能为负数"));
    }
  }
  if (q.operating_base_per_student_fen < 0 || q.operating_base_per_student_fen > bounds::kMaxAmountFen) {
    violations.Add(
        "operating_base_per_student_fen",
        absl::StrCat("must be 0 (unknown) to ", bounds::kMaxAmountFen, " fen (10^12 yuan), the bound on one amount"),
        absl::StrCat("必须在 0（不详）到 ", bounds::kMaxAmountFen, " 分（一万亿元，单笔金额的上限）之间"));
  }
  for (const auto& [field, count] : {std::pair<const char*, int32_t>{"district_students", q.district_students},
                                     {"district_students_last_year", q.district_students_last_year},
                                     {"teacher_headcount", q.teacher_headcount}}) {
    if (count < 0) violations.Add(field, "must be >= 0 (0: unknown)", "不能为负数（0 表示不详）");
  }
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("GetFundingSummary", "查询经费汇总")));

  ASSIGN_OR_RETURN(std::vector<Account> accounts, repository_->AccountsOfDistrict(q.district_code));
  std::vector<std::string> ids;
  for (const Account& a : accounts) ids.push_back(a.account_id);
  ASSIGN_OR_RETURN(std::vector<Transfer> transfers, repository_->TransfersOfAccounts(ids, 0));
  // Credits per account and year: posted, and pending ones still open.
  std::set<std::string> resolved;
  for (const Transfer& t : transfers) {
    if (!t.post_pending_id.empty()) resolved.insert(t.post_pending_id);
    if (!t.void_pending_id.empty()) resolved.insert(t.void_pending_id);
  }
  std::map<std::pair<std::string, int32_t>, YearCredits> credits;
  for (const Transfer& t : transfers) {
    YearCredits& c = credits[{t.credit_account_id, t.school_year}];
    if (t.pending) {
      if (resolved.count(t.transfer_id) == 0) c.outstanding_fen.Add(t.amount_fen);
    } else if (t.void_pending_id.empty()) {
      c.posted_fen.Add(t.amount_fen);  // a plain transfer, or a posted pending one
    }
  }
  const auto year = [&](const Account& a, int32_t school_year) {
    auto it = credits.find({a.account_id, school_year});
    return it == credits.end() ? YearCredits{} : it->second;
  };

  // Every sum is checked: one that leaves the int64 range is refused by
  // name rather than reported wrapped (a negative budget).
  struct SchoolSums {
    CheckedFen operating_budget_fen;
    CheckedFen training_budget_fen;
    CheckedFen operating_funds_fen;
  };
  std::map<std::string, SchoolSums> schools;
  CheckedFen all_operating;
  CheckedFen all_training;
  CheckedFen education_budget;
  CheckedFen education_budget_last_year;
  CheckedFen payroll;
  for (const Account& a : accounts) {
    const YearCredits now = year(a, q.school_year);
    switch (a.purpose) {
      case AccountPurpose::kSchoolOperating: {
        SchoolSums& s = schools[a.school_code];
        s.operating_budget_fen.Add(now.budget_fen());
        s.operating_funds_fen.Add(now.posted_fen);
        all_operating.Add(now.budget_fen());
        break;
      }
      case AccountPurpose::kSchoolTraining:
        schools[a.school_code].training_budget_fen.Add(now.budget_fen());
        all_training.Add(now.budget_fen());
        break;
      case AccountPurpose::kDistrictEducationBudget:
        education_budget.Add(now.budget_fen());
        education_budget_last_year.Add(year(a, q.school_year - 1).budget_fen());
        break;
      case AccountPurpose::kPayroll:
        payroll.Add(now.posted_fen);
        break;
      default:
        break;
    }
  }
  const auto too_large = [&](const LocalizedText& figure) {
    return LocalizedError(absl::StatusCode::kOutOfRange,
                          {absl::StrCat("district ", q.district_code, ": ", figure.en, " exceeds ", kMaxBalanceFen,
                                        " fen, the largest sum the ledger reports (its accounts hold more "
                                        "than any real budget)"),
                           absl::StrCat("区 ", q.district_code, "：", figure.zh, "超过 ", kMaxBalanceFen,
                                        " 分，即账本能报告的最大金额（其账户金额超过任何真实预算）")});
  };
  FundingSummary summary;
  for (const auto& [code, sums] : schools) {
    for (const auto& [sum, name] : {std::pair<const CheckedFen*, LocalizedText>{
                                        &sums.operating_budget_fen, {"the operating budget", "公用经费预算"}},
                                    {&sums.training_budget_fen, {"the training budget", "培训经费预算"}},
                                    {&sums.operating_funds_fen, {"the operating funds", "公用经费"}}}) {
      if (sum->overflowed()) {
        return too_large({absl::StrCat(name.en, " of school ", code, " in ", q.school_year),
                          absl::StrCat("学校 ", code, " ", q.school_year, " 学年的", name.zh)});
      }
    }
    SchoolFundingFacts s;
    s.school_code = code;
    s.operating_budget_fen = sums.operating_budget_fen.value();
    s.training_budget_fen = sums.training_budget_fen.value();
    s.operating_funds_fen = sums.operating_funds_fen.value();
    auto students = q.school_students.find(code);
    s.students = students == q.school_students.end() ? 0 : students->second;
    if (s.students > 0) s.operating_funds_per_student_fen = s.operating_funds_fen / s.students;
    if (s.operating_budget_fen > 0) s.training_share_percent = 100.0 * s.training_budget_fen / s.operating_budget_fen;
    s.meets_training_share = s.operating_budget_fen > 0 && s.training_share_percent >= kMinTrainingSharePercent;
    // Within bounds: at most 100 x 10^14 fen.
    s.funded_as_100_students = s.students > 0 && s.students < kSmallSchoolFundedStudents &&
                               q.operating_base_per_student_fen > 0 &&
                               s.operating_funds_fen >= kSmallSchoolFundedStudents * q.operating_base_per_student_fen;
    summary.schools.push_back(s);
  }
  if (all_operating.overflowed()) {
    return too_large({absl::StrCat("the schools' operating budget in ", q.school_year),
                      absl::StrCat(q.school_year, " 学年各校的公用经费预算")});
  }
  if (all_training.overflowed()) {
    return too_large({absl::StrCat("the schools' training budget in ", q.school_year),
                      absl::StrCat(q.school_year, " 学年各校的培训经费预算")});
  }
  if (education_budget.overflowed()) {
    return too_large(
        {absl::StrCat("the education budget in ", q.school_year), absl::StrCat(q.school_year, " 学年的教育经费预算")});
  }
  if (education_budget_last_year.overflowed()) {
    return too_large({absl::StrCat("the education budget in ", q.school_year - 1),
                      absl::StrCat(q.school_year - 1, " 学年的教育经费预算")});
  }
  if (payroll.overflowed()) {
    return too_large({absl::StrCat("the payroll in ", q.school_year), absl::StrCat(q.school_year, " 学年的工资支出")});
  }
  summary.education_budget_fen = education_budget.value();
  summary.education_budget_last_year_fen = education_budget_last_year.value();
  summary.payroll_fen = payroll.value();
  if (q.district_students > 0)
    summary.education_budget_per_student_fen = summary.education_budget_fen / q.district_students;
  if (q.district_students_last_year > 0) {
    summary.education_budget_per_student_last_year_fen =
        summary.education_budget_last_year_fen / q.district_students_last_year;
  }
  // 两个只增不减: neither the budget nor the per-student budget decreases.
  summary.budget_not_decreasing =
      summary.education_budget_fen >= summary.education_budget_last_year_fen &&
      (q.district_students == 0 || q.district_students_last_year == 0 ||
       summary.education_budget_per_student_fen >= summary.education_budget_per_student_last_year_fen);
  if (q.teacher_headcount > 0) summary.average_teacher_pay_fen = summary.payroll_fen / q.teacher_headcount;
  if (all_operating.value() > 0) {
    summary.district_training_share_percent = 100.0 * all_training.value() / all_operating.value();
  }
  return summary;
}

absl::StatusOr<VerifyResult> FundingLedger::VerifyJournal() {
  VerifyResult result;
  std::map<std::string, Account> computed;
  ASSIGN_OR_RETURN(std::vector<Account> stored, repository_->AllAccounts());
  for (const Account& a : stored) {
    Account zero = a;
    zero.debits_posted_fen = zero.credits_posted_fen = zero.debits_pending_fen = zero.credits_pending_fen = 0;
    computed.emplace(a.account_id, zero);
  }
  const auto fail = [&](const std::string& problem) {
    if (result.ok) {
      result.ok = false;
      result.first_problem = problem;
    }
  };
  JournalHead head;
  TransferQuery query;
  query.limit = 1000;
  while (result.ok) {
    ASSIGN_OR_RETURN(std::vector<Transfer> page, repository_->ListTransfers(query));
    if (page.empty()) break;
    for (const Transfer& t : page) {
      ++result.entries_checked;
      const auto entry = [&t] { return absl::StrCat("entry ", t.journal_sequence, " (transfer ", t.transfer_id, ")"); };
      if (t.journal_sequence != head.sequence + 1) {
        fail(absl::StrCat("entry ", t.journal_sequence, ": expected sequence ", head.sequence + 1));
        break;
      }
      if (JournalHash(head.hash, t) != t.journal_hash) {
        fail(absl::StrCat(entry(), ": its hash does not match its content and the previous entry"));
        break;
      }
      head = {t.journal_sequence, t.journal_hash};
      auto debit = computed.find(t.debit_account_id);
      auto credit = computed.find(t.credit_account_id);
      if (debit == computed.end() || credit == computed.end()) {
        fail(absl::StrCat("entry ", t.journal_sequence, " names an account that does not exist"));
        break;
      }
      if (debit == credit || t.amount_fen <= 0) {
        fail(absl::StrCat(entry(), ": debits and credits one account, or moves no money"));
        break;
      }
      // Recomputed with checked arithmetic, so a journal whose sums wrapped
      // when it was written (stored balances wrapped the same way) is found.
      if (std::optional<BalanceProblem> problem = ApplyToBalances(t, debit->second, credit->second)) {
        fail(absl::StrCat(entry(), ": account ", problem->account_id, "'s ", problem->balance,
                          problem->below_zero ? " goes below zero"
                                              : absl::StrCat(" exceeds ", kMaxBalanceFen, " fen (a wrapped sum)")));
        break;
      }
    }
    query.after_sequence = head.sequence;
  }
  for (const Account& a : stored) {
    if (!result.ok) break;
    const Account& c = computed[a.account_id];
    for (const auto& [balance, name] :
         {std::pair<int64_t Account::*, const char*>{&Account::debits_posted_fen, "debits posted"},
          {&Account::credits_posted_fen, "credits posted"},
          {&Account::debits_pending_fen, "debits pending"},
          {&Account::credits_pending_fen, "credits pending"}}) {
      if (a.*balance != c.*balance) {
        fail(absl::StrCat("account ", a.account_id, ": stored balances differ from the journal (", name, " ",
                          a.*balance, " vs ", c.*balance, " fen)"));
        break;
      }
    }
  }
  return result;
}

absl::StatusOr<ChangePage> FundingLedger::ListChanges(int64_t since_version, int32_t page_size) {
  FieldViolations violations;
  if (since_version < 0) violations.Add("since_version", texts::MustBeNonNegative());
  const int32_t limit = EffectivePageSize(page_size, violations);
  RETURN_IF_ERROR(violations.ToStatus(texts::InvalidRequest("ListChanges", "读取变更")));
  ChangePage page;
  ASSIGN_OR_RETURN(page.changes, repository_->ListChanges(since_version, limit));
  ASSIGN_OR_RETURN(page.latest_version, repository_->LatestChangeVersion());
  return page;
}

}  // namespace gzedu::funding
