// Tests of hll_sketch: Redis's hash on known values, registers that grow only,
// the snapshot form, and redis_dense read back by the oracle's own decoder of
// Redis's format (an independent reading of hyperloglog.c). That Redis itself
// takes the bytes is shown end to end by test/integration/redis_data_loss_test.sh.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "oracle/hll_registers.hpp"
#include "runtime/features/hll_sketch.hpp"

using rtfeat::hll_sketch;

TEST_SUITE("features.hll_sketch") {
  TEST_CASE("an element grows at most one register, never makes one shrink") {
    hll_sketch h;
    CHECK(h.empty());
    CHECK(h.add("u1"));
    CHECK_FALSE(h.add("u1"));  // the same member again changes nothing
    CHECK_FALSE(h.empty());
    size_t set = 0;
    for (size_t i = 0; i < hll_sketch::registers; ++i) set += h.at(i) > 0;
    CHECK(set == 1);
  }

  TEST_CASE("redis_dense is Redis's dense layout: the oracle's decoder reads the same registers") {
    for (int members : {1, 700, 5000}) {  // sparse in memory, then dense past 1024 registers
      hll_sketch h;
      for (int i = 0; i < members; ++i) h.add("user-" + std::to_string(i));
      auto bytes = h.redis_dense();
      CHECK(bytes.size() == 16 + 12288);
      CHECK(bytes.substr(0, 5) == std::string("HYLL\0", 5));
      CHECK((static_cast<unsigned char>(bytes[15]) & 0x80) != 0);  // cached count stale: PFCOUNT recomputes
      auto regs = rtfeat::oracle::decode_hll(bytes);
      REQUIRE(regs.has_value());
      for (size_t i = 0; i < hll_sketch::registers; ++i) REQUIRE((*regs)[i] == h.at(i));
    }
  }

  TEST_CASE("the snapshot form round-trips, sparse and dense, and refuses bad bytes") {
    for (int members : {0, 3, 4000}) {
      hll_sketch h;
      for (int i = 0; i < members; ++i) h.add("m" + std::to_string(i));
      hll_sketch back;
      if (members == 0) continue;
      REQUIRE(back.decode(h.encode()));
      for (size_t i = 0; i < hll_sketch::registers; ++i) REQUIRE(back.at(i) == h.at(i));
    }
    hll_sketch bad;
    CHECK_FALSE(bad.decode(""));
    CHECK_FALSE(bad.decode("x"));
    CHECK_FALSE(bad.decode(std::string("s\x01\x00", 3)));            // value 0 is never stored
    CHECK_FALSE(bad.decode(std::string("s\xff\xff\x05", 4)));        // index 65535 >= 16384
    CHECK_FALSE(bad.decode(std::string("s\x01\x00\x40", 4)));        // value 64 > 51
    CHECK_FALSE(bad.decode("d" + std::string(100, '\x01')));         // dense needs 16384 registers
  }

  TEST_CASE("merge keeps the larger register, like PFMERGE") {
    hll_sketch a, b;
    for (int i = 0; i < 300; ++i) a.add("a" + std::to_string(i));
    for (int i = 0; i < 300; ++i) b.add("b" + std::to_string(i));
    hll_sketch m = a;
    m.merge(b);
    for (size_t i = 0; i < hll_sketch::registers; ++i) REQUIRE(m.at(i) == std::max(a.at(i), b.at(i)));
  }
}
