#include "common/grpc/status_conversion.h"

#include <string>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gzedu/common/v1/errors.pb.h"

#include "absl/strings/str_cat.h"
#include "common/status/status_text.h"

namespace gzedu {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());
  const std::optional<std::string> message_zh = ChineseMessage(status);
  const std::vector<FieldViolation> violations = GetFieldViolations(status);
  if (violations.empty() && !message_zh.has_value()) return grpc::Status(code, message);

  google::rpc::Status rich;
  rich.set_code(static_cast<int32_t>(code));
  rich.set_message(message);
  if (!violations.empty()) {
    // The BadRequest comes first (clients read details(0)), its Chinese
    // counterpart entry for entry.
    google::rpc::BadRequest bad_request;
    gzedu::common::v1::LocalizedFieldViolations chinese;
    chinese.set_locale(kChineseLocale);
    size_t listed = 0;
    // Leave room for the status around the lists, the headlines and the
    // closing entries.
    const size_t reserve = message.size() + message_zh.value_or("").size() + 600;
    for (const FieldViolation& v : violations) {
      const size_t entry = 2 * v.field.size() + v.description.size() + v.description_zh.size() + 16;
      if (bad_request.ByteSizeLong() + chinese.ByteSizeLong() + entry + reserve > kMaxErrorDetailsBytes) break;
      google::rpc::BadRequest::FieldViolation* out = bad_request.add_field_violations();
      out->set_field(v.field);
      out->set_description(v.description);
      google::rpc::BadRequest::FieldViolation* out_zh = chinese.add_field_violations();
      out_zh->set_field(v.field);
      out_zh->set_description(v.description_zh.empty() ? v.description : v.description_zh);
      ++listed;
    }
    if (listed < violations.size()) {
      google::rpc::BadRequest::FieldViolation* more = bad_request.add_field_violations();
      more->set_field(kMoreViolationsField);
      more->set_description(absl::StrCat(violations.size() - listed, " more violations not listed (", listed, " of ",
                                         violations.size(), " shown); send a smaller batch to see them"));
      google::rpc::BadRequest::FieldViolation* more_zh = chinese.add_field_violations();
      more_zh->set_field(kMoreViolationsField);
      more_zh->set_description(absl::StrCat("另有 ", violations.size() - listed, " 个问题未列出（共 ",
                                            violations.size(), " 个，列出 ", listed,
                                            " 个）；请分成较小的批次提交以查看"));
    }
    rich.add_details()->PackFrom(bad_request);
    rich.add_details()->PackFrom(chinese);
  }
  if (message_zh.has_value()) {
    google::rpc::LocalizedMessage localized;
    localized.set_locale(kChineseLocale);
    localized.set_message(*message_zh);
    rich.add_details()->PackFrom(localized);
  }
  return grpc::Status(code, message, rich.SerializeAsString());
}

namespace {

// The google.rpc.Status a server sent with `status`; empty when none.
google::rpc::Status RichStatus(const grpc::Status& status) {
  google::rpc::Status rich;
  if (status.error_details().empty() || !rich.ParseFromString(status.error_details())) rich.Clear();
  return rich;
}

}  // namespace

std::vector<FieldViolation> FieldViolationsFromGrpcStatus(const grpc::Status& status) {
  std::vector<FieldViolation> result;
  const google::rpc::Status rich = RichStatus(status);
  std::vector<const google::rpc::BadRequest::FieldViolation*> chinese;
  gzedu::common::v1::LocalizedFieldViolations localized;
  for (const google::protobuf::Any& detail : rich.details()) {
    if (!detail.UnpackTo(&localized) || localized.locale() != kChineseLocale) continue;
    for (const auto& v : localized.field_violations()) chinese.push_back(&v);
    break;
  }
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& v : bad_request.field_violations()) {
      // Paired by position; a Chinese entry for another field is not used.
      const size_t i = result.size();
      const bool paired = i < chinese.size() && chinese[i]->field() == v.field();
      result.emplace_back(v.field(), v.description(), paired ? chinese[i]->description() : std::string());
    }
  }
  return result;
}

std::optional<std::string> ChineseMessageFromGrpcStatus(const grpc::Status& status) {
  const google::rpc::Status rich = RichStatus(status);
  for (const google::protobuf::Any& detail : rich.details()) {
    google::rpc::LocalizedMessage localized;
    if (detail.UnpackTo(&localized) && localized.locale() == kChineseLocale) return localized.message();
  }
  return std::nullopt;
}

std::string GrpcStatusText(const grpc::Status& status, StatusLanguage language) {
  return StatusText(static_cast<absl::StatusCode>(status.error_code()), status.error_message(),
                    FieldViolationsFromGrpcStatus(status), language, ChineseMessageFromGrpcStatus(status).value_or(""));
}

absl::Status FromGrpcStatus(const grpc::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  absl::Status result(static_cast<absl::StatusCode>(status.error_code()),
                      what.empty() ? status.error_message() : absl::StrCat(what, ": ", status.error_message()));
  // The Chinese headline passes on as it came: `what` names an RPC, for logs.
  if (std::optional<std::string> zh = ChineseMessageFromGrpcStatus(status)) SetChineseMessage(result, *zh);
  return result;
}

}  // namespace gzedu
