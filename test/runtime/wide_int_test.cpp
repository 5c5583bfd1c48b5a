// 128-bit sums: decimal text and the snapshot encoding at the edges (int64's
// limits, where the encoding switches to fixext16, and 128 bits' own limits).
#include <doctest/doctest.h>

#include <climits>
#include <vector>

#include <msgpack.hpp>

#include "runtime/codec/state_codec.hpp"
#include "runtime/features/decimal.hpp"
#include "runtime/wide_int.hpp"

using namespace rtfeat;

namespace {

const wide_int two_63 = wide_int{1} << 63;
const std::vector<wide_int> edges{0, 1, -1, INT64_MAX, wide_int{INT64_MAX} + 1, INT64_MIN, wide_int{INT64_MIN} - 1,
                                  two_63 * 2, -two_63 * 2, wide_int_max, wide_int_min, wide_int_min + 1};

}  // namespace

TEST_SUITE("runtime.wide_int") {
  TEST_CASE("decimal text is exact at int64's and 128 bits' limits and parses back") {
    CHECK(wide_text(INT64_MAX) == "9223372036854775807");
    CHECK(wide_text(INT64_MIN) == "-9223372036854775808");
    CHECK(wide_text(0) == "0");
    CHECK(wide_text(-42) == "-42");
    CHECK(wide_text(wide_int{INT64_MAX} + 1) == "9223372036854775808");
    CHECK(wide_text(wide_int{INT64_MIN} - 1) == "-9223372036854775809");
    CHECK(wide_text(wide_int_max) == "170141183460469231731687303715884105727");
    CHECK(wide_text(wide_int_min) == "-170141183460469231731687303715884105728");
    for (auto v : edges) CHECK(wide_from_string(wide_text(v)) == v);
    CHECK_FALSE(wide_from_string("170141183460469231731687303715884105728"));
    CHECK_FALSE(wide_from_string("-"));
    CHECK_FALSE(wide_from_string("1x"));
  }

  TEST_CASE("units text is the int64 text where it fits and exact beyond") {
    CHECK(units_text(wide_int{1797000}) == "179.7000");
    CHECK(units_text(wide_int{-5}) == "-0.0005");
    CHECK(units_text(wide_int{INT64_MAX}) == units_text(int64_t{INT64_MAX}));
    CHECK(units_text(wide_int{INT64_MIN}) == units_text(int64_t{INT64_MIN}));
    CHECK(units_text(wide_int{INT64_MAX} + 1) == "922337203685477.5808");
    CHECK(units_text(to_units(1e15) + 2 * to_units(6e14)) == "2200000000000000.0000");
    CHECK(units_text(to_units(-1e18)) == "-1000000000000000000.0000");
    CHECK(units_text(wide_int_min) == "-17014118346046923173168730371588410.5728");
  }

  TEST_CASE("to_units rounds half away from zero as llround did, and beyond int64") {
    for (double v : {0.00005, -0.00005, 59.9, 0.1, -12.3456, 9.2e14})
      CHECK(to_units(v) == std::llround(v * 10000.0));
    CHECK(to_units(1e18) == wide_int{1000000000000000000} * 10000);
    // The double product 9.99e21 is not an integer of units; 9.99e17 itself is exact.
    CHECK(units_text(to_units(9.99e17)) == "999000000000000000.0000");
    CHECK(units_text(to_units(0x1p49 + 0.125)) == "562949953421312.1250");
    CHECK(units_text(to_units(-0x1p49 - 0.125)) == "-562949953421312.1250");
  }

  TEST_CASE("a snapshot value that fits int64 is a plain msgpack int, a larger one fixext16 type 1") {
    state_writer w;
    w.i128(INT64_MAX);
    CHECK(w.take() == [] { state_writer x; x.i64(INT64_MAX); return x.take(); }());
    w.i128(wide_int{INT64_MAX} + 1);
    auto bytes = w.take();
    REQUIRE(bytes.size() == 18);
    CHECK(static_cast<unsigned char>(bytes[0]) == 0xd8);
    CHECK(bytes[1] == 1);
    auto oh = msgpack::unpack(bytes.data(), bytes.size());
    CHECK(oh.get().type == msgpack::type::EXT);
    CHECK(oh.get().via.ext.type() == 1);
    CHECK(oh.get().via.ext.size == 16);
  }

  TEST_CASE("every edge reads back, between other values, and old int64 streams read as i128") {
    state_writer w;
    for (auto v : edges) w.str("x").i128(v);
    w.i64(INT64_MIN).u64(UINT64_MAX);
    auto bytes = w.take();
    state_reader r(bytes);
    for (auto v : edges) {
      CHECK(r.str() == "x");
      CHECK(r.i128() == v);
    }
    CHECK(r.i128() == INT64_MIN);
    CHECK(r.i128() == wide_int{UINT64_MAX});
    CHECK(r.ok());
    CHECK(r.at_end());
  }

  TEST_CASE("a wide value is not an i64, a string or another ext type") {
    state_writer w;
    w.i128(wide_int_max);
    auto bytes = w.take();
    state_reader as_i64(bytes);
    as_i64.i64();
    CHECK_FALSE(as_i64.ok());
    state_reader as_str(bytes);
    as_str.str();
    CHECK_FALSE(as_str.ok());
    bytes[1] = 2;
    state_reader other(bytes);
    other.i128();
    CHECK_FALSE(other.ok());
    state_reader truncated(std::string_view(bytes).substr(0, 17));
    truncated.i128();
    CHECK_FALSE(truncated.ok());
  }
}
