#include "tools/gzedu/csv_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "tools/gzedu/text_encoding.h"

namespace gzedu::cli {

bool ReadCsvFile(const std::string& file, bool quiet, CsvTable* table) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open the file\n", file.c_str());
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  absl::StatusOr<DecodedText> decoded = DecodeToUtf8(buffer.str());
  if (!decoded.ok()) {
    std::fprintf(stderr, "%s:%s\n", file.c_str(), std::string(decoded.status().message()).c_str());
    std::fprintf(stderr, "%s: nothing was sent\n", file.c_str());
    return false;
  }
  if (!quiet && decoded->encoding != "UTF-8" && decoded->encoding != "UTF-8 with BOM") {
    std::fprintf(stderr, "%s: read as %s and converted to UTF-8\n", file.c_str(), decoded->encoding.c_str());
  }
  absl::StatusOr<CsvTable> parsed = ParseCsv(decoded->utf8);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s:%s\n", file.c_str(), std::string(parsed.status().message()).c_str());
    return false;
  }
  *table = std::move(*parsed);
  return true;
}

void PrintProblems(const std::string& file, const std::vector<CsvProblem>& problems, const ColumnLabels& labels,
                   const std::string& ending) {
  if (problems.empty()) return;
  for (const std::string& line : ProblemReportLines(file, problems, labels)) std::fprintf(stderr, "%s\n", line.c_str());
  std::fprintf(stderr, "%s: %zu problem(s); %s\n", file.c_str(), problems.size(), ending.c_str());
}

void CheckUtf8(const google::protobuf::Message& message, int line, std::vector<CsvProblem>& problems) {
  for (const std::string& field : InvalidUtf8Fields(message)) {
    problems.push_back({line, field, "is not valid UTF-8 text; nothing of it is sent"});
  }
}

Progress::Progress(bool enabled) : enabled_(enabled), terminal_(isatty(STDERR_FILENO) == 1) {}

void Progress::Update(const std::string& text) {
  if (!enabled_) return;
  if (terminal_) {
    // Back to the start of the line, the new text, then erase what is left
    // of a longer earlier text.
    std::fprintf(stderr, "\r%s\x1b[K", text.c_str());
    line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!line_open_) return;
  std::fputc('\n', stderr);
  line_open_ = false;
}

}  // namespace gzedu::cli
