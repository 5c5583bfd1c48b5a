// Tests of hll_sketch: Redis's hash on known values, registers that grow only,
// the snapshot form, and redis_dense read back by the oracle's own decoder of
// Redis's format (an independent reading of hyperloglog.c). That Redis itself
// takes the bytes is shown end to end by test/integration/redis_data_loss_test.sh.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "oracle/hll_registers.hpp"
#include "runtime/hll_sketch.hpp"

using rtfeat::hll_sketch;

namespace {

// MurmurHash64A as hyperloglog.c writes it, byte by byte: the reference for
// redis_hll_hash's word loads.
uint64_t murmur64a_bytewise(const std::string& key) {
  const uint64_t m = 0xc6a4a7935bd1e995ULL;
  const int r = 47;
  const auto* data = reinterpret_cast<const unsigned char*>(key.data());
  auto len = static_cast<int>(key.size());
  uint64_t h = 0xadc83b19ULL ^ (static_cast<uint64_t>(len) * m);
  const unsigned char* end = data + (len - (len & 7));
  for (; data != end; data += 8) {
    uint64_t k = 0;
    for (int b = 0; b < 8; ++b) k |= static_cast<uint64_t>(data[b]) << (8 * b);
    k *= m, k ^= k >> r, k *= m;
    h ^= k, h *= m;
  }
  switch (len & 7) {
    case 7: h ^= static_cast<uint64_t>(data[6]) << 48; [[fallthrough]];
    case 6: h ^= static_cast<uint64_t>(data[5]) << 40; [[fallthrough]];
    case 5: h ^= static_cast<uint64_t>(data[4]) << 32; [[fallthrough]];
    case 4: h ^= static_cast<uint64_t>(data[3]) << 24; [[fallthrough]];
    case 3: h ^= static_cast<uint64_t>(data[2]) << 16; [[fallthrough]];
    case 2: h ^= static_cast<uint64_t>(data[1]) << 8; [[fallthrough]];
    case 1: h ^= static_cast<uint64_t>(data[0]); h *= m; break;
    default: break;
  }
  h ^= h >> r, h *= m, h ^= h >> r;
  return h;
}

}  // namespace

TEST_SUITE("features.hll_sketch") {
  TEST_CASE("the member hash is hyperloglog.c's MurmurHash64A at every tail length") {
    std::string key;
    for (int n = 0; n <= 40; ++n) {
      CAPTURE(key);
      CHECK(rtfeat::redis_hll_hash(key) == murmur64a_bytewise(key));
      key += static_cast<char>(0x41 + n * 37 % 190);  // high bytes too: no sign extension
    }
  }

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
