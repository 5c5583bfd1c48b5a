// zipf_sampler: the table is a proper distribution, skewed as the exponent says,
// and draws follow it.
#include "runtime/tools/gen/zipf_sampler.hpp"

#include <cmath>
#include <random>
#include <vector>

#include <doctest/doctest.h>

using rtfeat::zipf_sampler;

TEST_SUITE("runtime.gen.zipf_sampler") {
  TEST_CASE("probabilities sum to one and fall with the rank") {
    zipf_sampler z(1000, 1.1);
    double total = 0;
    for (uint32_t k = 0; k < z.size(); ++k) {
      total += z.probability(k);
      if (k > 0) CHECK(z.probability(k) < z.probability(k - 1));
    }
    CHECK(total == doctest::Approx(1.0));
    CHECK(z.probability(0) / z.probability(1) == doctest::Approx(2.1435).epsilon(0.001));
  }

  TEST_CASE("exponent zero is uniform") {
    zipf_sampler z(4, 0.0);
    for (uint32_t k = 0; k < 4; ++k) CHECK(z.probability(k) == doctest::Approx(0.25));
  }

  TEST_CASE("draws cover every rank and follow the probabilities") {
    zipf_sampler z(10, 1.1);
    std::mt19937_64 rng(7);
    std::vector<int> hits(10);
    const int n = 200000;
    for (int i = 0; i < n; ++i) ++hits[z(rng)];
    for (uint32_t k = 0; k < 10; ++k)
      CHECK(hits[k] / double(n) == doctest::Approx(z.probability(k)).epsilon(0.05));
  }

  TEST_CASE("an offset flattens the head and keeps the tail's exponent") {
    zipf_sampler plain(100000, 1.1);
    zipf_sampler offset(100000, 1.1, 20);
    CHECK(offset.probability(0) < plain.probability(0) / 10);
    CHECK(offset.probability(0) / offset.probability(1)
          == doctest::Approx(std::pow(22.0 / 21.0, 1.1)));
    double top_percent = 0;
    for (uint32_t k = 0; k < 1000; ++k) top_percent += offset.probability(k);
    CHECK(top_percent > 0.5);
  }

  TEST_CASE("rank_of maps the ends of [0, 1) to the first and last rank") {
    zipf_sampler z(100, 1.1);
    CHECK(z.rank_of(0.0) == 0);
    CHECK(z.rank_of(0.999999999999) == 99);
  }
}
