#include "common/grpc/status_conversion.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_text.h"

namespace gzedu {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  if (violations.empty()) return grpc::Status(code, message);

  google::rpc::BadRequest bad_request;
  size_t listed = 0;
  for (const FieldViolation& v : violations) {
    // Leave room for the closing entry and the status around the list.
    const size_t reserve = message.size() + 300;  // the status around the list and the closing entry
    if (bad_request.ByteSizeLong() + v.field.size() + v.description.size() + reserve > kMaxErrorDetailsBytes) break;
    google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
    ++listed;
  }
  if (listed < violations.size()) {
    google::rpc::BadRequest::FieldViolation* more = bad_request.add_field_violations();
    more->set_field(kMoreViolationsField);
    more->set_description(absl::StrCat(violations.size() - listed, " more violations not listed (", listed, " of ",
                                       violations.size(), " shown); send a smaller batch to see them"));
  }
  google::rpc::Status rich;
  rich.set_code(static_cast<int32_t>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(bad_request);
  return grpc::Status(code, message, rich.SerializeAsString());
}

std::vector<FieldViolation> FieldViolationsFromGrpcStatus(const grpc::Status& status) {
  std::vector<FieldViolation> result;
  google::rpc::Status rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) return result;
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) result.push_back({v.field(), v.description()});
  }
  return result;
}

std::string GrpcStatusText(const grpc::Status& status) {
  return StatusText(static_cast<absl::StatusCode>(status.error_code()), status.error_message(),
                    FieldViolationsFromGrpcStatus(status));
}

absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      what.empty() ? status.error_message() : absl::StrCat(what, ": ", status.error_message()));
}

}  // namespace gzedu
