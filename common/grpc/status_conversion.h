#ifndef GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_
#define GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_

#include <string>
#include <vector>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"
#include "common/status/field_violations.h"

namespace gzedu {

// The one place where an absl::Status becomes a gRPC status: same code and
// message, and for INVALID_ARGUMENT with field violations (see
// InvalidArgumentWithViolations) a google.rpc.Status detail holding a
// google.rpc.BadRequest that lists them. Details travel in the response's
// trailing metadata, which clients cap (8 KiB by default), so the list
// stops before kMaxErrorDetailsBytes; when it does, its last entry has the
// field kMoreViolationsField and says how many were left out. A client that
// wants them all checks smaller batches.
grpc::Status ToGrpcStatus(const absl::Status& status);

inline constexpr size_t kMaxErrorDetailsBytes = 6000;
inline constexpr char kMoreViolationsField[] = "...";

// A gRPC status a client received as an absl::Status of the same code, its
// message prefixed with `what` (e.g. "registry ListSchools"; nothing when
// empty). To print a status, see GrpcStatusText.
absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what);

// The field violations of a gRPC status produced by ToGrpcStatus (or any
// server sending google.rpc.BadRequest details); empty when there are none.
std::vector<FieldViolation> FieldViolationsFromGrpcStatus(const grpc::Status& status);

// A gRPC status a client received, written for people as StatusText writes
// an absl::Status (common/status/status_text.h): the code's name, the message
// once, then each field violation of its details on a line of its own.
std::string GrpcStatusText(const grpc::Status& status);

}  // namespace gzedu

#endif  // GZEDU_COMMON_GRPC_STATUS_CONVERSION_H_
