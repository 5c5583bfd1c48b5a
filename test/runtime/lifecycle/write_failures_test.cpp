// The sink's view of failed Redis writes: what is logged, when it is a stall.
#include "runtime/redis/write_failures.hpp"

#include <doctest/doctest.h>

using namespace rtfeat;
using std::chrono::milliseconds;

TEST_SUITE("runtime.write_failures") {
  TEST_CASE("a new error is logged at once, a repeated one only after the repeat interval") {
    write_failures f(0, 5000);
    auto t0 = write_failures::clock::now();
    CHECK(f.on_failure("OOM", t0));
    CHECK_FALSE(f.on_failure("OOM", t0 + milliseconds(100)));
    CHECK(f.on_failure("Connection refused", t0 + milliseconds(200)));
    CHECK(f.on_failure("Connection refused", t0 + milliseconds(5300)));
    CHECK(f.in_a_row() == 4);
  }
  TEST_CASE("failing for the stall timeout is a stall; a success ends the run") {
    write_failures f(2000);
    auto t0 = write_failures::clock::now();
    f.on_failure("OOM", t0);
    CHECK_FALSE(f.stalled(t0 + milliseconds(1999)));
    CHECK(f.stalled(t0 + milliseconds(2000)));
    CHECK(f.failing_ms(t0 + milliseconds(2500)) == 2500);
    CHECK(f.on_success());
    CHECK_FALSE(f.stalled(t0 + milliseconds(9000)));
    CHECK(f.on_failure("OOM", t0 + milliseconds(9000)));  // news again after a recovery
  }
  TEST_CASE("a stall timeout of 0 never stalls") {
    write_failures f(0);
    auto t0 = write_failures::clock::now();
    f.on_failure("OOM", t0);
    CHECK_FALSE(f.stalled(t0 + std::chrono::hours(1)));
  }
}
