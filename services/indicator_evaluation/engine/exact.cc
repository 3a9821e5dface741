#include "services/indicator_evaluation/engine/exact.h"

#include <gmpxx.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numeric>

namespace gzedu::engine::exact {
namespace {

// A long-double result within this relative margin of its limit is decided
// again exactly. The rounding error of the long-double sums is below
// n · 2^-63 relative (n terms, at most a few hundred thousand within the input
// bounds), so about 1e-13 at worst: the margin is a million times wider.
constexpr long double kMargin = 1e-9L;

[[noreturn]] void Overflow(const char* what) {
  std::fprintf(stderr, "gzedu engine: exact arithmetic overflow in %s (input outside the documented bounds)\n", what);
  std::abort();
}

absl::int128 Multiply(absl::int128 a, absl::int128 b) {
  if (a == 0 || b == 0) return 0;
  const absl::int128 abs_a = a < 0 ? -a : a;
  const absl::int128 abs_b = b < 0 ? -b : b;
  if (abs_a > std::numeric_limits<absl::int128>::max() / abs_b) Overflow("a product");
  return a * b;
}

mpz_class ToMpz(absl::int128 value) {
  const bool negative = value < 0;
  const absl::uint128 magnitude = negative ? -static_cast<absl::uint128>(value) : static_cast<absl::uint128>(value);
  mpz_class result = static_cast<unsigned long>(absl::Uint128High64(magnitude));  // NOLINT(runtime/int)
  result <<= 64;
  result += static_cast<unsigned long>(absl::Uint128Low64(magnitude));  // NOLINT(runtime/int)
  return negative ? mpz_class(-result) : result;
}

mpq_class ToMpq(const Fraction& f) {
  mpq_class q(ToMpz(f.num), mpz_class(static_cast<long>(f.den)));  // NOLINT(runtime/int)
  q.canonicalize();
  return q;
}

mpq_class DecimalToMpq(double value) { return mpq_class(mpz_class(static_cast<long>(Hundredths(value))), 100); }

}  // namespace

int64_t Hundredths(double value) {
  const double scaled = value * 100.0;
  if (!std::isfinite(scaled) || std::fabs(scaled) > 9e18) Overflow("a decimal input");
  return std::llround(scaled);
}

double Fraction::ToDouble() const { return static_cast<double>(ToLongDouble()); }

long double Fraction::ToLongDouble() const { return static_cast<long double>(num) / static_cast<long double>(den); }

Fraction Scaled(const Fraction& f, int64_t a, int64_t b) {
  if (b <= 0 || a < 0) Overflow("a share");
  absl::int128 num = Multiply(f.num, a);
  absl::int128 den = Multiply(f.den, b);
  const absl::uint128 g = [](absl::uint128 x, absl::uint128 y) {
    while (y != 0) {
      const absl::uint128 r = x % y;
      x = y;
      y = r;
    }
    return x;
  }(static_cast<absl::uint128>(num < 0 ? -num : num), static_cast<absl::uint128>(den));
  if (g > 1) {
    num /= static_cast<absl::int128>(g);
    den /= static_cast<absl::int128>(g);
  }
  if (den > std::numeric_limits<int64_t>::max()) Overflow("a share's denominator");
  return {num, static_cast<int64_t>(den)};
}

int Compare(const Fraction& x, const Fraction& y) {
  const absl::int128 left = Multiply(x.num, y.den);
  const absl::int128 right = Multiply(y.num, x.den);
  return left < right ? -1 : left > right ? 1 : 0;
}

bool RatioAtLeastPercent(int64_t n, int64_t d, double threshold_percent) {
  return Multiply(Multiply(n, 100), 100) >= Multiply(Hundredths(threshold_percent), d);
}

void FractionSum::Add(const Fraction& term) {
  terms_.push_back(term);
  approximate_ += term.ToLongDouble();
}

bool DistrictValueAtLeast(const FractionSum& sum, int64_t scale, int64_t students, const Fraction& threshold) {
  const long double value = scale * sum.Approximate() / students;
  const long double target = threshold.ToLongDouble();
  long double magnitude = 0;
  for (const Fraction& term : sum.terms()) magnitude += std::fabs(term.ToLongDouble());
  magnitude = scale * magnitude / students + std::fabs(target);
  if (std::fabs(value - target) > kMargin * magnitude) return value > target;
  mpq_class exact_sum = 0;
  for (const Fraction& term : sum.terms()) exact_sum += ToMpq(term);
  return exact_sum * scale >= ToMpq(threshold) * students;
}

CvDecision DecideWeightedCv(const std::vector<Fraction>& numerators, const std::vector<int64_t>& students,
                            int64_t scale, double limit) {
  CvDecision decision;
  const size_t n = numerators.size();
  decision.variance_contributions.assign(n, 0.0);
  int64_t total_students = 0;
  bool any_positive = false;
  for (size_t i = 0; i < n; ++i) {
    total_students += students[i];
    if (numerators[i].num > 0) any_positive = true;
  }
  if (n == 0 || total_students <= 0) return decision;

  // Long double first.
  std::vector<long double> values(n);
  long double numerator_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    values[i] = scale * numerators[i].ToLongDouble() / students[i];
    numerator_sum += numerators[i].ToLongDouble();
  }
  const long double mean = scale * numerator_sum / total_students;
  long double variance = 0;
  long double second_moment = 0;
  for (size_t i = 0; i < n; ++i) {
    const long double weight = static_cast<long double>(students[i]) / total_students;
    const long double deviation = values[i] - mean;
    const long double contribution = weight * deviation * deviation;
    decision.variance_contributions[i] = static_cast<double>(contribution);
    variance += contribution;
    second_moment += weight * values[i] * values[i];
  }
  if (!any_positive) {
    // Every section has none: X̄ = 0 and the CV is 0/0, defined by no one.
    return decision;
  }
  decision.defined = true;
  const long double limit_ld = static_cast<long double>(Hundredths(limit)) / 100;
  const long double bound = limit_ld * limit_ld * mean * mean;
  long double cv = std::sqrt(variance) / mean;
  if (std::fabs(variance - bound) > kMargin * (second_moment + mean * mean)) {
    decision.within_limit = variance <= bound;
  } else {
    // Too close to call in long double: S² <= L² X̄² exactly, written as
    // Σ P_i X_i² <= (1 + L²) · P · X̄² to avoid the deviations.
    decision.decided_exactly = true;
    mpq_class sum_px2 = 0;
    mpq_class numerator_total = 0;
    for (size_t i = 0; i < n; ++i) {
      const mpq_class x = ToMpq(numerators[i]) * scale / students[i];
      sum_px2 += x * x * students[i];
      numerator_total += ToMpq(numerators[i]);
    }
    const mpq_class exact_mean = numerator_total * scale / total_students;
    const mpq_class l = DecimalToMpq(limit);
    const mpq_class exact_variance = sum_px2 / total_students - exact_mean * exact_mean;
    decision.within_limit = exact_variance <= l * l * exact_mean * exact_mean;
    const mpq_class cv_squared = exact_variance / (exact_mean * exact_mean);
    cv = std::sqrt(static_cast<long double>(cv_squared.get_d()));
  }
  // The reported CV never contradicts the verdict: a CV within its limit is
  // never shown above it because of a rounding, nor one above it at it.
  double reported = static_cast<double>(cv);
  if (decision.within_limit && reported > limit) reported = limit;
  if (!decision.within_limit && reported <= limit) reported = std::nextafter(limit, 1.0);
  decision.cv = reported;
  return decision;
}

}  // namespace gzedu::engine::exact
