#include "common/storage/sqlite_transaction.h"

namespace gzedu {

SqliteWriteTransaction::~SqliteWriteTransaction() {
  if (!finished_) (void)writer_->Exec("ROLLBACK");
}

absl::Status SqliteWriteTransaction::Begin() {
  absl::Status status = writer_->Exec("BEGIN IMMEDIATE");
  finished_ = !status.ok();  // nothing to roll back when BEGIN failed
  return status;
}

absl::Status SqliteWriteTransaction::CommitTransaction() {
  if (finished_) return absl::FailedPreconditionError("transaction already finished");
  absl::Status status = writer_->Exec("COMMIT");
  if (!status.ok()) (void)writer_->Exec("ROLLBACK");
  finished_ = true;
  return status;
}

absl::StatusOr<int64_t> SqliteWriteTransaction::PeekVersion() {
  if (next_version_ == 0) {
    ASSIGN_OR_RETURN(int64_t latest, SqliteLatestChangeVersion(*writer_));
    next_version_ = latest + 1;
  }
  return next_version_;
}

absl::StatusOr<int64_t> SqliteLatestChangeVersion(SqliteConnection& connection) {
  ASSIGN_OR_RETURN(auto stmt,
                   connection.Prepare("latest_change_version", "SELECT COALESCE(MAX(change_version), 0) FROM changes"));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

absl::Status SqliteHealth(SqliteDatabase& database) {
  SqliteDatabase::Lease reader = database.Reader();
  ASSIGN_OR_RETURN(auto stmt, reader->Prepare("health", "SELECT 1"));
  return stmt->Step().status();
}

}  // namespace gzedu
