// Partition watermarks, lateness and the min-merge of SPEC §4a.
#include <doctest/doctest.h>

#include "runtime/window/partition_watermark.hpp"
#include "runtime/window/watermark_merge.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.watermarks") {
  TEST_CASE("no event is late before the partition has a watermark") {
    partition_watermark w(5000);
    CHECK(w.current() == no_watermark);
    CHECK_FALSE(w.is_late(0, 60000));
  }
  TEST_CASE("an event later than the allowed lateness is late, one on the boundary is not") {
    partition_watermark w(5000);
    w.observe(1000000);
    CHECK(w.current() == 995000);
    CHECK_FALSE(w.is_late(935000, 60000));  // == W - L
    CHECK(w.is_late(934999, 60000));
  }
  TEST_CASE("an older event never moves the watermark back") {
    partition_watermark w(5000);
    w.observe(1000000);
    w.observe(900000);
    CHECK(w.current() == 995000);
  }
  TEST_CASE("the merged watermark waits for every participating reader") {
    watermark_merge m(3);
    m.update(0, 100);
    m.update(1, 50);
    CHECK(m.current() == no_watermark);
    m.exclude(2);
    CHECK(m.current() == 50);
  }
  TEST_CASE("the merged watermark never goes back when a reader rejoins lower") {
    watermark_merge m(2);
    m.update(0, 100);
    m.exclude(1);
    CHECK(m.current() == 100);
    m.exclude(1, false);
    m.update(1, 10);
    CHECK(m.current() == 100);
    m.update(1, 200);
    CHECK(m.current() == 100);
    m.update(0, 300);
    CHECK(m.current() == 200);
  }
}
