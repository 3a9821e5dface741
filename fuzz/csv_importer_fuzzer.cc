// Fuzzes one CSV importer (chosen at compile time: schools, school years,
// teachers, rotations, accounts, transfers): the encoding detection (as the
// CLI reads a file), the CSV reader, then the importer's columns and cells. Properties, besides no crash and no
// sanitizer report: a file the reader refuses is refused with a message; for
// an accepted one every problem names a line of the file and says what is
// wrong, and the importer keeps one origin (line) per message it builds.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "tools/gzedu/csv_reader.h"
#include "tools/gzedu/ledger_csv.h"
#include "tools/gzedu/registry_csv.h"
#include "tools/gzedu/rotation_csv.h"
#include "tools/gzedu/text_encoding.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

template <typename Parsed>
void CheckProblems(const Parsed& parsed, const gzedu::cli::CsvTable& table) {
  int last_line = 1;
  for (const gzedu::cli::CsvRow& row : table.rows) last_line = std::max(last_line, row.line);
  for (const gzedu::cli::CsvProblem& problem : parsed.problems) {
    Check(problem.line >= 0 && problem.line <= last_line);
    Check(!problem.description.empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gzedu::cli::DecodedText> decoded = gzedu::cli::DecodeToUtf8(bytes);
  if (!decoded.ok()) {
    Check(!decoded.status().message().empty());
    return 0;
  }
  // Whatever the file's encoding, the reader hands on UTF-8 only.
  Check(gzedu::cli::IsValidUtf8(decoded->utf8));
  absl::StatusOr<gzedu::cli::CsvTable> table = gzedu::cli::ParseCsv(decoded->utf8);
  if (!table.ok()) {
    Check(!table.status().message().empty());
    return 0;
  }
  const std::string file = "fuzz.csv";
#if defined(GZEDU_FUZZ_IMPORTER_schools)
  const auto parsed = gzedu::cli::ParseSchoolsCsv(*table, file);
  Check(parsed.schools.size() == parsed.origins.size());
#elif defined(GZEDU_FUZZ_IMPORTER_school_years)
  const auto parsed = gzedu::cli::ParseSchoolYearsCsv(*table, file);
  Check(parsed.records.size() == parsed.origins.size());
#elif defined(GZEDU_FUZZ_IMPORTER_teachers)
  const auto parsed = gzedu::cli::ParseTeachersCsv(*table, file);
  Check(parsed.teachers.size() == parsed.origins.size());
#elif defined(GZEDU_FUZZ_IMPORTER_rotations)
  const auto parsed = gzedu::cli::ParseRotationsCsv(*table, file);
  Check(parsed.rows.size() == parsed.origins.size());
#elif defined(GZEDU_FUZZ_IMPORTER_accounts)
  const auto parsed = gzedu::cli::ParseAccountsCsv(*table, file);
  Check(parsed.accounts.size() == parsed.lines.size());
  Check(parsed.accounts.size() <= table->rows.size());
#elif defined(GZEDU_FUZZ_IMPORTER_transfers)
  const auto parsed = gzedu::cli::ParseTransfersCsv(*table, file);
  Check(parsed.transfers.size() == parsed.lines.size());
  Check(parsed.transfers.size() <= table->rows.size());
#else
#error "define GZEDU_FUZZ_IMPORTER_<importer>"
#endif
  CheckProblems(parsed, *table);
  // The grouped report says something exactly when there are problems.
  Check(parsed.problems.empty() == gzedu::cli::ProblemReportLines(file, parsed.problems, parsed.labels).empty());
  return 0;
}
