#include "tools/gzedu/report_command.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <grpcpp/client_context.h>

#include "common/grpc/status_conversion.h"
#include "common/grpc/tls.h"
#include "common/status/status_text.h"
#include "gzedu/indicators/v1/indicators.grpc.pb.h"
#include "services/indicator_evaluation/engine/engine.h"
#include "services/indicator_evaluation/engine/json_codec.h"
#include "services/indicator_evaluation/report/report_file.h"
#include "tools/gzedu/error_text.h"
#include "tools/gzedu/evaluate_file_command.h"

namespace gzedu::cli {
namespace {

namespace v1 = ::gzedu::indicators::v1;

// Writes `content` to `path` ("-": stdout). Returns false after printing
// why.
bool WriteOut(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::fwrite(content.data(), 1, content.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "%s: cannot be written\n", path.c_str());
    return false;
  }
  return true;
}

int FromFile(const ReportOptions& options, report::ReportFormat format) {
  engine::DistrictInput input;
  if (!ReadDistrictInputFile(options.input, &input)) return 2;
  absl::StatusOr<report::ReportFile> file =
      report::RenderReportFile({engine::Evaluate(input)}, format,
                               options.language == "en" ? engine::Language::kEnglish : engine::Language::kChinese);
  if (!file.ok()) {
    std::fprintf(stderr, "report: %s\n", StatusText(file.status()).c_str());
    return 1;
  }
  return WriteOut(options.out, file->content) ? 0 : 1;
}

}  // namespace

int Report(const ReportOptions& options) {
  report::ReportFormat format = report::ReportFormat::kText;
  if (!report::ParseReportFormat(options.format, &format)) {
    std::fprintf(stderr, "--format %s: use text, xlsx, html or csv\n", options.format.c_str());
    return 2;
  }
  if (format == report::ReportFormat::kXlsx && options.out == "-" && isatty(fileno(stdout))) {
    std::fprintf(stderr, "report: a workbook is binary; name a file with --out FILE.xlsx\n");
    return 2;
  }
  if (!options.input.empty()) return FromFile(options, format);
  if (options.district.empty()) {
    std::fprintf(stderr, "report: --district CODE|all or --input FILE is required\n");
    return 2;
  }
  v1::RenderEvaluationReportRequest request;
  request.set_district_code(options.district);
  request.set_school_year(options.target.school_year);
  if (!ParseConventionFlags(options.target.conventions, request.mutable_conventions())) return 2;
  static const std::pair<const char*, v1::ReportFormat> kFormats[] = {{"text", v1::REPORT_FORMAT_TEXT},
                                                                      {"xlsx", v1::REPORT_FORMAT_XLSX},
                                                                      {"html", v1::REPORT_FORMAT_HTML},
                                                                      {"csv", v1::REPORT_FORMAT_CSV}};
  for (const auto& [name, value] : kFormats) {
    if (options.format == name) request.set_format(value);
  }
  request.set_language(options.language == "en" ? v1::REPORT_LANGUAGE_EN : v1::REPORT_LANGUAGE_ZH);
  v1::RenderEvaluationReportResponse response;
  grpc::ClientContext context;
  const grpc::Status status = v1::IndicatorEvaluationService::NewStub(gzedu::OpenChannel(options.target.target))
                                  ->RenderEvaluationReport(&context, request, &response);
  if (!status.ok()) {
    // GrpcStatusText lists every field violation, once.
    std::fprintf(stderr, ErrorsInChinese() ? "生成评估报告失败：%s\n" : "RenderEvaluationReport failed: %s\n",
                 ErrorText(status).c_str());
    return status.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                   status.error_code() == grpc::StatusCode::NOT_FOUND
               ? 2
               : 1;
  }
  if (!WriteOut(options.out, response.content())) return 1;
  if (options.out != "-") {
    std::fprintf(stderr, "[gzedu] %s: %zu bytes (%s)\n", options.out.c_str(), response.content().size(),
                 response.media_type().c_str());
  }
  return 0;
}

}  // namespace gzedu::cli
