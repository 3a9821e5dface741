#include "common/status/field_violations.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace gzedu {
namespace {

// The payload is the list as text: field, English and Chinese description
// separated by the ASCII unit separator, violations by the record separator.
// Neither byte can occur in a field path, and descriptions are built by our
// own code.
constexpr char kPayloadUrl[] = "type.gzedu/field-violations";
constexpr char kUnitSeparator = '\x1f';
constexpr char kRecordSeparator = '\x1e';

}  // namespace

absl::Status FieldViolations::ToStatus(const LocalizedText& message) const {
  if (violations_.empty()) return absl::OkStatus();
  return InvalidArgumentWithViolations(message, violations_);
}

absl::Status FieldViolations::ToPermissionDenied(const LocalizedText& message) const {
  if (violations_.empty()) return absl::OkStatus();
  return StatusWithViolations(absl::StatusCode::kPermissionDenied, message, violations_);
}

absl::Status InvalidArgumentWithViolations(const LocalizedText& message,
                                           const std::vector<FieldViolation>& violations) {
  return StatusWithViolations(absl::StatusCode::kInvalidArgument, message, violations);
}

absl::Status StatusWithViolations(absl::StatusCode code, const LocalizedText& message,
                                  const std::vector<FieldViolation>& violations) {
  std::string summary = message.en;
  if (!violations.empty()) {
    absl::StrAppend(&summary, " (", violations.size(), violations.size() == 1 ? " violation" : " violations",
                    "; first: ", violations.front().field, ": ", violations.front().description, ")");
  }
  absl::Status status(code, summary);
  SetChineseMessage(status, message.zh);
  std::string payload;
  const std::string unit(1, kUnitSeparator);
  for (const FieldViolation& v : violations) {
    absl::StrAppend(&payload, v.field, unit, v.description, unit, v.description_zh, std::string(1, kRecordSeparator));
  }
  status.SetPayload(kPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> GetFieldViolations(const absl::Status& status) {
  std::vector<FieldViolation> result;
  absl::optional<absl::Cord> payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return result;
  std::string text(*payload);
  for (absl::string_view record : absl::StrSplit(text, kRecordSeparator, absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(record, absl::MaxSplits(kUnitSeparator, 2));
    parts.resize(3);
    result.emplace_back(std::string(parts[0]), std::string(parts[1]), std::string(parts[2]));
  }
  return result;
}

}  // namespace gzedu
