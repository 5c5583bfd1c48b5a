// The oracle's own exact integers and decimal text: the same bytes as the
// engine's for what fits int64, exact beyond, and the same unit rounding.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "oracle/decimal_text.hpp"
#include "oracle/exact_int.hpp"

using namespace rtfeat::oracle;

TEST_SUITE("oracle.exact_int") {
  TEST_CASE("exact text at int64's and 128 bits' limits") {
    const exact_int max = (exact_int{1} << 126) - 1 + (exact_int{1} << 126);  // 2^127 - 1
    CHECK(exact_text(0) == "0");
    CHECK(exact_text(INT64_MIN) == "-9223372036854775808");
    CHECK(exact_text(exact_int{INT64_MAX} + 1) == "9223372036854775808");
    CHECK(exact_text(max) == "170141183460469231731687303715884105727");
    CHECK(exact_text(-max - 1) == "-170141183460469231731687303715884105728");
  }
  TEST_CASE("units text and rounding agree with llround where it held, and are exact beyond") {
    CHECK(units_text(-5) == "-0.0005");
    CHECK(units_text(INT64_MIN) == "-922337203685477.5808");
    CHECK(units_text(to_units(1e15) + to_units(6e14) * 2) == "2200000000000000.0000");
    CHECK(units_text(to_units(9.99e17)) == "999000000000000000.0000");
    CHECK(units_text(to_units(-0x1p49 - 0.125)) == "-562949953421312.1250");
    for (double v : {0.00005, -0.00005, 59.9, -12.3456, 1e11 + 0.5})
      CHECK(to_units(v) == std::llround(v * 10000.0));
  }
}
