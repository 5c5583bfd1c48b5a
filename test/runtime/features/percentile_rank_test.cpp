// Percentile rank and nearest-rank deciles of SPEC §4a feature 4.
#include <doctest/doctest.h>

#include "runtime/features/percentile_rank.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.percentile_rank") {
  TEST_CASE("ties share the midpoint of their rank range") {
    std::vector<uint64_t> s{1, 1, 2, 5};
    CHECK(percentile_rank_text(s, 1) == "25.0000");
    CHECK(percentile_rank_text(s, 2) == "62.5000");
    CHECK(percentile_rank_text(s, 5) == "87.5000");
  }
  TEST_CASE("a single item is at 50 percent") {
    CHECK(percentile_rank_text({7}, 7) == "50.0000");
  }
  TEST_CASE("thirds are written with four decimals") {
    std::vector<uint64_t> s{1, 2, 3};
    CHECK(percentile_rank_text(s, 1) == "16.6667");
    CHECK(percentile_rank_text(s, 3) == "83.3333");
  }
  TEST_CASE("decile edges use the ceil(k*n/100)-th smallest value") {
    std::vector<uint64_t> s{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CHECK(nearest_rank(s, 10) == 2);  // ceil(1.2) = 2
    CHECK(nearest_rank(s, 50) == 6);  // ceil(6) = 6
    CHECK(nearest_rank(s, 90) == 11); // ceil(10.8) = 11
    CHECK(nearest_rank({4}, 10) == 4);
    CHECK(nearest_rank({4, 9}, 50) == 4);
    CHECK(nearest_rank({4, 9}, 60) == 9);
  }
}
