#include "common/storage/sql_requests.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"

namespace gzedu {

absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareFindSqlRequest(SqlConnection& connection,
                                                                    absl::string_view request_id) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("find_request",
                                                 "SELECT fingerprint, summary, entity_id FROM requests "
                                                 "WHERE request_id = ?"));
  stmt->Bind(1, request_id);
  return stmt;
}

absl::StatusOr<std::optional<RequestRecord>> ReadSqlRequest(SqlStatement& statement, absl::string_view request_id) {
  ASSIGN_OR_RETURN(bool row, statement.Step());
  if (!row) return std::optional<RequestRecord>();
  RequestRecord request;
  request.request_id = std::string(request_id);
  request.fingerprint = statement.ColumnText(0);
  request.entity_id = statement.ColumnText(2);
  try {
    const nlohmann::json j = nlohmann::json::parse(statement.ColumnText(1));
    request.summary.created_count = j.at("created_count").get<int32_t>();
    request.summary.updated_count = j.at("updated_count").get<int32_t>();
    request.summary.unchanged_count = j.at("unchanged_count").get<int32_t>();
    request.summary.first_change_version = j.at("first_change_version").get<int64_t>();
    request.summary.last_change_version = j.at("last_change_version").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(absl::StrCat("corrupt stored request ", request_id, ": ", e.what()));
  }
  return std::optional<RequestRecord>(std::move(request));
}

absl::StatusOr<std::optional<RequestRecord>> FindSqlRequest(SqlConnection& connection, absl::string_view request_id) {
  ASSIGN_OR_RETURN(auto stmt, PrepareFindSqlRequest(connection, request_id));
  return ReadSqlRequest(*stmt, request_id);
}

namespace {

std::string SummaryJson(const WriteSummary& s) {
  return nlohmann::json{{"created_count", s.created_count},
                        {"updated_count", s.updated_count},
                        {"unchanged_count", s.unchanged_count},
                        {"first_change_version", s.first_change_version},
                        {"last_change_version", s.last_change_version}}
      .dump();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqlStatement>> PrepareInsertSqlRequest(SqlConnection& connection,
                                                                      const RequestRecord& request) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("insert_request",
                                                 "INSERT INTO requests (request_id, fingerprint, summary, entity_id) "
                                                 "VALUES (?, ?, ?, ?)"));
  stmt->Bind(1, request.request_id).Bind(2, request.fingerprint).Bind(3, SummaryJson(request.summary));
  stmt->Bind(4, request.entity_id);
  return stmt;
}

absl::Status PutSqlRequest(SqlConnection& connection, const RequestRecord& request) {
  ASSIGN_OR_RETURN(auto stmt, connection.Prepare("put_request",
                                                 "INSERT INTO requests (request_id, fingerprint, summary, entity_id) "
                                                 "VALUES (?, ?, ?, ?) ON CONFLICT (request_id) DO NOTHING "
                                                 "RETURNING request_id"));
  const std::string summary = SummaryJson(request.summary);
  stmt->Bind(1, request.request_id).Bind(2, request.fingerprint).Bind(3, summary).Bind(4, request.entity_id);
  // DO NOTHING rather than a key violation: in PostgreSQL a failed statement
  // would abort the caller's whole transaction.
  ASSIGN_OR_RETURN(bool inserted, stmt->Step());
  if (!inserted) return absl::AlreadyExistsError(absl::StrCat("request ", request.request_id, " already recorded"));
  return stmt->Run();
}

}  // namespace gzedu
