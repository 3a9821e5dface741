#ifndef GZEDU_COMMON_DOMAIN_REQUESTS_H_
#define GZEDU_COMMON_DOMAIN_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/field_violations.h"

namespace gzedu {

// What one write request did; stored with its request id so a retry gets the
// same answer. Shared by every service's write use cases.
struct WriteSummary {
  int32_t created_count = 0;
  int32_t updated_count = 0;
  int32_t unchanged_count = 0;
  int64_t first_change_version = 0;  // 0 when the write used no version
  int64_t last_change_version = 0;
  bool replayed = false;
  bool dry_run = false;

  bool operator==(const WriteSummary& other) const;
};

// A processed write request: its id, a fingerprint of its content, the
// answer it got and, for requests about one entity, that entity's id.
struct RequestRecord {
  std::string request_id;
  std::string fingerprint;
  WriteSummary summary;
  std::string entity_id;
};

// The part of a write transaction that remembers processed requests.
// Implemented by every service's write transaction.
class RequestLog {
 public:
  virtual ~RequestLog() = default;
  virtual absl::StatusOr<std::optional<RequestRecord>> FindRequest(absl::string_view request_id) = 0;
  // AlreadyExists if the id is taken.
  virtual absl::Status PutRequest(const RequestRecord& request) = 0;
};

// Looks up `request_id` in `log`. Returns the stored record (its summary
// marked replayed) when the same request was processed before, nullopt when
// the id is new, AlreadyExists when it was used for other content.
absl::StatusOr<std::optional<RequestRecord>> CheckReplay(RequestLog& log, const std::string& request_id,
                                                         const std::string& fingerprint);

// Page sizes of every List call: 0 means the default; above the maximum is
// a violation of "page_size".
inline constexpr int32_t kDefaultPageSize = 100;
inline constexpr int32_t kMaxPageSize = 1000;
int32_t EffectivePageSize(int32_t page_size, FieldViolations& violations);

// Page tokens are opaque to clients: `kind` and the last key of the
// previous page, base64-encoded. Decoding returns nullopt for a token of
// another kind or one this code did not make.
std::string EncodePageToken(absl::string_view kind, absl::string_view last_key);
std::optional<std::string> DecodePageToken(absl::string_view kind, absl::string_view token);

}  // namespace gzedu

#endif  // GZEDU_COMMON_DOMAIN_REQUESTS_H_
