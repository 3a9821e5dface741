#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_EXACT_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_EXACT_H_

// Exact arithmetic for the engine's verdicts (docs/indicators.md, "Exact
// arithmetic"). Every comparison of a value with a threshold or a limit is
// decided on the inputs at their documented precision: counts are whole,
// areas and multimedia rooms are held in hundredths, money in fen. Values are
// reported as doubles, but no verdict depends on a double's rounding.
//
// Two tools:
// - Fraction: a small exact quotient (128-bit numerator, 64-bit positive
//   denominator) for one section's quantities, compared by cross
//   multiplication in 128 bits (the input bounds keep every product far
//   inside the range; each product is checked all the same).
// - Sums of many fractions (district values, the weighted variance behind a
//   CV) are decided first in long double; when the result lies within a
//   margin of the limit far wider than the rounding error, the comparison is
//   redone in exact rational arithmetic (GMP's mpq), so a value equal to its
//   limit always meets it.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"

namespace gzedu::engine::exact {

// Hundredths of a decimal input with at most two decimals (areas in m²,
// multimedia rooms, thresholds, percentages): 82.5 -> 8250. The input's
// documented precision is two decimals; a third decimal is rounded to the
// nearest hundredth (the JSON input and the services refuse such values).
int64_t Hundredths(double value);

// num / den with den > 0.
struct Fraction {
  absl::int128 num = 0;
  int64_t den = 1;

  static Fraction Whole(int64_t n) { return {n, 1}; }
  // A decimal input with at most two decimals, exactly: 82.5 -> 8250 / 100.
  static Fraction Decimal(double value) { return {Hundredths(value), 100}; }
  double ToDouble() const;
  long double ToLongDouble() const;
};

// this * a / b for whole a >= 0, b > 0: an exact share (apportionment).
Fraction Scaled(const Fraction& f, int64_t a, int64_t b);

// -1, 0 or 1 as x <, ==, > y. Crashes on a product that would not fit in 128
// bits (the input bounds make that impossible; a crash is a bug, not a verdict).
int Compare(const Fraction& x, const Fraction& y);
inline bool AtLeast(const Fraction& x, const Fraction& y) { return Compare(x, y) >= 0; }

// n / d >= threshold_percent / 100, for whole n >= 0, d > 0 and a threshold
// with at most two decimals (e.g. 95, 85, 10): exactly, 100·100·n >=
// threshold_hundredths·d.
bool RatioAtLeastPercent(int64_t n, int64_t d, double threshold_percent);

// Sum of many fractions, kept term by term so that it can be decided exactly.
class FractionSum {
 public:
  void Add(const Fraction& term);
  long double Approximate() const { return approximate_; }
  const std::vector<Fraction>& terms() const { return terms_; }

 private:
  std::vector<Fraction> terms_;
  long double approximate_ = 0;
};

// scale · sum / students >= threshold (the district value against its
// threshold). students > 0.
bool DistrictValueAtLeast(const FractionSum& sum, int64_t scale, int64_t students, const Fraction& threshold);

// The weighted CV of values X_i = scale · numerators[i] / students[i] with
// weights students[i]: X̄ = Σ P_i X_i / P, S² = Σ (P_i / P)(X_i − X̄)²,
// CV = S / X̄. `defined` is false when X̄ = 0 (CV is 0/0);
// `within_limit` is S <= limit · X̄, decided exactly (limit with at most
// two decimals). cv and variance_contributions are the values as doubles.
struct CvDecision {
  bool defined = false;
  bool within_limit = false;
  double cv = 0;
  std::vector<double> variance_contributions;
  bool decided_exactly = false;  // the margin was too narrow for long double
};
CvDecision DecideWeightedCv(const std::vector<Fraction>& numerators, const std::vector<int64_t>& students,
                            int64_t scale, double limit);

}  // namespace gzedu::engine::exact

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_EXACT_H_
