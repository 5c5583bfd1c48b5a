// Tests of decode_hll on hand-assembled Redis HyperLogLog strings: the sparse
// opcodes (ZERO, XZERO, VAL), the dense 6-bit packing, and malformed input.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "oracle/hll_registers.hpp"

using rtfeat::oracle::decode_hll;

namespace {

// "HYLL", encoding, 3 unused bytes, 8 bytes of cached cardinality.
std::string header(char encoding) { return std::string("HYLL") + encoding + std::string(11, '\0'); }

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (auto v : values) out += static_cast<char>(v);
  return out;
}

}  // namespace

TEST_SUITE("oracle.hll_registers") {
  TEST_CASE("a sparse HyperLogLog of one XZERO run has every register at zero") {
    // 01 111111 11111111: run of 0x3fff + 1 = 16384 zeros.
    auto regs = decode_hll(header(1) + bytes({0x7f, 0xff}));
    REQUIRE(regs.has_value());
    CHECK(std::count(regs->begin(), regs->end(), 0) == 16384);
  }

  TEST_CASE("sparse ZERO, VAL and XZERO runs place values at the right registers") {
    // ZERO 00 000100: 5 zeros; VAL 1 00010 01: value 3 twice; ZERO 00 000000: 1 zero;
    // VAL 1 11111 00: value 32 once; XZERO of 16384 - 9 = 16375: 0x3ff6 + 1.
    auto regs = decode_hll(header(1) + bytes({0x04, 0x89, 0x00, 0xfc, 0x7f, 0xf6}));
    REQUIRE(regs.has_value());
    CHECK((*regs)[4] == 0);
    CHECK((*regs)[5] == 3);
    CHECK((*regs)[6] == 3);
    CHECK((*regs)[7] == 0);
    CHECK((*regs)[8] == 32);
    CHECK((*regs)[9] == 0);
    CHECK((*regs)[16383] == 0);
  }

  TEST_CASE("dense registers are 6 bits each starting from the low bits") {
    std::string d = header(0) + std::string(12288, '\0');
    d[16] = '\x40';          // register 1 = 5: low 2 bits (01) at bits 6-7 of byte 0
    d[17] = '\x01';          // ... high 4 bits (0001) at bits 0-3 of byte 1
    d[16 + 12287] = '\xfc';  // register 16383 = 63: bits 2-7 of the last byte
    auto regs = decode_hll(d);
    REQUIRE(regs.has_value());
    CHECK((*regs)[0] == 0);
    CHECK((*regs)[1] == 5);
    CHECK((*regs)[2] == 0);
    CHECK((*regs)[16382] == 0);
    CHECK((*regs)[16383] == 63);
  }

  TEST_CASE("anything that is not a whole HyperLogLog decodes to nothing") {
    CHECK_FALSE(decode_hll("x").has_value());
    CHECK_FALSE(decode_hll(std::string("HYLX\x01") + std::string(11, '\0') + bytes({0x7f, 0xff}))
                  .has_value());
    CHECK_FALSE(decode_hll(header(1) + bytes({0x7f, 0xfe})).has_value());        // 16383 registers
    CHECK_FALSE(decode_hll(header(1) + bytes({0x7f, 0xff, 0x00})).has_value());  // 16385
    CHECK_FALSE(decode_hll(header(1) + bytes({0x7f})).has_value());              // cut XZERO
    CHECK_FALSE(decode_hll(header(0) + std::string(100, '\0')).has_value());     // short dense
    CHECK_FALSE(decode_hll(header(2) + bytes({0x7f, 0xff})).has_value());
  }

}  // TEST_SUITE
