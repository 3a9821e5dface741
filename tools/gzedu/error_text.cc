#include "tools/gzedu/error_text.h"

#include "common/grpc/status_conversion.h"

namespace gzedu::cli {
namespace {

StatusLanguage& Language() {
  static StatusLanguage language = StatusLanguage::kChinese;
  return language;
}

}  // namespace

void SetErrorLanguage(const std::string& lang) {
  Language() = lang == "en" ? StatusLanguage::kEnglish : StatusLanguage::kChinese;
}

StatusLanguage ErrorLanguage() { return Language(); }

std::string ErrorText(const grpc::Status& status) { return GrpcStatusText(status, Language()); }

std::string ErrorMessage(const grpc::Status& status) {
  if (ErrorsInChinese()) {
    if (std::optional<std::string> zh = ChineseMessageFromGrpcStatus(status)) return *zh;
  }
  return status.error_message();
}

}  // namespace gzedu::cli
