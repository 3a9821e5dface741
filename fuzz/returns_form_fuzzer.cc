// Fuzzes the district return forms (tools/gzedu/returns_form.h): the first
// byte picks YAML or CSV, the rest is the file. Properties, besides no crash,
// no exception and no sanitizer report: every problem names a line of the
// file and says what is wrong; a form read without problems holds only
// amounts within the bound on one amount, whole in fen, and counts that are
// not negative; the service's validation run on it locates every
// violation.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/domain/input_bounds.h"
#include "tools/gzedu/returns_form.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool yaml = (data[0] & 1) == 0;
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  const int lines = 2 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  gzedu::cli::ReturnsForm form = yaml ? gzedu::cli::ReadReturnsYaml(text) : gzedu::cli::ReadReturnsCsv(text);
  Check(form.origins.size() == static_cast<size_t>(form.request.returns_size()));
  const bool read_cleanly = form.problems.empty();
  if (!form.request.returns().empty()) gzedu::cli::ValidateReturnsForm(form);
  for (const gzedu::cli::CsvProblem& problem : form.problems) {
    Check(problem.line >= 1 && problem.line <= lines);
    Check(!problem.description.empty());
  }
  if (!read_cleanly) return 0;
  for (const auto& r : form.request.returns()) {
    const auto& f = r.facts();
    for (int64_t fen : {f.operating_base_per_student_primary_fen(), f.operating_base_per_student_junior_fen(),
                        f.teacher_average_pay_fen(), f.civil_servant_average_pay_fen(), f.operating_budget_fen(),
                        f.training_budget_fen()}) {
      Check(fen >= 0 && fen <= gzedu::bounds::kMaxAmountFen);
    }
    Check(f.junior_graduates() >= 0 && f.quota_total_places() >= 0 && f.disabled_enrolled() >= 0);
  }
  return 0;
}
