#include "services/funding_ledger/grpc/funding_ledger_grpc_service.h"

#include "common/grpc/rpc_call.h"

namespace gzedu::funding {

Account FromProto(const v1::Account& p) {
  Account a;
  a.account_id = p.account_id();
  a.district_code = p.district_code();
  a.school_code = p.school_code();
  a.purpose = static_cast<AccountPurpose>(p.purpose());
  a.debits_must_not_exceed_credits = p.debits_must_not_exceed_credits();
  return a;
}

Transfer FromProto(const v1::Transfer& p) {
  Transfer t;
  t.transfer_id = p.transfer_id();
  t.debit_account_id = p.debit_account_id();
  t.credit_account_id = p.credit_account_id();
  t.amount_fen = p.amount_fen();
  t.school_year = p.school_year();
  t.purpose = p.purpose();
  t.memo = p.memo();
  t.pending = p.pending();
  t.post_pending_id = p.post_pending_id();
  t.void_pending_id = p.void_pending_id();
  return t;
}

void ToProto(const Account& a, v1::Account* p) {
  p->set_account_id(a.account_id);
  p->set_district_code(a.district_code);
  p->set_school_code(a.school_code);
  p->set_purpose(static_cast<v1::AccountPurpose>(a.purpose));
  p->set_debits_must_not_exceed_credits(a.debits_must_not_exceed_credits);
  p->set_debits_posted_fen(a.debits_posted_fen);
  p->set_credits_posted_fen(a.credits_posted_fen);
  p->set_debits_pending_fen(a.debits_pending_fen);
  p->set_credits_pending_fen(a.credits_pending_fen);
  p->set_change_version(a.change_version);
}

void ToProto(const Transfer& t, v1::Transfer* p) {
  p->set_transfer_id(t.transfer_id);
  p->set_debit_account_id(t.debit_account_id);
  p->set_credit_account_id(t.credit_account_id);
  p->set_amount_fen(t.amount_fen);
  p->set_school_year(t.school_year);
  p->set_purpose(t.purpose);
  p->set_memo(t.memo);
  p->set_pending(t.pending);
  p->set_post_pending_id(t.post_pending_id);
  p->set_void_pending_id(t.void_pending_id);
  p->set_journal_sequence(t.journal_sequence);
  p->set_journal_hash(t.journal_hash);
  p->set_change_version(t.change_version);
}

grpc::Status FundingLedgerGrpcService::CreateAccounts(grpc::ServerContext* context,
                                                      const v1::CreateAccountsRequest* request,
                                                      v1::CreateAccountsResponse* response) {
  RpcCall call(context, "CreateAccounts", request->request_id());
  {
    std::set<std::string> districts;
    for (const auto& row : request->accounts()) districts.insert(row.district_code());
    call.SetDistricts(std::move(districts));
  }
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<Account> accounts;
  for (const v1::Account& a : request->accounts()) accounts.push_back(FromProto(a));
  absl::StatusOr<CreateAccountsResult> result = ledger_->CreateAccounts(request->request_id(), accounts, *scope);
  if (result.ok()) {
    for (AccountResult r : result->results) {
      response->add_results(r == AccountResult::kCreated ? v1::ACCOUNT_RESULT_CREATED
                                                         : v1::ACCOUNT_RESULT_ALREADY_EXISTS);
    }
    response->set_replayed(result->replayed);
  }
  return call.Finish(result.status());
}

grpc::Status FundingLedgerGrpcService::PostTransfers(grpc::ServerContext* context,
                                                     const v1::PostTransfersRequest* request,
                                                     v1::PostTransfersResponse* response) {
  RpcCall call(context, "PostTransfers", request->request_id());
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kWrite);
  if (!scope.ok()) return call.Finish(scope.status());
  std::vector<Transfer> transfers;
  transfers.reserve(request->transfers_size());
  for (const v1::Transfer& t : request->transfers()) transfers.push_back(FromProto(t));
  absl::StatusOr<PostTransfersResult> result = ledger_->PostTransfers(request->request_id(), transfers, *scope);
  if (result.ok()) {
    call.SetDistricts(result->districts);
    for (const TransferResult& r : result->results) {
      v1::TransferResult* out = response->add_results();
      out->set_transfer_id(r.transfer_id);
      out->set_status(r.status == TransferStatus::kCreated ? v1::TRANSFER_STATUS_CREATED
                                                           : v1::TRANSFER_STATUS_ALREADY_POSTED);
      out->set_journal_sequence(r.journal_sequence);
    }
    response->set_replayed(result->replayed);
  }
  return call.Finish(result.status());
}

grpc::Status FundingLedgerGrpcService::GetAccount(grpc::ServerContext* context, const v1::GetAccountRequest* request,
                                                  v1::GetAccountResponse* response) {
  RpcCall call(context, "GetAccount");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  absl::StatusOr<Account> account = ledger_->GetAccount(request->account_id());
  if (account.ok()) {
    if (absl::Status in_scope = scope->CheckRead(account->district_code, "account_id"); !in_scope.ok()) {
      return call.Finish(in_scope);
    }
    ToProto(*account, response->mutable_account());
  }
  return call.Finish(account.status());
}

grpc::Status FundingLedgerGrpcService::ListTransfers(grpc::ServerContext* context,
                                                     const v1::ListTransfersRequest* request,
                                                     v1::ListTransfersResponse* response) {
  RpcCall call(context, "ListTransfers");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (!scope->whole_city) {
    absl::StatusOr<Account> account = ledger_->GetAccount(request->account_id());
    if (!account.ok()) return call.Finish(account.status());
    if (absl::Status in_scope = scope->CheckRead(account->district_code, "account_id"); !in_scope.ok()) {
      return call.Finish(in_scope);
    }
  }
  absl::StatusOr<TransferPage> page = ledger_->ListTransfers(request->account_id(), request->school_year(),
                                                             request->page_size(), request->page_token());
  if (page.ok()) {
    for (const Transfer& t : page->transfers) ToProto(t, response->add_transfers());
    response->set_next_page_token(page->next_page_token);
  }
  return call.Finish(page.status());
}

grpc::Status FundingLedgerGrpcService::GetFundingSummary(grpc::ServerContext* context,
                                                         const v1::GetFundingSummaryRequest* request,
                                                         v1::GetFundingSummaryResponse* response) {
  RpcCall call(context, "GetFundingSummary");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(request->district_code(), "district_code"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  FundingSummaryQuery query;
  query.district_code = request->district_code();
  query.school_year = request->school_year();
  for (const v1::SchoolStudents& s : request->school_students()) query.school_students[s.school_code()] = s.students();
  query.operating_base_per_student_fen = request->operating_base_per_student_fen();
  query.district_students = request->district_students();
  query.district_students_last_year = request->district_students_last_year();
  query.teacher_headcount = request->teacher_headcount();
  absl::StatusOr<FundingSummary> summary = ledger_->GetFundingSummary(query);
  if (summary.ok()) {
    for (const SchoolFundingFacts& s : summary->schools) {
      v1::SchoolFunding* out = response->add_schools();
      out->set_school_code(s.school_code);
      out->set_operating_budget_fen(s.operating_budget_fen);
      out->set_training_budget_fen(s.training_budget_fen);
      out->set_training_share_percent(s.training_share_percent);
      out->set_operating_funds_fen(s.operating_funds_fen);
      out->set_students(s.students);
      out->set_operating_funds_per_student_fen(s.operating_funds_per_student_fen);
      out->set_funded_as_100_students(s.funded_as_100_students);
      out->set_meets_training_share(s.meets_training_share);
    }
    response->set_education_budget_fen(summary->education_budget_fen);
    response->set_education_budget_last_year_fen(summary->education_budget_last_year_fen);
    response->set_education_budget_per_student_fen(summary->education_budget_per_student_fen);
    response->set_education_budget_per_student_last_year_fen(summary->education_budget_per_student_last_year_fen);
    response->set_budget_not_decreasing(summary->budget_not_decreasing);
    response->set_payroll_fen(summary->payroll_fen);
    response->set_average_teacher_pay_fen(summary->average_teacher_pay_fen);
    response->set_district_training_share_percent(summary->district_training_share_percent);
  }
  return call.Finish(summary.status());
}

grpc::Status FundingLedgerGrpcService::VerifyJournal(grpc::ServerContext* context,
                                                     const v1::VerifyJournalRequest* request,
                                                     v1::VerifyJournalResponse* response) {
  RpcCall call(context, "VerifyJournal");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(std::string(), "(the whole journal)"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<VerifyResult> result = ledger_->VerifyJournal();
  if (result.ok()) {
    response->set_ok(result->ok);
    response->set_entries_checked(result->entries_checked);
    response->set_first_problem(result->first_problem);
  }
  return call.Finish(result.status());
}

grpc::Status FundingLedgerGrpcService::ListChanges(grpc::ServerContext* context, const v1::ListChangesRequest* request,
                                                   v1::ListChangesResponse* response) {
  RpcCall call(context, "ListChanges");
  absl::StatusOr<AccessScope> scope = call.Authorize(Access::kRead);
  if (!scope.ok()) return call.Finish(scope.status());
  if (absl::Status in_scope = scope->CheckRead(std::string(), "since_version"); !in_scope.ok()) {
    return call.Finish(in_scope);
  }
  absl::StatusOr<ChangePage> page = ledger_->ListChanges(request->since_version(), request->page_size());
  if (page.ok()) {
    for (const Change& change : page->changes) {
      v1::Change* out = response->add_changes();
      out->set_change_version(change.change_version);
      out->set_request_id(change.request_id);
      out->set_district_code(change.district_code);
      if (const auto* account = std::get_if<Account>(&change.entity)) {
        ToProto(*account, out->mutable_account());
      } else {
        ToProto(std::get<Transfer>(change.entity), out->mutable_transfer());
      }
    }
    response->set_latest_version(page->latest_version);
    // An idle poll (the evaluation service polls every feed): debug, not info.
    if (page->changes.empty()) call.MarkNothingNew();
  }
  return call.Finish(page.status());
}

}  // namespace gzedu::funding
