// The compact event codec: varints and zigzag at their edges, and truncated
// input makes the reader not ok instead of reading past the end.
#include <doctest/doctest.h>

#include <limits>

#include "runtime/codec/event_codec.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.codec.event_codec") {
  TEST_CASE("integers round-trip at their edges and small ones take one byte") {
    std::string buf;
    byte_writer w(buf);
    const int64_t signed_values[] = {0, -1, 1, 63, -64, 64, std::numeric_limits<int64_t>::min(),
                                     std::numeric_limits<int64_t>::max(), 1732450000123};
    for (auto v : signed_values) w.i64(v);
    w.u64(std::numeric_limits<uint64_t>::max());
    w.u64(127);
    byte_reader r(buf);
    for (auto v : signed_values) CHECK(r.i64() == v);
    CHECK(r.u64() == std::numeric_limits<uint64_t>::max());
    CHECK(r.u64() == 127);
    CHECK(r.ok());
    CHECK(r.remaining() == 0);
    std::string one;
    byte_writer(one).i64(-64);
    CHECK(one.size() == 1);
  }
  TEST_CASE("a truncated string or varint makes the reader not ok") {
    std::string buf;
    byte_writer w(buf);
    w.str("hello");
    byte_reader r(std::string_view(buf).substr(0, 4));
    std::string s;
    r.str(s);
    CHECK_FALSE(r.ok());
    CHECK(s.empty());
    byte_reader v("\x80\x80");
    v.u64();
    CHECK_FALSE(v.ok());
  }
  TEST_CASE("an event with an impossible behaviour is refused") {
    std::string buf;
    byte_writer w(buf);
    event e;
    write_event(w, e);
    buf[0] = 7;
    byte_reader r(buf);
    event out;
    CHECK_FALSE(read_event(r, out));
  }
}
