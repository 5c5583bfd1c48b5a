// Zipf(-Mandelbrot) ranks, P(rank k) ~ 1 / (k + 1 + q)^s, by inverse CDF: a table
// of n cumulative probabilities and a binary search per draw. Skews users and items;
// the offset q flattens the head (fewer bot-like heavy hitters), not the tail.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace rtfeat {

class zipf_sampler {
public:
  /// REQUIRES: n >= 1, exponent >= 0 (0 = uniform), offset >= 0 (0 = plain Zipf).
  zipf_sampler(uint32_t n, double exponent, double offset = 0);

  /// A rank in [0, n); rank 0 is the most likely.
  uint32_t operator()(std::mt19937_64& rng) const;

  /// The rank for a uniform draw `u` in [0, 1).
  uint32_t rank_of(double u) const;

  /// P(rank). REQUIRES: rank < size().
  double probability(uint32_t rank) const;

  uint32_t size() const { return static_cast<uint32_t>(cdf_.size()); }

private:
  std::vector<double> cdf_;  // cdf_[k] = P(rank <= k); the last entry is exactly 1
};

}  // namespace rtfeat
