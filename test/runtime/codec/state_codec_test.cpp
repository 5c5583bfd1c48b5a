// The state stream: msgpack-c writes it, state_reader's own decoder reads it
// back, for every width msgpack picks, and refuses anything else.
#include <doctest/doctest.h>

#include <climits>
#include <string>
#include <vector>

#include <msgpack.hpp>

#include "runtime/codec/state_codec.hpp"

using namespace rtfeat;

namespace {

const std::vector<int64_t> some_ints{0, 1, -1, 127, 128, -32, -33, -128, -129, 255, 256, 65535, 65536, -32768,
                                     -32769, INT32_MAX, INT32_MIN, int64_t{1} << 40, INT64_MAX, INT64_MIN};

}  // namespace

TEST_SUITE("runtime.codec.state_codec") {
  TEST_CASE("streams written by msgpack-c (older checkpoints) read back, and msgpack-c reads ours") {
    msgpack::sbuffer theirs;
    msgpack::packer<msgpack::sbuffer> pk(theirs);
    for (auto v : some_ints) pk.pack_int64(v);
    pk.pack_uint64(UINT64_MAX);
    pk.pack_str(3), pk.pack_str_body("abc", 3);
    state_reader r(std::string_view(theirs.data(), theirs.size()));
    for (auto v : some_ints) CHECK(r.i64() == v);
    CHECK(r.u64() == UINT64_MAX);
    CHECK(r.str() == "abc");
    CHECK(r.ok());
    CHECK(r.at_end());

    state_writer ours;
    for (auto v : some_ints) ours.i64(v);
    ours.str(std::string(40, 'z'));
    auto bytes = ours.bytes();
    size_t off = 0;
    for (auto v : some_ints) CHECK(msgpack::unpack(bytes.data(), bytes.size(), off).get().as<int64_t>() == v);
    CHECK(msgpack::unpack(bytes.data(), bytes.size(), off).get().as<std::string>() == std::string(40, 'z'));
    CHECK(off == bytes.size());
  }
  TEST_CASE("a nested stream is a string holding its own values") {
    state_writer w;
    w.u64(7);
    auto mark = w.begin_nested();
    w.str("inner").i64(-3);
    w.end_nested(mark);
    w.u64(8);
    state_reader r(w.bytes());
    CHECK(r.u64() == 7);
    state_reader inner(r.str_view());
    CHECK(inner.str() == "inner");
    CHECK(inner.i64() == -3);
    CHECK(inner.at_end());
    CHECK(r.u64() == 8);
    CHECK(r.ok());
  }
  TEST_CASE("every integer width and string length msgpack writes reads back exactly") {
    std::vector<int64_t> ints{0, 1, -1, 127, 128, -32, -33, -128, -129, 255, 256, 65535, 65536, -32768, -32769,
                              INT32_MAX, INT32_MIN, int64_t{1} << 40, -(int64_t{1} << 40), INT64_MAX, INT64_MIN};
    std::vector<uint64_t> uints{0, 127, 128, 255, 256, 65536, UINT32_MAX, uint64_t{UINT32_MAX} + 1, UINT64_MAX};
    std::vector<std::string> strs;
    for (size_t n : {0, 1, 31, 32, 255, 256, 65535, 65536}) strs.emplace_back(n, 'x');
    state_writer w;
    for (auto v : ints) w.i64(v);
    for (auto v : uints) w.u64(v);
    for (const auto& v : strs) w.str(v);
    state_reader r(w.bytes());
    for (auto v : ints) CHECK(r.i64() == v);
    for (auto v : uints) CHECK(r.u64() == v);
    for (const auto& v : strs) CHECK(r.str() == v);
    CHECK(r.ok());
    CHECK(r.at_end());
  }
  TEST_CASE("a value of the wrong type or out of range is an error, not a guess") {
    state_writer w;
    w.str("a").i64(-5).u64(UINT64_MAX);
    state_reader r(w.bytes());
    r.i64();  // a string
    CHECK_FALSE(r.ok());
    state_reader r2(w.bytes());
    r2.str();
    r2.u64();  // negative
    CHECK_FALSE(r2.ok());
    state_reader r3(w.bytes());
    r3.str(), r3.i64();
    r3.i64();  // > INT64_MAX
    CHECK_FALSE(r3.ok());
    const std::string foreign("\xc0", 1);  // msgpack nil: never written
    state_reader r4(foreign);
    r4.u64();
    CHECK_FALSE(r4.ok());
  }
  TEST_CASE("a stream cut anywhere is reported") {
    state_writer w;
    w.str(std::string(300, 'y')).u64(uint64_t{1} << 33).i64(-70000);
    auto bytes = std::string(w.bytes());
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      state_reader r(std::string_view(bytes).substr(0, cut));
      r.str(), r.u64(), r.i64();
      CHECK_FALSE(r.ok());
    }
  }
}
