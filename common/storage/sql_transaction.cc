#include "common/storage/sql_transaction.h"

namespace gzedu {

SqlWriteTransaction::~SqlWriteTransaction() {
  if (!finished_) (void)writer_->Exec("ROLLBACK");
}

absl::Status SqlWriteTransaction::Begin(const std::string& begin_sql) {
  absl::Status status = writer_->Exec(begin_sql);
  finished_ = !status.ok();  // nothing to roll back when BEGIN failed
  return status;
}

absl::Status SqlWriteTransaction::CommitTransaction() {
  if (finished_) return absl::FailedPreconditionError("transaction already finished");
  absl::Status status = writer_->Exec("COMMIT");
  if (!status.ok()) (void)writer_->Exec("ROLLBACK");
  finished_ = true;
  return status;
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
