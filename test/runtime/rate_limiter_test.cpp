// rate_limiter: a reader limited to N events/s takes about N a second, in
// batches of 100 ms, and is never held up when there is no limit.
#include "runtime/rate_limiter.hpp"

#include <doctest/doctest.h>

using namespace rtfeat;

TEST_SUITE("runtime.rate_limiter") {
  TEST_CASE("no limit allows what is asked and waits 1 ms") {
    rate_limiter r;
    CHECK_FALSE(r.limited());
    CHECK(r.allowance(0, 2048) == 2048);
    r.take(2048);
    CHECK(r.allowance(0, 2048) == 2048);
    CHECK(r.wait_ms(0) == 1);
  }
  TEST_CASE("a reader starts with 100 ms of events and refills at the rate") {
    rate_limiter r(1000);
    CHECK(r.limited());
    CHECK(r.allowance(5000, 2048) == 100);
    CHECK(r.allowance(5000, 30) == 30);  // never more than asked
    r.take(100);
    CHECK(r.allowance(5000, 2048) == 0);
    CHECK(r.wait_ms(5000) == 100);  // a full bucket again in 100 ms
    CHECK(r.allowance(5010, 2048) == 10);
    CHECK(r.wait_ms(5010) == 90);
    CHECK(r.allowance(6000, 2048) == 100);  // a long pause does not save up more than the bucket
  }
  TEST_CASE("taking whatever is allowed, polled every millisecond, averages the rate") {
    rate_limiter r(2500);
    size_t taken = 0;
    for (int64_t now = 0; now < 10'000; ++now) {
      const size_t n = r.allowance(now, 64);
      r.take(n);
      taken += n;
    }
    CHECK(taken >= 25'000 - 64);
    CHECK(taken <= 25'000 + 250);  // the first bucket is extra
  }
  TEST_CASE("a rate under 10 per second still allows one event at a time") {
    rate_limiter r(3);
    CHECK(r.allowance(0, 10) == 1);
    r.take(1);
    CHECK(r.allowance(0, 10) == 0);
    CHECK(r.wait_ms(0) == 334);
    CHECK(r.allowance(334, 10) == 1);
  }
  TEST_CASE("a clock that goes back never adds tokens") {
    rate_limiter r(1000);
    r.take(r.allowance(1000, 2048));
    CHECK(r.allowance(900, 2048) == 0);
    CHECK(r.allowance(1001, 2048) == 1);
  }
}
