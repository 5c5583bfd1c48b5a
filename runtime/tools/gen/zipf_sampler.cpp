// zipf_sampler: the CDF table is built once with std::pow (deterministic for a
// given libm); draws only compare doubles.
#include "runtime/tools/gen/zipf_sampler.hpp"

#include <algorithm>
#include <cmath>

#include "runtime/tools/gen/random.hpp"

namespace rtfeat {

zipf_sampler::zipf_sampler(uint32_t n, double exponent, double offset) : cdf_(n == 0 ? 1 : n) {
  double total = 0;
  for (size_t k = 0; k < cdf_.size(); ++k) {
    total += 1.0 / std::pow(static_cast<double>(k + 1) + offset, exponent);
    cdf_[k] = total;
  }
  for (double& c : cdf_) c /= total;
  cdf_.back() = 1.0;
}

uint32_t zipf_sampler::rank_of(double u) const {
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  if (it == cdf_.end()) --it;
  return static_cast<uint32_t>(it - cdf_.begin());
}

uint32_t zipf_sampler::operator()(std::mt19937_64& rng) const { return rank_of(uniform_unit(rng)); }

double zipf_sampler::probability(uint32_t rank) const {
  return rank == 0 ? cdf_[0] : cdf_[rank] - cdf_[rank - 1];
}

}  // namespace rtfeat
