#ifndef GZEDU_TOOLS_GZEDU_ERROR_TEXT_H_
#define GZEDU_TOOLS_GZEDU_ERROR_TEXT_H_

#include <string>

#include <grpcpp/support/status.h>

#include "common/status/field_violations.h"
#include "common/status/localized_text.h"

namespace gzedu::cli {

// The language the CLI writes a service's refusals in: Chinese unless the
// command line said `--lang en` (main sets it once, before any command runs;
// not thread-safe to change afterwards).
void SetErrorLanguage(const std::string& lang);
StatusLanguage ErrorLanguage();
inline bool ErrorsInChinese() { return ErrorLanguage() == StatusLanguage::kChinese; }

// A refused call written for people (GrpcStatusText): the code's name, then
// the headline and each field violation in ErrorLanguage() where the server
// sent that language, else in English.
std::string ErrorText(const grpc::Status& status);

// A violation's description in ErrorLanguage() (English when the server sent
// no Chinese for it).
inline const std::string& Description(const FieldViolation& violation) {
  return ErrorsInChinese() && !violation.description_zh.empty() ? violation.description_zh : violation.description;
}

// A refused call's headline alone, in ErrorLanguage() where the server sent it.
std::string ErrorMessage(const grpc::Status& status);

}  // namespace gzedu::cli

#endif  // GZEDU_TOOLS_GZEDU_ERROR_TEXT_H_
