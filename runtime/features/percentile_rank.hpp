// Exact percentile rank and nearest-rank decile edges of SPEC §4a feature 4,
// over the click counts (> 0) of the items of one category.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rtfeat {

/// 100 * (#less + 0.5 * #equal) / n, written with %.4f. `sorted` is ascending
/// and contains `value`.
std::string percentile_rank_text(const std::vector<uint64_t>& sorted, uint64_t value);

/// The ceil(k * n / 100)-th smallest of `sorted` (1-based). REQUIRES: !sorted.empty().
uint64_t nearest_rank(const std::vector<uint64_t>& sorted, int k);

}  // namespace rtfeat
