#include "services/funding_ledger/domain/funding_ledger.h"

#include <map>
#include <memory>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/domain/districts.h"
#include "common/domain/fingerprint.h"
#include "common/domain/text.h"
#include "common/status/macros.h"

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
    violations.Add(field, absl::StrCat("must be valid UTF-8 of at most ", max, " characters"));
}

void ValidateRequestId(const std::string& request_id, FieldViolations& violations) {
  if (!IsValidRequestId(request_id)) violations.Add("request_id", "must be 1 to 128 printable ASCII characters");
}

// Per-item outcomes of a request, kept with the request so a replay can
// answer item by item: one letter per item.
std::string EncodeOutcomes(const std::vector<bool>& created) {
  std::string text;
  for (bool c : created) text.push_back(c ? 'C' : 'A');
  return text;
}

void ApplyToBalances(const Transfer& t, int64_t sign, Account& debit, Account& credit) {
  const int64_t a = sign * t.amount_fen;
  if (t.pending) {
    debit.debits_pending_fen += a;
    credit.credits_pending_fen += a;
  } else if (!t.post_pending_id.empty()) {
    debit.debits_pending_fen -= a;
    debit.debits_posted_fen += a;
    credit.credits_pending_fen -= a;
    credit.credits_posted_fen += a;
  } else if (!t.void_pending_id.empty()) {
    debit.debits_pending_fen -= a;
    credit.credits_pending_fen -= a;
  } else {
    debit.debits_posted_fen += a;
    credit.credits_posted_fen += a;
  }
}

// Credits of one account in one year: posted, and reserved by pending
// transfers not yet posted or voided.
struct YearCredits {
  int64_t posted_fen = 0;
  int64_t outstanding_fen = 0;
  int64_t budget_fen() const { return posted_fen + outstanding_fen; }
};

}  // namespace

absl::StatusOr<CreateAccountsResult> FundingLedger::CreateAccounts(const std::string& request_id,
                                                                   const std::vector<Account>& accounts,
                                                                   const AccessScope& scope) {
  FieldViolations violations;
  ValidateRequestId(request_id, violations);
  if (accounts.empty() || accounts.size() > kMaxAccountsPerRequest) {
    violations.Add("accounts", absl::StrCat("must hold 1 to ", kMaxAccountsPerRequest, " accounts"));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < accounts.size(); ++i) {
    const Account& a = accounts[i];
    const std::string path = absl::StrCat("accounts[", i, "]");
    if (!IsLedgerId(a.account_id)) {
      violations.Add(path + ".account_id", "must be 1 to 64 letters, digits, '.', '-' or '_'");
    } else if (auto [it, inserted] = first.emplace(a.account_id, i); !inserted) {
      violations.Add(path + ".account_id", absl::StrCat("repeats accounts[", it->second, "]"));
    }
    if (FindDistrict(a.district_code) == nullptr && a.district_code != kCityCode && a.district_code != kProvinceCode) {
      violations.Add(path + ".district_code", "must be one of the 11 districts, 440100 (city) or 440000 (province)");
    }
    const int purpose = static_cast<int>(a.purpose);
    if (purpose < 1 || purpose > 6) violations.Add(path + ".purpose", "must be an ACCOUNT_PURPOSE_* value");
    if (IsSchoolPurpose(a.purpose) && !IsDigits(a.school_code, 10)) {
      violations.Add(path + ".school_code", "a school account needs the 10-digit school identifier");
    } else if (!IsSchoolPurpose(a.purpose) && !a.school_code.empty() && !IsDigits(a.school_code, 10)) {
      violations.Add(path + ".school_code", "must be empty or a 10-digit school identifier");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus("invalid CreateAccounts request"));
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
                absl::StrCat("account ", accounts[i].account_id), outside);
  }
  RETURN_IF_ERROR(outside.ToPermissionDenied("CreateAccounts outside the caller's scope"));
  ASSIGN_OR_RETURN(std::unique_ptr<LedgerWriteTransaction> txn, repository_->BeginWrite());
  ASSIGN_OR_RETURN(std::optional<RequestRecord> replay, CheckReplay(*txn, request_id, fingerprint));
  if (replay) {
    CreateAccountsResult result;
    result.replayed = true;
    for (char c : replay->entity_id)
      result.results.push_back(c == 'C' ? AccountResult::kCreated : AccountResult::kAlreadyExists);
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
        return absl::AlreadyExistsError(
            absl::StrCat("account ", incoming.account_id, " exists with another definition; accounts are not edited"));
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
    violations.Add("transfers", absl::StrCat("must hold 1 to ", kMaxTransfersPerRequest, " transfers"));
  }
  std::map<std::string, size_t> first;
  for (size_t i = 0; i < transfers.size(); ++i) {
    const Transfer& t = transfers[i];
    const std::string path = absl::StrCat("transfers[", i, "]");
    if (!IsLedgerId(t.transfer_id)) {
      violations.Add(path + ".transfer_id", "must be 1 to 64 letters, digits, '.', '-' or '_'");
    } else if (auto [it, inserted] = first.emplace(t.transfer_id, i); !inserted) {
      violations.Add(path + ".transfer_id", absl::StrCat("repeats transfers[", it->second, "]"));
    }
    const bool resolving = t.resolves_pending();
    if (!t.post_pending_id.empty() && !t.void_pending_id.empty()) {
      violations.Add(path + ".void_pending_id", "a transfer posts or voids a pending transfer, not both");
    }
    if (resolving && t.pending) violations.Add(path + ".pending", "a post or void cannot itself be pending");
    for (const auto& [field, id] :
         {std::pair<const char*, const std::string*>{"debit_account_id", &t.debit_account_id},
          std::pair<const char*, const std::string*>{"credit_account_id", &t.credit_account_id}}) {
      if (!(resolving && id->empty()) && !IsLedgerId(*id)) {
        violations.Add(absl::StrCat(path, ".", field), "must name an account");
      }
    }
    if (!t.debit_account_id.empty() && t.debit_account_id == t.credit_account_id) {
      violations.Add(path + ".credit_account_id", "must differ from debit_account_id");
    }
    if (t.amount_fen < 0 || (!resolving && t.amount_fen == 0)) {
      violations.Add(path + ".amount_fen", resolving ? "must be >= 0 (0: the pending amount)" : "must be > 0 fen");
    }
    if (t.school_year < kMinSchoolYear || t.school_year > kMaxSchoolYear) {
      violations.Add(path + ".school_year", absl::StrCat("must be between ", kMinSchoolYear, " and ", kMaxSchoolYear));
    }
    ValidateText(t.purpose, 64, path + ".purpose", violations);
    ValidateText(t.memo, 256, path + ".memo", violations);
  }
  RETURN_IF_ERROR(violations.ToStatus("invalid PostTransfers request"));
  Fingerprint fp;
  fp.Add(absl::string_view("PostTransfers"));
  for (const Transfer& t : transfers) {
    fp.Add(t.transfer_id).Add(t.debit_account_id).Add(t.credit_account_id).Add(t.amount_fen);
    fp.Add(static_cast<int64_t>(t.school_year)).Add(t.purpose).Add(t.memo).Add(t.pending);
    fp.Add(t.post_pending_id).Add(t.void_pending_id);
  }
  const std::string fingerprint = fp.Hex();

  ASSIGN_OR_RETURN(std::unique_ptr<LedgerWriteTransaction> txn, repository_->BeginWrite());
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
        if (found) scope.Check(found->district_code, path + field, absl::StrCat("account ", id), outside);
      }
    }
    RETURN_IF_ERROR(outside.ToPermissionDenied("PostTransfers outside the caller's scope"));
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
        violations.Add(field, absl::StrCat("there is no pending transfer ", pending_id));
        continue;
      }
      if (t.debit_account_id.empty()) t.debit_account_id = pending->debit_account_id;
      if (t.credit_account_id.empty()) t.credit_account_id = pending->credit_account_id;
      if (t.amount_fen == 0) t.amount_fen = pending->amount_fen;
      if (t.debit_account_id != pending->debit_account_id || t.credit_account_id != pending->credit_account_id ||
          t.amount_fen != pending->amount_fen) {
        violations.Add(field, "accounts and amount must be those of the pending transfer (or left out)");
        continue;
      }
    }
    ASSIGN_OR_RETURN(std::optional<Transfer> existing, find_transfer(t.transfer_id));
    if (existing) {
      if (!existing->SameContent(t)) {
        return absl::AlreadyExistsError(absl::StrCat("transfer ", t.transfer_id,
                                                     " was already posted with other content; transfers are never "
                                                     "edited: post a correcting transfer under a new id"));
      }
      result.results.push_back({t.transfer_id, TransferStatus::kAlreadyPosted, existing->journal_sequence});
      created.push_back(false);
      ++summary.unchanged_count;
      continue;
    }
    ASSIGN_OR_RETURN(Account * debit, account(t.debit_account_id));
    ASSIGN_OR_RETURN(Account * credit, account(t.credit_account_id));
    if (debit == nullptr) violations.Add(path + ".debit_account_id", absl::StrCat("no account ", t.debit_account_id));
    if (credit == nullptr) {
      violations.Add(path + ".credit_account_id", absl::StrCat("no account ", t.credit_account_id));
    }
    if (debit == nullptr || credit == nullptr) continue;
    if (t.resolves_pending()) {
      std::optional<std::string> by;
      if (auto it = resolved_now.find(pending_id); it != resolved_now.end()) by = it->second;
      if (!by) {
        ASSIGN_OR_RETURN(by, txn->FindResolution(pending_id));
      }
      if (by) {
        return absl::FailedPreconditionError(absl::StrCat("transfer ", t.transfer_id, ": pending transfer ", pending_id,
                                                          " was already settled by ", *by));
      }
    }
    // Only posted credits can cover debits: a pending debit reserves
    // against them too, and posting it moves nothing across the line.
    const bool adds_debit = t.void_pending_id.empty() && t.post_pending_id.empty();
    if (debit->debits_must_not_exceed_credits && adds_debit &&
        debit->debits_posted_fen + debit->debits_pending_fen + t.amount_fen > debit->credits_posted_fen) {
      return absl::FailedPreconditionError(
          absl::StrCat("transfer ", t.transfer_id, " would overdraw account ", debit->account_id, " (posted credits ",
                       debit->credits_posted_fen, " fen, debits ", debit->debits_posted_fen + debit->debits_pending_fen,
                       " fen, amount ", t.amount_fen, " fen)"));
    }
    ApplyToBalances(t, 1, *debit, *credit);
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
  RETURN_IF_ERROR(violations.ToStatus("invalid PostTransfers request"));
  for (const auto& [id, a] : accounts) RETURN_IF_ERROR(txn->PutAccount(a));
  RETURN_IF_ERROR(txn->PutRequest({request_id, fingerprint, summary, EncodeOutcomes(created)}));
  RETURN_IF_ERROR(txn->Commit());
  event.PublishTo(publisher_);
  result.districts = event.districts();
  return result;
}

absl::StatusOr<Account> FundingLedger::GetAccount(const std::string& account_id) {
  FieldViolations violations;
  if (!IsLedgerId(account_id)) violations.Add("account_id", "must name an account");
  RETURN_IF_ERROR(violations.ToStatus("invalid GetAccount request"));
  ASSIGN_OR_RETURN(std::optional<Account> account, repository_->GetAccount(account_id));
  if (!account) return absl::NotFoundError(absl::StrCat("no account ", account_id));
  return *account;
}

absl::StatusOr<TransferPage> FundingLedger::ListTransfers(const std::string& account_id, int32_t school_year,
                                                          int32_t page_size, const std::string& page_token) {
  FieldViolations violations;
  if (!account_id.empty() && !IsLedgerId(account_id)) violations.Add("account_id", "must be empty or name an account");
  if (school_year != 0 && (school_year < kMinSchoolYear || school_year > kMaxSchoolYear)) {
    violations.Add("school_year", "must be 0 or a school year from 2000 to 2100");
  }
  TransferQuery query;
  query.account_id = account_id;
  query.school_year = school_year;
  query.limit = EffectivePageSize(page_size, violations);
  if (!page_token.empty()) {
    std::optional<std::string> decoded = DecodePageToken("j1", page_token);
    if (!decoded || !absl::SimpleAtoi(*decoded, &query.after_sequence)) {
      violations.Add("page_token", "is not a token this service issued");
    }
  }
  RETURN_IF_ERROR(violations.ToStatus("invalid ListTransfers request"));
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
  if (FindDistrict(q.district_code) == nullptr) violations.Add("district_code", "must be one of the 11 districts");
  if (q.school_year < kMinSchoolYear || q.school_year > kMaxSchoolYear) {
    violations.Add("school_year", "must be a school year from 2000 to 2100");
  }
  for (const auto& [code, students] : q.school_students) {
    if (!IsDigits(code, 10) || students < 0) {
      violations.Add("school_students", absl::StrCat("'", code, "': needs a 10-digit school code and students >= 0"));
    }
  }
  if (q.operating_base_per_student_fen < 0 || q.district_students < 0 || q.district_students_last_year < 0 ||
      q.teacher_headcount < 0) {
    violations.Add("district_students", "counts and amounts must be >= 0");
  }
  RETURN_IF_ERROR(violations.ToStatus("invalid GetFundingSummary request"));

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
      if (resolved.count(t.transfer_id) == 0) c.outstanding_fen += t.amount_fen;
    } else if (t.void_pending_id.empty()) {
      c.posted_fen += t.amount_fen;  // a plain transfer, or a posted pending one
    }
  }
  const auto year = [&](const Account& a, int32_t school_year) {
    auto it = credits.find({a.account_id, school_year});
    return it == credits.end() ? YearCredits{} : it->second;
  };

  FundingSummary summary;
  std::map<std::string, SchoolFundingFacts> schools;
  int64_t all_operating = 0;
  int64_t all_training = 0;
  for (const Account& a : accounts) {
    const YearCredits now = year(a, q.school_year);
    switch (a.purpose) {
      case AccountPurpose::kSchoolOperating: {
        SchoolFundingFacts& s = schools[a.school_code];
        s.operating_budget_fen += now.budget_fen();
        s.operating_funds_fen += now.posted_fen;
        all_operating += now.budget_fen();
        break;
      }
      case AccountPurpose::kSchoolTraining:
        schools[a.school_code].training_budget_fen += now.budget_fen();
        all_training += now.budget_fen();
        break;
      case AccountPurpose::kDistrictEducationBudget:
        summary.education_budget_fen += now.budget_fen();
        summary.education_budget_last_year_fen += year(a, q.school_year - 1).budget_fen();
        break;
      case AccountPurpose::kPayroll:
        summary.payroll_fen += now.posted_fen;
        break;
      default:
        break;
    }
  }
  for (auto& [code, s] : schools) {
    s.school_code = code;
    auto students = q.school_students.find(code);
    s.students = students == q.school_students.end() ? 0 : students->second;
    if (s.students > 0) s.operating_funds_per_student_fen = s.operating_funds_fen / s.students;
    if (s.operating_budget_fen > 0) s.training_share_percent = 100.0 * s.training_budget_fen / s.operating_budget_fen;
    s.meets_training_share = s.operating_budget_fen > 0 && s.training_share_percent >= kMinTrainingSharePercent;
    s.funded_as_100_students = s.students > 0 && s.students < kSmallSchoolFundedStudents &&
                               q.operating_base_per_student_fen > 0 &&
                               s.operating_funds_fen >= kSmallSchoolFundedStudents * q.operating_base_per_student_fen;
    summary.schools.push_back(s);
  }
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
  if (all_operating > 0) summary.district_training_share_percent = 100.0 * all_training / all_operating;
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
      if (t.journal_sequence != head.sequence + 1) {
        fail(absl::StrCat("entry ", t.journal_sequence, ": expected sequence ", head.sequence + 1));
        break;
      }
      if (JournalHash(head.hash, t) != t.journal_hash) {
        fail(absl::StrCat("entry ", t.journal_sequence, " (transfer ", t.transfer_id,
                          "): its hash does not match its content and the previous entry"));
        break;
      }
      head = {t.journal_sequence, t.journal_hash};
      auto debit = computed.find(t.debit_account_id);
      auto credit = computed.find(t.credit_account_id);
      if (debit == computed.end() || credit == computed.end()) {
        fail(absl::StrCat("entry ", t.journal_sequence, " names an account that does not exist"));
        break;
      }
      ApplyToBalances(t, 1, debit->second, credit->second);
    }
    query.after_sequence = head.sequence;
  }
  for (const Account& a : stored) {
    if (!result.ok) break;
    const Account& c = computed[a.account_id];
    if (c.debits_posted_fen != a.debits_posted_fen || c.credits_posted_fen != a.credits_posted_fen ||
        c.debits_pending_fen != a.debits_pending_fen || c.credits_pending_fen != a.credits_pending_fen) {
      fail(absl::StrCat("account ", a.account_id, ": stored balances differ from the journal (credits posted ",
                        a.credits_posted_fen, " vs ", c.credits_posted_fen, " fen)"));
    }
  }
  return result;
}

absl::StatusOr<ChangePage> FundingLedger::ListChanges(int64_t since_version, int32_t page_size) {
  FieldViolations violations;
  if (since_version < 0) violations.Add("since_version", "must be >= 0");
  const int32_t limit = EffectivePageSize(page_size, violations);
  RETURN_IF_ERROR(violations.ToStatus("invalid ListChanges request"));
  ChangePage page;
  ASSIGN_OR_RETURN(page.changes, repository_->ListChanges(since_version, limit));
  ASSIGN_OR_RETURN(page.latest_version, repository_->LatestChangeVersion());
  return page;
}

}  // namespace gzedu::funding
