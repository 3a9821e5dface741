#ifndef GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_
#define GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace gzedu {

// One problem with one field of a request, named by its path in the request
// ("schools[3].district_code") so a client can fix every problem in one pass.
struct FieldViolation {
  std::string field;
  std::string description;

  bool operator==(const FieldViolation& other) const {
    return field == other.field && description == other.description;
  }
};

// Collects the violations found while validating one request. Not
// thread-safe; one validation owns one instance.
class FieldViolations {
 public:
  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const std::vector<FieldViolation>& list() const { return violations_; }

  // OkStatus() when nothing was added, otherwise InvalidArgument with every
  // violation attached (see InvalidArgumentWithViolations).
  absl::Status ToStatus(absl::string_view message) const;
  // The same as PERMISSION_DENIED: the request is well formed but touches
  // what the caller may not (each violation names a row of the batch).
  absl::Status ToPermissionDenied(absl::string_view message) const;

 private:
  std::vector<FieldViolation> violations_;
};

// Returns an INVALID_ARGUMENT status whose message summarises the problem
// and which carries `violations` as a payload, so the transport edge can turn
// them into a google.rpc.BadRequest without the domain knowing of protobuf.
absl::Status InvalidArgumentWithViolations(absl::string_view message, const std::vector<FieldViolation>& violations);

// A status of `code` carrying `violations` the same way.
absl::Status StatusWithViolations(absl::StatusCode code, absl::string_view message,
                                  const std::vector<FieldViolation>& violations);

// The violations carried by `status`, or an empty list when it has none.
std::vector<FieldViolation> GetFieldViolations(const absl::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_STATUS_FIELD_VIOLATIONS_H_
