#include "common/domain/requests.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/texts.h"

namespace gzedu {

bool WriteSummary::operator==(const WriteSummary& other) const {
  return created_count == other.created_count && updated_count == other.updated_count &&
         unchanged_count == other.unchanged_count && first_change_version == other.first_change_version &&
         last_change_version == other.last_change_version && replayed == other.replayed && dry_run == other.dry_run;
}

absl::StatusOr<std::optional<RequestRecord>> CheckReplay(RequestLog& log, const std::string& request_id,
                                                         const std::string& fingerprint) {
  absl::StatusOr<std::optional<RequestRecord>> previous = log.FindRequest(request_id);
  if (!previous.ok() || !previous->has_value()) return previous;
  if ((*previous)->fingerprint != fingerprint) {
    return LocalizedError(
        absl::StatusCode::kAlreadyExists,
        {absl::StrCat("request_id '", request_id,
                      "' was already used for a different request; "
                      "use a new request_id for a new write"),
         absl::StrCat("请求标识 ", request_id, " 已用于另一项内容不同的请求；新的写入请使用新的请求标识")});
  }
  (*previous)->summary.replayed = true;
  return previous;
}

int32_t EffectivePageSize(int32_t page_size, FieldViolations& violations) {
  if (page_size < 0 || page_size > kMaxPageSize) {
    violations.Add("page_size", texts::InvalidPageSize(kDefaultPageSize, kMaxPageSize));
    return kDefaultPageSize;
  }
  return page_size == 0 ? kDefaultPageSize : page_size;
}

std::string EncodePageToken(absl::string_view kind, absl::string_view last_key) {
  return absl::WebSafeBase64Escape(absl::StrCat(kind, ":", last_key));
}

std::optional<std::string> DecodePageToken(absl::string_view kind, absl::string_view token) {
  std::string raw;
  const std::string prefix = absl::StrCat(kind, ":");
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, prefix)) return std::nullopt;
  return raw.substr(prefix.size());
}

}  // namespace gzedu
