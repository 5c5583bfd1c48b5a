// The sawtooth window of SPEC §4a: tail(W) and per-slide buckets.
#include <doctest/doctest.h>

#include "runtime/window/sliding_window.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.sliding_window") {
  TEST_CASE("tail is floor((W + 1 - S) / D) * D, aligned to epoch 0") {
    sliding_spec w{1800000, 300000};  // 30 min / 5 min
    // W + 1 - S = 300000 exactly: the tail sits on that slide edge.
    CHECK(w.tail(2099999) == 300000);
    CHECK(w.tail(2099998) == 0);
    CHECK(w.tail(2399998) == 300000);
    CHECK(w.tail(2399999) == 600000);
    CHECK(w.tail(no_watermark) == no_watermark);
  }
  TEST_CASE("floor division rounds negative numbers down") {
    CHECK(floor_div(-1, 300) == -1);
    CHECK(floor_div(-300, 300) == -1);
    CHECK(floor_div(-301, 300) == -2);
    CHECK(floor_div(299, 300) == 0);
  }
  TEST_CASE("an event's bucket is the slide it falls in") {
    sliding_spec w{1800000, 300000};
    CHECK(w.bucket_of(300000) == 300000);
    CHECK(w.bucket_of(599999) == 300000);
    CHECK(w.bucket_of(600000) == 600000);
  }
  TEST_CASE("buckets before the tail leave whole, the rest stay") {
    bucket_counts c;
    CHECK(c.add(600));
    CHECK_FALSE(c.add(600));
    CHECK(c.add(0));  // out of order, older bucket
    CHECK(c.add(300));
    CHECK(c.total() == 4);
    CHECK(c.evict_before(300));
    CHECK(c.total() == 3);
    CHECK_FALSE(c.evict_before(300));
    CHECK(c.evict_before(601));
    CHECK(c.empty());
  }
}
