#include "tools/gzedu/returns_command.h"

#include "common/grpc/request_id.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>
#include <grpcpp/client_context.h>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/domain/fingerprint.h"
#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/text_encoding.h"

namespace gzedu::cli {
namespace {

namespace v1 = ::gzedu::indicators::v1;

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Lowercase(std::string text) { return absl::AsciiStrToLower(text); }

std::string Extension(const std::string& file) {
  const size_t dot = file.find_last_of('.');
  const size_t slash = file.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  return Lowercase(file.substr(dot + 1));
}

// The request id comes from the content: importing the same file again is
// answered from the first import and writes nothing. A dry run has ids of
// its own (the service records none, and a real import's id must stay
// free).
// A new id for each import: a retry of this one call is answered as a
// repeat, while importing a file again (after another changed the return,
// say) is a new request that writes what the file says.
void SetRequestId(v1::UpsertDistrictReturnsRequest& request) {
  request.set_request_id((request.dry_run() ? "returns-check-" : "returns-") + NewRequestId());
}

grpc::Status Send(const std::string& target, const v1::UpsertDistrictReturnsRequest& request,
                  v1::UpsertDistrictReturnsResponse* response) {
  grpc::ClientContext context;
  return v1::IndicatorEvaluationService::NewStub(OpenChannel(target))
      ->UpsertDistrictReturns(&context, request, response);
}

void PrintSummary(const std::string& file, const v1::UpsertDistrictReturnsRequest& request,
                  const common::v1::WriteSummary& s, bool zh) {
  if (request.dry_run()) {
    std::printf(zh ? "%s：检查通过，%d 份区县填报（将新增 %d、更新 %d、不变 %d）；未写入任何数据\n"
                   : "%s: dry run, %d district returns valid (would create %d, update %d, leave %d unchanged); "
                     "nothing written\n",
                file.c_str(), request.returns_size(), s.created_count(), s.updated_count(), s.unchanged_count());
    return;
  }
  if (zh) {
    std::printf("%s：已发送 %d 份区县填报（新增 %d、更新 %d、不变 %d%s）\n", file.c_str(), request.returns_size(),
                s.created_count(), s.updated_count(), s.unchanged_count(), s.replayed() ? "，此前已导入" : "");
  } else {
    std::printf("%s: %d district returns sent (created %d, updated %d, unchanged %d%s)\n", file.c_str(),
                request.returns_size(), s.created_count(), s.updated_count(), s.unchanged_count(),
                s.replayed() ? ", already imported" : "");
  }
}

// The contract's JSON form: problems are named by their path in the request.
int ImportJson(const ReturnsImportOptions& options, const std::string& text) {
  v1::UpsertDistrictReturnsRequest request;
  google::protobuf::util::JsonParseOptions parse_options;
  const auto parsed = google::protobuf::util::JsonStringToMessage(text, &request, parse_options);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: not a district returns document ({\"returns\": [...]}): %s\n", options.file.c_str(),
                 parsed.ToString().c_str());
    return 2;
  }
  request.set_dry_run(options.dry_run);
  SetRequestId(request);
  v1::UpsertDistrictReturnsResponse response;
  grpc::Status status = Send(options.target, request, &response);
  if (!status.ok()) {
    std::fprintf(stderr, "%s: rejected, nothing written:\n", options.file.c_str());
    const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
    for (const FieldViolation& v : violations) {
      std::fprintf(stderr, "%s: %s: %s\n", options.file.c_str(), v.field.c_str(), Description(v).c_str());
    }
    if (violations.empty()) std::fprintf(stderr, "  %s\n", ErrorText(status).c_str());
    return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? 2 : 1;
  }
  PrintSummary(options.file, request, response.summary(), false);
  return 0;
}

// Prints the problems by line; returns 2.
int PrintProblems(const std::string& file, std::vector<CsvProblem> problems, bool zh, bool sent) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const CsvProblem& a, const CsvProblem& b) { return a.line < b.line; });
  for (const CsvProblem& problem : problems) std::fprintf(stderr, "%s\n", FormatProblem(file, problem).c_str());
  if (zh) {
    std::fprintf(stderr, "%s：%zu 处问题；%s\n", file.c_str(), problems.size(),
                 sent ? "服务拒绝，未写入任何数据" : "未发送任何数据");
  } else {
    std::fprintf(stderr, "%s: %zu problem(s); %s\n", file.c_str(), problems.size(),
                 sent ? "refused by the service, nothing written" : "nothing was sent");
  }
  return 2;
}

int ImportForm(const ReturnsImportOptions& options, const std::string& text, bool yaml) {
  ReturnsForm form = yaml ? ReadReturnsYaml(text) : ReadReturnsCsv(text);
  const bool zh = form.language == FormLanguage::kChinese;
  // The service's refusals come in the form's language.
  SetErrorLanguage(zh ? "zh" : "en");
  if (form.request.returns().empty() && form.problems.empty()) {
    form.problems.push_back({1, zh ? "区县代码" : "district_code",
                             zh ? "文件中没有区县填报（见 gzedu returns template）"
                                : "the file holds no district return (see gzedu returns template)"});
  }
  // A return replaces the district's previous one whole: a form with
  // nothing filled in (a blank template) would wipe it, so it is refused.
  // (Checked once the form reads cleanly: a value refused above is not empty.)
  const bool read_cleanly = form.problems.empty();
  for (int i = 0; read_cleanly && i < form.request.returns_size(); ++i) {
    const v1::DistrictReturn& r = form.request.returns(i);
    if (r.facts().ByteSizeLong() != 0 || r.attestations_size() != 0 || r.vetoes_size() != 0) continue;
    const int line = static_cast<size_t>(i) < form.origins.size() ? form.origins[i].line : 1;
    form.problems.push_back(
        {line, zh ? "区县代码" : "district_code",
         zh ? absl::StrCat("区县 ", r.district_code(),
                           " 的填报没有填写任何数据：请先填写（导入的填报会整体替换该区县此前的填报）")
            : absl::StrCat("the return of district ", r.district_code(),
                           " reports nothing: fill it in first (an imported return replaces the district's "
                           "previous one whole)")});
  }
  if (!form.request.returns().empty()) ValidateReturnsForm(form);
  if (!form.problems.empty()) return PrintProblems(options.file, form.problems, zh, false);

  v1::UpsertDistrictReturnsRequest request = form.request;
  request.set_dry_run(options.dry_run);
  SetRequestId(request);
  v1::UpsertDistrictReturnsResponse response;
  grpc::Status status = Send(options.target, request, &response);
  if (!status.ok()) {
    const std::vector<FieldViolation> violations = FieldViolationsFromGrpcStatus(status);
    if (violations.empty()) {
      std::fprintf(stderr,
                   zh ? "%s：本地检查通过，但服务 %s 未能处理（%s）；%s\n"
                      : "%s: checked here, but the service at %s failed (%s); %s\n",
                   options.file.c_str(), options.target.c_str(), ErrorText(status).c_str(),
                   zh ? "未写入任何数据" : "nothing written");
      return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ? 2 : 1;
    }
    std::vector<CsvProblem> problems;
    for (const FieldViolation& v : violations) problems.push_back(LocateViolation(form, v));
    PrintProblems(options.file, problems, zh, true);
    return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                   status.error_code() == grpc::StatusCode::PERMISSION_DENIED
               ? 2
               : 1;
  }
  PrintSummary(options.file, request, response.summary(), zh);
  return 0;
}

}  // namespace

int ImportReturnsFile(const ReturnsImportOptions& options) {
  const std::optional<std::string> text = ReadFile(options.file);
  if (!text) {
    std::fprintf(stderr, "%s: cannot be read\n", options.file.c_str());
    return 2;
  }
  const std::string extension = Extension(options.file);
  if (extension != "json" && extension != "yaml" && extension != "yml" && extension != "csv") {
    std::fprintf(stderr, "%s: the form is named by the extension: .json (contract JSON), .yaml / .yml or .csv\n",
                 options.file.c_str());
    return 2;
  }
  if (extension == "json") {
    // JSON is UTF-8 by definition (RFC 8259): anything else is refused.
    if (size_t bad = 0; !IsValidUtf8(*text, &bad)) {
      std::fprintf(stderr, "%s:%d: the file is not UTF-8; nothing was sent\n", options.file.c_str(),
                   LineOfOffset(*text, bad));
      return 2;
    }
    return ImportJson(options, *text);
  }
  // A form is read in the encoding it was saved in, as every CSV import
  // reads its file (a Chinese Excel saves CSV as GB18030/GBK).
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(*text);
  if (!decoded.ok()) {
    std::fprintf(stderr, "%s:%s\n%s: nothing was sent\n", options.file.c_str(),
                 std::string(decoded.status().message()).c_str(), options.file.c_str());
    return 2;
  }
  if (decoded->encoding != "UTF-8" && decoded->encoding != "UTF-8 with BOM") {
    std::fprintf(stderr, "%s: read as %s and converted to UTF-8\n", options.file.c_str(), decoded->encoding.c_str());
  }
  return ImportForm(options, decoded->utf8, extension != "csv");
}

int PrintReturnsTemplate(const ReturnsTemplateOptions& options, const std::string& from_json) {
  if (from_json.empty()) {
    std::fputs(ReturnsTemplate(options).c_str(), stdout);
    return 0;
  }
  const std::optional<std::string> text = ReadFile(from_json);
  v1::UpsertDistrictReturnsRequest request;
  if (!text || !google::protobuf::util::JsonStringToMessage(*text, &request).ok()) {
    std::fprintf(stderr, "%s: not a district returns document ({\"returns\": [...]})\n", from_json.c_str());
    return 2;
  }
  for (const v1::DistrictReturn& r : request.returns()) {
    if ((options.district.empty() || r.district_code() == options.district) && r.school_year() == options.school_year) {
      std::fputs(ReturnsTemplate(options, &r).c_str(), stdout);
      return 0;
    }
  }
  std::fprintf(stderr, "%s: no return of district %s for %d\n", from_json.c_str(), options.district.c_str(),
               options.school_year);
  return 2;
}

}  // namespace gzedu::cli
