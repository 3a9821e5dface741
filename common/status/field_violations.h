#ifndef GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_
#define GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "common/status/localized_text.h"

namespace gzedu {

// One problem with one field of a request, named by its path in the request
// ("schools[3].district_code") so a client can fix every problem in one pass,
// described in English (`description`: google.rpc.BadRequest, logs) and in
// Chinese (`description_zh`: gzedu.common.v1.LocalizedFieldViolations, the
// CLI under --lang zh). The only constructor takes both, so no code path can
// describe a violation in English alone.
struct FieldViolation {
  FieldViolation(std::string field_path, std::string description_en, std::string description_chinese)
      : field(std::move(field_path)),
        description(std::move(description_en)),
        description_zh(std::move(description_chinese)) {}
  FieldViolation(std::string field_path, LocalizedText text)
      : FieldViolation(std::move(field_path), std::move(text.en), std::move(text.zh)) {}

  std::string field;
  std::string description;
  std::string description_zh;

  bool operator==(const FieldViolation& other) const {
    return field == other.field && description == other.description && description_zh == other.description_zh;
  }
};

// Collects the violations found while validating one request. Not
// thread-safe; one validation owns one instance. Every violation is added
// with its English and its Chinese description (common/status/texts.h has
// both for the shapes that repeat: "must be >= 0", "is required", ...).
class FieldViolations {
 public:
  void Add(std::string field, std::string description, std::string description_zh) {
    violations_.emplace_back(std::move(field), std::move(description), std::move(description_zh));
  }
  void Add(std::string field, LocalizedText description) {
    violations_.emplace_back(std::move(field), std::move(description));
  }
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const std::vector<FieldViolation>& list() const { return violations_; }

  // OkStatus() when nothing was added, otherwise InvalidArgument with every
  // violation attached (see InvalidArgumentWithViolations) and the headline
  // `message` in both languages.
  absl::Status ToStatus(const LocalizedText& message) const;
  // The same as PERMISSION_DENIED: the request is well formed but touches
  // what the caller may not (each violation names a row of the batch).
  absl::Status ToPermissionDenied(const LocalizedText& message) const;

 private:
  std::vector<FieldViolation> violations_;
};

// Returns an INVALID_ARGUMENT status whose message summarises the problem in
// English (message.en, the count and the first violation) and which carries
// message.zh (see ChineseMessage) and `violations` as payloads, so the
// transport edge can turn them into a google.rpc.BadRequest and its Chinese
// counterparts without the domain knowing of protobuf.
absl::Status InvalidArgumentWithViolations(const LocalizedText& message, const std::vector<FieldViolation>& violations);

// A status of `code` carrying `violations` the same way.
absl::Status StatusWithViolations(absl::StatusCode code, const LocalizedText& message,
                                  const std::vector<FieldViolation>& violations);

// The violations carried by `status`, or an empty list when it has none.
std::vector<FieldViolation> GetFieldViolations(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_
