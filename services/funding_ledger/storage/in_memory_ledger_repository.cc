#include "services/funding_ledger/storage/in_memory_ledger_repository.h"

#include <set>

namespace gzedu::funding {

class InMemoryLedgerRepository::Transaction : public LedgerWriteTransaction {
 public:
  Transaction(InMemoryLedgerRepository* owner, std::unique_lock<std::mutex> lock)
      : owner_(owner), lock_(std::move(lock)) {
    std::lock_guard<std::mutex> state_lock(owner_->state_mutex_);
    draft_ = owner_->state_;
  }

  absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view id) override {
    auto it = draft_.requests.find(std::string(id));
    return it == draft_.requests.end() ? std::optional<RequestRecord>() : std::optional<RequestRecord>(it->second);
  }
  absl::Status PutRequest(const RequestRecord& request) override {
    if (!draft_.requests.emplace(request.request_id, request).second) return absl::AlreadyExistsError("request id");
    return absl::OkStatus();
  }
  absl::StatusOr<std::optional<Account>> FindAccount(absl::string_view id) override {
    auto it = draft_.accounts.find(std::string(id));
    return it == draft_.accounts.end() ? std::optional<Account>() : std::optional<Account>(it->second);
  }
  absl::StatusOr<std::optional<Transfer>> FindTransfer(absl::string_view id) override {
    auto it = draft_.transfer_index.find(std::string(id));
    if (it == draft_.transfer_index.end()) return std::optional<Transfer>();
    return std::optional<Transfer>(draft_.journal[it->second]);
  }
  absl::StatusOr<std::optional<std::string>> FindResolution(absl::string_view pending_id) override {
    auto it = draft_.resolutions.find(std::string(pending_id));
    return it == draft_.resolutions.end() ? std::optional<std::string>() : std::optional<std::string>(it->second);
  }
  absl::StatusOr<JournalHead> Head() override {
    if (draft_.journal.empty()) return JournalHead{};
    return JournalHead{draft_.journal.back().journal_sequence, draft_.journal.back().journal_hash};
  }
  absl::StatusOr<int64_t> NextChangeVersion() override { return static_cast<int64_t>(draft_.changes.size()) + 1; }
  absl::StatusOr<int64_t> AppendChange(const Change& change) override {
    Change stored = change;
    stored.change_version = static_cast<int64_t>(draft_.changes.size()) + 1;
    if (auto* account = std::get_if<Account>(&stored.entity)) account->change_version = stored.change_version;
    if (auto* transfer = std::get_if<Transfer>(&stored.entity)) transfer->change_version = stored.change_version;
    draft_.changes.push_back(std::move(stored));
    return draft_.changes.back().change_version;
  }
  absl::Status PutAccount(const Account& account) override {
    draft_.accounts[account.account_id] = account;
    return absl::OkStatus();
  }
  absl::Status AppendTransfer(const Transfer& transfer) override {
    if (!draft_.transfer_index.emplace(transfer.transfer_id, draft_.journal.size()).second) {
      return absl::AlreadyExistsError("transfer id");
    }
    draft_.journal.push_back(transfer);
    return absl::OkStatus();
  }
  absl::Status PutResolution(absl::string_view pending_id, absl::string_view transfer_id) override {
    draft_.resolutions[std::string(pending_id)] = std::string(transfer_id);
    return absl::OkStatus();
  }
  absl::Status Commit() override {
    std::lock_guard<std::mutex> state_lock(owner_->state_mutex_);
    owner_->state_ = std::move(draft_);
    return absl::OkStatus();
  }

 private:
  InMemoryLedgerRepository* owner_;
  std::unique_lock<std::mutex> lock_;
  State draft_;
};

absl::StatusOr<std::unique_ptr<LedgerWriteTransaction>> InMemoryLedgerRepository::BeginWrite() {
  std::unique_lock<std::mutex> lock(write_mutex_);
  return std::unique_ptr<LedgerWriteTransaction>(new Transaction(this, std::move(lock)));
}

absl::StatusOr<std::optional<Account>> InMemoryLedgerRepository::GetAccount(absl::string_view id) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  auto it = state_.accounts.find(std::string(id));
  return it == state_.accounts.end() ? std::optional<Account>() : std::optional<Account>(it->second);
}

absl::StatusOr<std::vector<Account>> InMemoryLedgerRepository::AllAccounts() {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Account> result;
  for (const auto& [id, account] : state_.accounts) result.push_back(account);
  return result;
}

absl::StatusOr<std::vector<Account>> InMemoryLedgerRepository::AccountsOfDistrict(absl::string_view district) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Account> result;
  for (const auto& [id, account] : state_.accounts) {
    if (account.district_code == district) result.push_back(account);
  }
  return result;
}

absl::StatusOr<std::vector<Transfer>> InMemoryLedgerRepository::ListTransfers(const TransferQuery& q) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Transfer> result;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(q.after_sequence, 0));
       i < state_.journal.size() && static_cast<int32_t>(result.size()) < q.limit; ++i) {
    const Transfer& t = state_.journal[i];
    if (!q.account_id.empty() && t.debit_account_id != q.account_id && t.credit_account_id != q.account_id) continue;
    if (q.school_year != 0 && t.school_year != q.school_year) continue;
    result.push_back(t);
  }
  return result;
}

absl::StatusOr<std::vector<Transfer>> InMemoryLedgerRepository::TransfersOfAccounts(
    const std::vector<std::string>& account_ids, int32_t school_year) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  const std::set<std::string> ids(account_ids.begin(), account_ids.end());
  std::vector<Transfer> result;
  for (const Transfer& t : state_.journal) {
    if (ids.count(t.debit_account_id) == 0 && ids.count(t.credit_account_id) == 0) continue;
    if (school_year != 0 && t.school_year != school_year) continue;
    result.push_back(t);
  }
  return result;
}

absl::StatusOr<std::vector<Change>> InMemoryLedgerRepository::ListChanges(int64_t since_version, int32_t limit) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  std::vector<Change> result;
  for (size_t i = static_cast<size_t>(std::max<int64_t>(since_version, 0));
       i < state_.changes.size() && static_cast<int32_t>(result.size()) < limit; ++i) {
    Change change = state_.changes[i];
    // As the SQL store does: an account as opened, a transfer as posted.
    if (auto* account = std::get_if<Account>(&change.entity)) {
      account->debits_posted_fen = account->credits_posted_fen = 0;
      account->debits_pending_fen = account->credits_pending_fen = 0;
    }
    result.push_back(std::move(change));
  }
  return result;
}

absl::StatusOr<int64_t> InMemoryLedgerRepository::LatestChangeVersion() {
  std::lock_guard<std::mutex> lock(state_mutex_);
  return static_cast<int64_t>(state_.changes.size());
}

void InMemoryLedgerRepository::TamperForTest(size_t index, int64_t amount_fen) {
  std::lock_guard<std::mutex> lock(state_mutex_);
  state_.journal.at(index).amount_fen = amount_fen;
}

}  // namespace gzedu::funding
