#include "common/storage/sql_transaction.h"

#include "absl/strings/str_cat.h"

namespace gzedu {
namespace {

// Each transaction of a commit group keeps its work in this savepoint until
// it is done: released, or rolled back to when it fails.
constexpr char kSavepoint[] = "SAVEPOINT gzedu_batch";
constexpr char kReleaseSavepoint[] = "RELEASE SAVEPOINT gzedu_batch";
constexpr char kUndoSavepoint[] = "ROLLBACK TO SAVEPOINT gzedu_batch; RELEASE SAVEPOINT gzedu_batch";

}  // namespace

absl::StatusOr<SqlDatabase::Lease> SqlCommitGroup::AwaitWriter(SqlDatabase& database) {
  waiting_.fetch_add(1);
  absl::StatusOr<SqlDatabase::Lease> writer = database.Writer();
  waiting_.fetch_sub(1);
  return writer;
}

void SqlCommitGroup::End(Round& round, absl::Status status) {
  {
    std::lock_guard<std::mutex> lock(round.mutex);
    round.done = true;
    round.status = std::move(status);
  }
  round.ended.notify_all();
}

absl::Status SqlCommitGroup::Wait(Round& round) {
  std::unique_lock<std::mutex> lock(round.mutex);
  round.ended.wait(lock, [&round] { return round.done; });
  return round.status;
}

SqlWriteTransaction::SqlWriteTransaction(SqlDatabase::Lease writer, std::vector<NamedSql> begin_statements,
                                         SqlCommitGroup* group)
    : writer_(std::move(writer)), group_(group) {
  // Continuing the group's open transaction: no BEGIN, and the lock is held.
  if (group_ == nullptr || group_->open_round_ == nullptr) begin_statements_ = std::move(begin_statements);
  if (group_ != nullptr) begin_statements_.push_back({"savepoint", kSavepoint});
}

SqlWriteTransaction::~SqlWriteTransaction() {
  if (group_ != nullptr) {
    if (state_ != State::kFinished) (void)AbandonInGroup(absl::AbortedError("dropped uncommitted"));
    return;
  }
  if (state_ == State::kOpen) (void)writer_->Exec("ROLLBACK");
}

absl::Status SqlWriteTransaction::Begin(const std::string& begin_sql) {
  absl::Status status = writer_->Exec(begin_sql);
  // Nothing to roll back when BEGIN failed.
  state_ = status.ok() ? State::kOpen : State::kFinished;
  return status;
}

absl::Status SqlWriteTransaction::Abandon(absl::Status status) {
  if (group_ != nullptr) return AbandonInGroup(std::move(status));
  if (state_ == State::kOpen) (void)writer_->Exec("ROLLBACK");
  state_ = State::kFinished;
  return status;
}

absl::Status SqlWriteTransaction::AbandonInGroup(absl::Status status) {
  if (state_ == State::kFinished) return status;
  if (state_ == State::kOpen) {
    const absl::Status undone = writer_->Exec(kUndoSavepoint);
    if (!undone.ok()) {
      // The database transaction is lost or unusable (e.g. BEGIN ran but
      // the lock failed, before any savepoint), and the others' work with it.
      (void)writer_->Exec("ROLLBACK");
      state_ = State::kFinished;
      EndRound(absl::UnavailableError(
          absl::StrCat("the database transaction shared with other writes was lost: ", undone.message())));
      return status;
    }
  }
  if (group_->open_round_ == nullptr) {
    // Nobody else's work in it: end the database transaction, if begun.
    if (state_ == State::kOpen) (void)writer_->Exec("ROLLBACK");
    state_ = State::kFinished;
    return status;
  }
  if (group_->waiting_.load() > 0) {
    (void)HandOn();
  } else {
    (void)CommitRound();
  }
  return status;
}

absl::Status SqlWriteTransaction::CommitRound() {
  absl::Status status = writer_->Exec("COMMIT");
  if (!status.ok()) (void)writer_->Exec("ROLLBACK");
  state_ = State::kFinished;
  EndRound(status);
  return status;
}

void SqlWriteTransaction::EndRound(absl::Status status) {
  std::shared_ptr<SqlCommitGroup::Round> round = std::move(group_->open_round_);
  group_->open_round_ = nullptr;
  group_->open_transactions_ = 0;
  if (round != nullptr) SqlCommitGroup::End(*round, std::move(status));
}

std::shared_ptr<SqlCommitGroup::Round> SqlWriteTransaction::HandOn() {
  if (group_->open_round_ == nullptr) group_->open_round_ = std::make_shared<SqlCommitGroup::Round>();
  std::shared_ptr<SqlCommitGroup::Round> round = group_->open_round_;
  ++group_->open_transactions_;
  state_ = State::kFinished;
  writer_.Release();
  return round;
}

absl::Status SqlWriteTransaction::CommitTransaction() {
  if (state_ != State::kOpen) return absl::FailedPreconditionError("transaction not open");
  absl::Status status = writer_->Exec("COMMIT");
  if (!status.ok()) (void)writer_->Exec("ROLLBACK");
  state_ = State::kFinished;
  return status;
}

absl::Status SqlWriteTransaction::Send(const std::vector<SqlStatement*>& statements) {
  if (state_ == State::kFinished) return absl::FailedPreconditionError("transaction already finished");
  if (state_ == State::kOpen) return writer_->Send(statements);
  std::vector<std::unique_ptr<SqlStatement>> begin;
  std::vector<SqlStatement*> all;
  for (const NamedSql& statement : begin_statements_) {
    absl::StatusOr<std::unique_ptr<SqlStatement>> prepared = writer_->Prepare(statement.name, statement.sql);
    if (!prepared.ok()) return Abandon(prepared.status());
    all.push_back(prepared->get());
    begin.push_back(std::move(*prepared));
  }
  all.insert(all.end(), statements.begin(), statements.end());
  // From here on a BEGIN may have run: a failure rolls back.
  state_ = State::kOpen;
  absl::Status status = writer_->Send(all);
  for (auto it = begin.begin(); status.ok() && it != begin.end(); ++it) status = (*it)->Run();
  if (!status.ok()) return Abandon(status);
  return absl::OkStatus();
}

absl::Status SqlWriteTransaction::CommitTransactionAfter(const std::vector<SqlStatement*>& statements) {
  if (state_ == State::kFinished) return absl::FailedPreconditionError("transaction already finished");
  if (group_ != nullptr) {
    // Somebody waits for the writer: leave the commit to the group's last.
    const bool hand_on = group_->waiting_.load() > 0 && group_->open_transactions_ + 1 < group_->max_transactions_;
    absl::StatusOr<std::unique_ptr<SqlStatement>> release = writer_->Prepare("release_savepoint", kReleaseSavepoint);
    if (!release.ok()) return AbandonInGroup(release.status());
    std::unique_ptr<SqlStatement> commit;
    if (!hand_on) {
      absl::StatusOr<std::unique_ptr<SqlStatement>> prepared = writer_->Prepare("commit", "COMMIT");
      if (!prepared.ok()) return AbandonInGroup(prepared.status());
      commit = std::move(*prepared);
    }
    std::vector<SqlStatement*> all = statements;
    all.push_back(release->get());
    if (commit != nullptr) all.push_back(commit.get());
    absl::Status status = Send(all);
    // A failed begin was abandoned already; a lost connection was not.
    if (!status.ok()) return state_ == State::kFinished ? status : AbandonInGroup(status);
    for (SqlStatement* statement : all) {
      status = statement->Run();
      if (status.ok()) continue;
      if (statement != commit.get()) return AbandonInGroup(status);
      // COMMIT itself failed: the whole group's work is gone.
      (void)writer_->Exec("ROLLBACK");
      state_ = State::kFinished;
      EndRound(status);
      return status;
    }
    if (hand_on) {
      std::shared_ptr<SqlCommitGroup::Round> round = HandOn();
      return SqlCommitGroup::Wait(*round);
    }
    state_ = State::kFinished;
    EndRound(absl::OkStatus());
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<SqlStatement>> commit = writer_->Prepare("commit", "COMMIT");
  if (!commit.ok()) return Abandon(commit.status());
  std::vector<SqlStatement*> all = statements;
  all.push_back(commit->get());
  absl::Status status = Send(all);
  for (auto it = all.begin(); status.ok() && it != all.end(); ++it) status = (*it)->Run();
  if (!status.ok()) return Abandon(status);
  state_ = State::kFinished;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqlWriteTransaction::PeekVersion() {
  if (next_version_ == 0) {
    ASSIGN_OR_RETURN(int64_t latest, SqlLatestChangeVersion(*writer_));
    next_version_ = latest + 1;
  }
  return next_version_;
}

absl::StatusOr<int64_t> SqlLatestChangeVersion(SqlConnection& connection) {
  ASSIGN_OR_RETURN(auto stmt,
                   connection.Prepare("latest_change_version", "SELECT COALESCE(MAX(change_version), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqlHealth(SqlDatabase& database) { return database.Ping(); }

}  // namespace gzedu
