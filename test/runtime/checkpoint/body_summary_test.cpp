// Body summaries for `checkpoints inspect`: msgpack shapes, and garbage described
// rather than thrown.
#include <doctest/doctest.h>

#include <string>

#include "runtime/checkpoint/body_summary.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.checkpoint.body_summary") {
  TEST_CASE("a msgpack map and array are described by type and size") {
    // {"a": 1, "b": 2} then [true]
    const std::string body = "\x82\xa1" "a\x01\xa1" "b\x02\x91\xc3";
    const std::string s = describe_msgpack(body, 8);
    CHECK(s.find("#0 at byte 0: map of 2 entries (keys: str, values: uint)") != std::string::npos);
    CHECK(s.find("#1 at byte 7: array of 1 elements (first: bool)") != std::string::npos);
  }
  TEST_CASE("bytes that are not msgpack are reported, not thrown") {
    const std::string body = "\xc1\xc1\xc1";  // 0xc1 is never used in msgpack
    CHECK(describe_msgpack(body, 8).find("not msgpack") != std::string::npos);
    CHECK(describe_msgpack("\x92\x01", 8).find("not msgpack") != std::string::npos);
    CHECK(describe_msgpack("", 8) == "(empty body)\n");
  }
  TEST_CASE("the hex dump shows offsets, bytes and printable characters") {
    const std::string dump = hex_dump("RTFS\x01", 64);
    CHECK(dump == "00000000  52 54 46 53 01" + std::string(33, ' ') + "  |RTFS.|\n");
    CHECK(hex_dump(std::string(100, 'x'), 16).find("(84 more bytes)") != std::string::npos);
  }
}
