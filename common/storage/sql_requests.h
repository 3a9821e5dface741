#ifndef GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_
#define GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_

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

}  // namespace gzedu

#endif  // GZEDU_COMMON_STORAGE_SQL_REQUESTS_H_
