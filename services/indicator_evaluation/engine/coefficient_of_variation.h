#ifndef GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_COEFFICIENT_OF_VARIATION_H_
#define GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_COEFFICIENT_OF_VARIATION_H_

#include <vector>

namespace gzedu::engine {

// The enrolment-weighted inter-school difference coefficient (校际差异系数) of
// the 2012 method's explanation, which the 2017 method keeps:
//   X̄ = Σ P_i X_i / P,  S = sqrt(Σ (P_i / P)(X_i − X̄)²),  CV = S / X̄.
struct WeightedCv {
  double mean = 0;  // X̄, equal to the district value
  double standard_deviation = 0;
  double cv = 0;  // 0 when the mean is 0 (every section has nothing)
  // (P_i / P)(X_i − X̄)² for each section, in input order: how much each
  // section contributes to S².
  std::vector<double> variance_contributions;
};

// `values[i]` is section i's indicator value, `weights[i]` its students
// (> 0). Both have the same size, at least 1.
WeightedCv WeightedCoefficientOfVariation(const std::vector<double>& values, const std::vector<double>& weights);

}  // namespace gzedu::engine

#endif  // GZEDU_SERVICES_INDICATOR_EVALUATION_ENGINE_COEFFICIENT_OF_VARIATION_H_
