#include "tools/gzedu/ledger_command.h"

#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/domain/fingerprint.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/funding/v1/funding.grpc.pb.h"
#include "tools/gzedu/csv_columns.h"
#include "tools/gzedu/csv_file.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/ledger_csv.h"

namespace gzedu::cli {
namespace {

// A failure that is the service's, not the request's: unreachable, out of
// room, an internal fault, a deadline.
bool IsServiceFault(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::DATA_LOSS:
      return FieldViolationsFromGrpcStatus(status).empty();
    default:
      return false;
  }
}

namespace v1 = funding::v1;

constexpr size_t kBatchSize = 1000;  // the ledger's largest atomic batch

std::unique_ptr<v1::FundingLedgerService::Stub> Connect(const std::string& target) {
  return v1::FundingLedgerService::NewStub(gzedu::OpenChannel(target));
}

int Report(const std::string& file, const std::vector<CsvProblem>& problems, const std::vector<std::string>& warnings,
           const ColumnLabels& labels, const char* ending) {
  for (const std::string& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  if (problems.empty()) return 0;
  PrintProblems(file, problems, labels, ending);
  return 2;
}

std::string Yuan(int64_t fen) {
  // The magnitude in unsigned arithmetic: INT64_MIN (only a corrupted store
  // could answer it) has no positive int64.
  const uint64_t magnitude = fen < 0 ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  return absl::StrFormat("%s%d.%02d", fen < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

// Maps a violation "transfers[3].amount_fen" of a batch starting at row
// `begin` to its CSV line and column.
CsvProblem ToProblem(const FieldViolation& v, const std::vector<int>& lines, size_t begin) {
  const size_t open = v.field.find('[');
  const size_t close = v.field.find(']');
  if (open != std::string::npos && close != std::string::npos) {
    const size_t index = std::stoul(v.field.substr(open + 1, close - open - 1));
    std::string column = close + 2 <= v.field.size() ? v.field.substr(close + 2) : v.field;
    if (column == "amount_fen") column = "amount_yuan";
    if (begin + index < lines.size()) return {lines[begin + index], column, Description(v)};
  }
  return {0, v.field, Description(v)};
}

}  // namespace

int LedgerOpen(const std::string& file, const std::string& target, bool quiet) {
  CsvTable table;
  if (!ReadCsvFile(file, quiet, &table)) return 2;
  ParsedAccounts parsed = ParseAccountsCsv(table, file);
  const std::vector<v1::Account>& accounts = parsed.accounts;
  const std::vector<int>& lines = parsed.lines;
  for (size_t i = 0; i < accounts.size(); ++i) CheckUtf8(accounts[i], lines[i], parsed.problems);
  if (const int code = Report(file, parsed.problems, parsed.warnings, parsed.labels, "nothing was sent"); code != 0) {
    return code;
  }
  auto stub = Connect(target);
  size_t created = 0;
  for (size_t begin = 0; begin < accounts.size(); begin += kBatchSize) {
    v1::CreateAccountsRequest request;
    Fingerprint fp;
    for (size_t i = begin; i < std::min(accounts.size(), begin + kBatchSize); ++i) {
      *request.add_accounts() = accounts[i];
      fp.Add(accounts[i].SerializeAsString());
    }
    request.set_request_id("ledger-open-" + fp.Hex().substr(0, 24));
    v1::CreateAccountsResponse response;
    grpc::ClientContext context;
    const grpc::Status status = stub->CreateAccounts(&context, request, &response);
    if (!status.ok()) {
      std::vector<CsvProblem> refused;
      for (const FieldViolation& v : FieldViolationsFromGrpcStatus(status))
        refused.push_back(ToProblem(v, lines, begin));
      if (refused.empty()) {
        if (IsServiceFault(status)) {
          std::fprintf(stderr, "%s: the ledger at %s could not open the accounts from line %d on: %s\n", file.c_str(),
                       target.c_str(), lines[begin], ErrorText(status).c_str());
          return 1;
        }
        std::fprintf(stderr, "%s: the ledger at %s refused the accounts from line %d: %s\n", file.c_str(),
                     target.c_str(), lines[begin], ErrorText(status).c_str());
        return 2;
      }
      return Report(file, refused, {}, parsed.labels, "this batch of accounts was not opened");
    }
    // A replayed batch (the file was imported before) created nothing now.
    if (!response.replayed()) {
      for (int r : response.results()) created += r == v1::ACCOUNT_RESULT_CREATED ? 1 : 0;
    }
  }
  if (!quiet) std::fprintf(stderr, "%s: %zu accounts sent\n", file.c_str(), accounts.size());
  std::printf("%s: %zu accounts: %zu opened, %zu already open\n", file.c_str(), accounts.size(), created,
              accounts.size() - created);
  return 0;
}

int LedgerPost(const std::string& file, const std::string& target, bool quiet) {
  CsvTable table;
  if (!ReadCsvFile(file, quiet, &table)) return 2;
  ParsedTransfers parsed = ParseTransfersCsv(table, file);
  const std::vector<v1::Transfer>& transfers = parsed.transfers;
  const std::vector<int>& lines = parsed.lines;
  for (size_t i = 0; i < transfers.size(); ++i) CheckUtf8(transfers[i], lines[i], parsed.problems);
  if (const int code = Report(file, parsed.problems, parsed.warnings, parsed.labels, "nothing was sent"); code != 0) {
    return code;
  }
  auto stub = Connect(target);
  Progress progress(!quiet);
  size_t created = 0;
  size_t already = 0;
  for (size_t begin = 0; begin < transfers.size(); begin += kBatchSize) {
    const size_t end = std::min(transfers.size(), begin + kBatchSize);
    v1::PostTransfersRequest request;
    Fingerprint fp;
    for (size_t i = begin; i < end; ++i) {
      *request.add_transfers() = transfers[i];
      fp.Add(transfers[i].SerializeAsString());
    }
    // Transfers are immutable: the same rows are the same request.
    request.set_request_id("ledger-post-" + fp.Hex().substr(0, 24));
    v1::PostTransfersResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    const grpc::Status status = stub->PostTransfers(&context, request, &response);
    if (!status.ok()) {
      progress.Finish();
      std::vector<CsvProblem> refused;
      for (const FieldViolation& v : FieldViolationsFromGrpcStatus(status))
        refused.push_back(ToProblem(v, lines, begin));
      if (begin > 0) {
        std::fprintf(stderr, "%s: rows before line %d were posted; post the file again once fixed (safe)\n",
                     file.c_str(), lines[begin]);
      }
      // The service's own trouble (unreachable, its disk full, an internal
      // fault) is not a problem of the file's rows.
      if (refused.empty() && IsServiceFault(status)) {
        std::fprintf(stderr, "%s: the ledger at %s could not post the rows from line %d on: %s\n", file.c_str(),
                     target.c_str(), lines[begin], ErrorText(status).c_str());
        return 1;
      }
      if (refused.empty()) refused.push_back({lines[begin], "transfer_id", status.error_message()});
      return Report(file, refused, {}, parsed.labels, "the batch of these rows was not posted");
    }
    for (const v1::TransferResult& r : response.results()) {
      (r.status() == v1::TRANSFER_STATUS_CREATED && !response.replayed() ? created : already) += 1;
    }
    progress.Update(absl::StrCat(file, ": ", end, "/", transfers.size(), " transfers sent"));
  }
  progress.Finish();
  std::printf("%s: %zu transfers: %zu posted, %zu already posted\n", file.c_str(), transfers.size(), created, already);
  return 0;
}

int LedgerBalance(const std::string& account_id, const std::string& target) {
  v1::GetAccountRequest request;
  request.set_account_id(account_id);
  v1::GetAccountResponse response;
  grpc::ClientContext context;
  const grpc::Status status = Connect(target)->GetAccount(&context, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: %s\n", account_id.c_str(), ErrorText(status).c_str());
    return status.error_code() == grpc::StatusCode::NOT_FOUND ? 2 : 1;
  }
  const v1::Account& a = response.account();
  std::printf("account %s (district %s%s%s)\n", a.account_id().c_str(), a.district_code().c_str(),
              a.school_code().empty() ? "" : ", school ", a.school_code().c_str());
  std::printf("  credits posted  %18s yuan\n  debits posted   %18s yuan\n", Yuan(a.credits_posted_fen()).c_str(),
              Yuan(a.debits_posted_fen()).c_str());
  std::printf("  credits pending %18s yuan\n  debits pending  %18s yuan\n", Yuan(a.credits_pending_fen()).c_str(),
              Yuan(a.debits_pending_fen()).c_str());
  std::printf("  balance (credits - debits, posted) %s yuan\n",
              Yuan(a.credits_posted_fen() - a.debits_posted_fen()).c_str());
  return 0;
}

int LedgerVerify(const std::string& target) {
  v1::VerifyJournalResponse response;
  grpc::ClientContext context;
  const grpc::Status status = Connect(target)->VerifyJournal(&context, v1::VerifyJournalRequest(), &response);
  if (!status.ok()) {
    std::fprintf(stderr, ErrorsInChinese() ? "核对账本失败：%s\n" : "VerifyJournal failed: %s\n",
                 ErrorText(status).c_str());
    return 1;
  }
  if (response.ok()) {
    std::printf("journal verified: %lld entries, hash chain and every balance check out\n",
                static_cast<long long>(response.entries_checked()));
    return 0;
  }
  std::printf("journal NOT verified after %lld entries: %s\n", static_cast<long long>(response.entries_checked()),
              response.first_problem().c_str());
  return 3;
}

}  // namespace gzedu::cli
