// The hand-written decimal text must be byte for byte what printf writes:
// docs/semantics.md defines the values with "%lld.%04lld" and "%.4f".
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>

#include "runtime/features/decimal.hpp"

using namespace rtfeat;

namespace {

std::string printf_units(int64_t units) {
  char buf[48];
  auto mag = units < 0 ? -(units + 1) + 1 : units;
  int len = std::snprintf(buf, sizeof buf, "%s%lld.%04lld", units < 0 ? "-" : "",
                          static_cast<long long>(mag / decimal_scale), static_cast<long long>(mag % decimal_scale));
  return std::string(buf, static_cast<size_t>(len));
}

std::string printf_fixed4(double v) {
  char buf[400];
  int len = std::snprintf(buf, sizeof buf, "%.4f", v);
  return std::string(buf, static_cast<size_t>(len));
}

}  // namespace

TEST_SUITE("runtime.features.decimal") {
  TEST_CASE("units_text writes what printf writes") {
    for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{5}, int64_t{-5}, int64_t{9999}, int64_t{10000},
                      int64_t{-10000}, int64_t{1797000}, int64_t{123456789}, std::numeric_limits<int64_t>::max(),
                      std::numeric_limits<int64_t>::min() + 1})
      CHECK(units_text(v) == printf_units(v));
    std::mt19937_64 rng(3);
    for (int i = 0; i < 100000; ++i) {
      auto v = static_cast<int64_t>(rng()) >> (rng() % 63);
      REQUIRE(units_text(v) == printf_units(v));
    }
  }
  TEST_CASE("fixed4_text and ratio_text write what printf's %.4f writes, ties and all") {
    for (double v : {0.0, -0.0, 0.00005, 0.00015, 0.00025, 1.00005, 2.5, 99.99995, 100.0, 1e-9, -1e-9, 1e18, 12.34565})
      CHECK(fixed4_text(v) == printf_fixed4(v));
    std::mt19937_64 rng(5);
    for (int i = 0; i < 100000; ++i) {
      auto n = static_cast<int64_t>(rng() % 2000001) - 1000000;
      auto d = static_cast<int64_t>(rng() % 100000) + 1;
      REQUIRE(ratio_text(n, d) == printf_fixed4(static_cast<double>(n) / static_cast<double>(d)));
      double pct = 100.0 * (static_cast<double>(rng() % 5000) + 0.5 * static_cast<double>(rng() % 50))
                   / static_cast<double>(rng() % 6000 + 1);
      REQUIRE(fixed4_text(pct) == printf_fixed4(pct));
    }
  }
  TEST_CASE("fixed4_text from the double's bits rounds binary ties to even and matches printf at every exponent") {
    for (int n = 1; n <= 24; ++n)
      for (int k = -400; k <= 400; ++k) {
        double v = std::ldexp(k, -n);  // k / 2^n: exact ties at the fifth decimal among them (1/32 = 0.03125)
        REQUIRE(fixed4_text(v) == printf_fixed4(v));
      }
    CHECK(fixed4_text(0.03125) == "0.0312");
    CHECK(fixed4_text(0.09375) == "0.0938");
    CHECK(fixed4_text(-0.03125) == "-0.0312");
    CHECK(fixed4_text(-1e-30) == "-0.0000");
    for (double v : {std::ldexp(1.0, 62), std::nextafter(std::ldexp(1.0, 63), 0.0), std::ldexp(1.0, 63), 1e19, -1e19,
                     std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                     std::numeric_limits<double>::max(), -std::numeric_limits<double>::max()})
      CHECK(fixed4_text(v) == printf_fixed4(v));
    std::mt19937_64 rng(7);
    for (int i = 0; i < 300000; ++i) {
      double mantissa = 1.0 + static_cast<double>(rng() >> 12) * 0x1p-52;
      double v = std::ldexp(mantissa, static_cast<int>(rng() % 160) - 90);
      if (rng() % 2 != 0) v = -v;
      REQUIRE(fixed4_text(v) == printf_fixed4(v));
    }
  }
}
