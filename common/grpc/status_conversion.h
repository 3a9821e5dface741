#ifndef GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_
#define GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_

#include <optional>
#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "common/status/field_violations.h"

namespace gzedu {

// The one place where an absl::Status becomes a gRPC status: same code and
// English message, and, when the status has field violations (see
// StatusWithViolations) or a Chinese message (see LocalizedError), a
// google.rpc.Status detail holding, in this order: a google.rpc.BadRequest
// listing the violations in English; a gzedu.common.v1.LocalizedFieldViolations
// with the same fields in the same order described in Chinese (locale
// "zh-CN"); a google.rpc.LocalizedMessage ("zh-CN") with the Chinese
// headline. Details travel in the response's trailing metadata, which
// clients cap (8 KiB by default), so the lists stop before
// kMaxErrorDetailsBytes; when they do, their last entries have the field
// kMoreViolationsField and say how many were left out. A client that wants
// them all checks smaller batches.
grpc::Status ToGrpcStatus(const absl::Status& status);

inline constexpr size_t kMaxErrorDetailsBytes = 6000;
inline constexpr char kMoreViolationsField[] = "...";

// A gRPC status a client received as an absl::Status of the same code, its
// message prefixed with `what` (e.g. "registry ListSchools"; nothing when
// empty), carrying the Chinese headline it came with (if any, unprefixed). To
// print a status, see GrpcStatusText.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what);

// The field violations of a gRPC status produced by ToGrpcStatus (or any
// server sending google.rpc.BadRequest details); empty when there are none.
// Each has its Chinese description when the server sent one for it
// (LocalizedFieldViolations, "zh-CN"), an empty description_zh otherwise.
std::vector<FieldViolation> FieldViolationsFromGrpcStatus(const grpc::Status& status);

// The Chinese headline (google.rpc.LocalizedMessage, "zh-CN") a gRPC status
// carries, or nullopt when the server sent none.
std::optional<std::string> ChineseMessageFromGrpcStatus(const grpc::Status& status);

// A gRPC status a client received, written for people as StatusText writes
// an absl::Status (common/status/status_text.h): the code's name, the message
// once, then each field violation of its details on a line of its own; in
// Chinese where the server sent Chinese and `language` asks for it.
std::string GrpcStatusText(const grpc::Status& status, StatusLanguage language = StatusLanguage::kEnglish);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_
