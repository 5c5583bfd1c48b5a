// Percentile math for feature 4 (see percentile_rank.hpp).
#include "runtime/features/percentile_rank.hpp"

#include <algorithm>

#include "runtime/features/decimal.hpp"

namespace rtfeat {

std::string percentile_rank_text(const std::vector<uint64_t>& sorted, uint64_t value) {
  auto [lo, hi] = std::equal_range(sorted.begin(), sorted.end(), value);
  auto less = static_cast<double>(lo - sorted.begin());
  auto equal = static_cast<double>(hi - lo);
  return fixed4_text(100.0 * (less + 0.5 * equal) / static_cast<double>(sorted.size()));
}

uint64_t nearest_rank(const std::vector<uint64_t>& sorted, int k) {
  // ceil(k * n / 100) in integers; never below rank 1.
  auto n = static_cast<uint64_t>(sorted.size());
  uint64_t rank = (static_cast<uint64_t>(k) * n + 99) / 100;
  return sorted[std::max<uint64_t>(rank, 1) - 1];
}

}  // namespace rtfeat
