// CRC32C against the standard vectors (RFC 3720 appendix B.4 and the usual
// "123456789" check value), hardware and table paths, and incremental use.
#include <doctest/doctest.h>

#include <string>

#include "runtime/checkpoint/crc32c.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.checkpoint.crc32c") {
  TEST_CASE("the check value of \"123456789\" is 0xE3069283") {
    CHECK(crc32c("123456789") == 0xE3069283u);
    CHECK(crc32c_extend_portable(0, "123456789", 9) == 0xE3069283u);
  }
  TEST_CASE("32 zero bytes give 0x8A9136AA and 32 0xFF bytes give 0x62A8AB43") {
    const std::string zeros(32, '\0'), ones(32, '\xff');
    CHECK(crc32c(zeros) == 0x8A9136AAu);
    CHECK(crc32c(ones) == 0x62A8AB43u);
    CHECK(crc32c_extend_portable(0, zeros.data(), zeros.size()) == 0x8A9136AAu);
    CHECK(crc32c_extend_portable(0, ones.data(), ones.size()) == 0x62A8AB43u);
  }
  TEST_CASE("32 ascending bytes give 0x46DD794E") {
    std::string up;
    for (int i = 0; i < 32; ++i) up.push_back(static_cast<char>(i));
    CHECK(crc32c(up) == 0x46DD794Eu);
  }
  TEST_CASE("the empty string has CRC 0") { CHECK(crc32c("") == 0u); }
  TEST_CASE("extending in pieces equals one pass, at every split and alignment") {
    std::string data;
    for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
    const uint32_t whole = crc32c(data);
    CHECK(crc32c_extend_portable(0, data.data(), data.size()) == whole);
    for (size_t split : {0u, 1u, 7u, 8u, 9u, 63u, 500u, 999u, 1000u}) {
      const uint32_t a = crc32c(std::string_view(data).substr(0, split));
      CHECK(crc32c_extend(a, data.data() + split, data.size() - split) == whole);
    }
    for (size_t start = 0; start < 8; ++start) {
      const auto part = std::string_view(data).substr(start, 300);
      CHECK(crc32c(part) == crc32c_extend_portable(0, part.data(), part.size()));
    }
  }
}
