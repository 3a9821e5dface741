#include "services/indicator_evaluation/engine/coefficient_of_variation.h"

#include <cassert>
#include <cmath>

namespace gzedu::engine {

WeightedCv WeightedCoefficientOfVariation(const std::vector<double>& values, const std::vector<double>& weights) {
  assert(values.size() == weights.size());
  WeightedCv result;
  double total_weight = 0;
  double weighted_sum = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    total_weight += weights[i];
    weighted_sum += weights[i] * values[i];
  }
  result.variance_contributions.assign(values.size(), 0.0);
  if (total_weight <= 0) return result;
  result.mean = weighted_sum / total_weight;
  double variance = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double deviation = values[i] - result.mean;
    result.variance_contributions[i] = weights[i] / total_weight * deviation * deviation;
    variance += result.variance_contributions[i];
  }
  result.standard_deviation = std::sqrt(variance);
  result.cv = result.mean > 0 ? result.standard_deviation / result.mean : 0;
  return result;
}

}  // namespace gzedu::engine
