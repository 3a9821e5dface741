#include "common/storage/sql_transaction.h"

namespace gzedu {

SqlWriteTransaction::~SqlWriteTransaction() {
  if (state_ == State::kOpen) (void)writer_->Exec("ROLLBACK");
}

absl::Status SqlWriteTransaction::Begin(const std::string& begin_sql) {
  absl::Status status = writer_->Exec(begin_sql);
  // Nothing to roll back when BEGIN failed.
  state_ = status.ok() ? State::kOpen : State::kFinished;
  return status;
}

absl::Status SqlWriteTransaction::Abandon(absl::Status status) {
  if (state_ == State::kOpen) (void)writer_->Exec("ROLLBACK");
  state_ = State::kFinished;
  return status;
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
