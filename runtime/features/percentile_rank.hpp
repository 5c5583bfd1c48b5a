// Exact percentile rank and nearest-rank decile edges of SPEC §4a feature 4,
// over the click counts (> 0) of the items of one category.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rtfeat {

/// Where a value stands among n sorted values: all its percentile rank depends on.
struct rank_position {
  uint64_t less = 0, equal = 0, n = 0;
  bool operator==(const rank_position&) const = default;
};

/// The position of `value` in `sorted` (ascending, and contains `value`).
rank_position position_in(const std::vector<uint64_t>& sorted, uint64_t value);

/// 100 * (#less + 0.5 * #equal) / n, written with %.4f.
std::string percentile_rank_text(const rank_position& p);
inline std::string percentile_rank_text(const std::vector<uint64_t>& sorted, uint64_t value) {
  return percentile_rank_text(position_in(sorted, value));
}

/// The ceil(k * n / 100)-th smallest of `sorted` (1-based). REQUIRES: !sorted.empty().
uint64_t nearest_rank(const std::vector<uint64_t>& sorted, int k);

}  // namespace rtfeat
