#ifndef GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_
#define GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_

#include <memory>
#include <optional>

#include "absl/status/statusor.h"
#include "common/domain/requests.h"
#include "common/storage/sql_database.h"

namespace gzedu {

// The processed-requests table every SQLite adapter keeps, for its
// migrations. The summary is JSON.
inline constexpr char kRequestsTableSql[] = R"sql(
CREATE TABLE requests (
  request_id  TEXT PRIMARY KEY,
  fingerprint TEXT NOT NULL,
  summary     TEXT NOT NULL,
  entity_id   TEXT NOT NULL DEFAULT ''
) STRICT;
)sql";

// Reads a processed request on `connection` (inside the caller's
// transaction). Internal for a corrupt row.
absl::StatusOr<std::optional<RequestRecord>> FindSqlRequest(SqlConnection& connection, absl::string_view request_id);

// Records a processed request. AlreadyExists if the id is taken.
absl::Status PutSqlRequest(SqlConnection& connection, const RequestRecord& request);

// FindSqlRequest in two halves, for a caller that sends the lookup with
// other statements (SqlConnection::Send): the statement, prepared and bound,
// and then the reading of its outcome.
absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareFindSqlRequest(SqlConnection& connection,
                                                                    absl::string_view request_id);
absl::StatusOr<std::optional<RequestRecord>> ReadSqlRequest(SqlStatement& statement, absl::string_view request_id);

// A statement, prepared and bound, that records a processed request and
// fails with AlreadyExists if the id is taken (a failure, so a COMMIT sent
// after it in the same round trip does not run).
absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareInsertSqlRequest(SqlConnection& connection,
                                                                      const RequestRecord& request);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_
