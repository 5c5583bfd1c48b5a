// The future-skew rule of docs/semantics.md: a lone event far ahead of W_p is
// refused and remembered; a second one within F of it is a real jump.
#include <doctest/doctest.h>

#include "runtime/window/future_skew_guard.hpp"

using namespace rtfeat;

namespace {
constexpr int64_t F = 600'000;  // 10 min
constexpr int64_t W = 1'700'000'000'000;
constexpr int64_t hours_12 = 12 * 3'600'000;
}  // namespace

TEST_SUITE("runtime.future_skew_guard") {
  TEST_CASE("with the rule off every event is admitted") {
    future_skew_guard g(0);
    CHECK(g.admit(W + hours_12, W));
    CHECK(g.suspect() == no_future_suspect);
  }
  TEST_CASE("an event exactly F ahead is admitted, one ms more is refused and held") {
    future_skew_guard g(F);
    CHECK(g.admit(W + F, W));
    CHECK_FALSE(g.admit(W + F + 1, W));
    CHECK(g.suspect() == W + F + 1);
  }
  TEST_CASE("a partition without a watermark has no suspects") {
    future_skew_guard g(F);
    CHECK(g.admit(W + hours_12, no_watermark));
    CHECK(g.suspect() == no_future_suspect);
  }
  TEST_CASE("normal traffic after a lone future event is admitted and the suspect stays") {
    future_skew_guard g(F);
    CHECK_FALSE(g.admit(W + hours_12, W));
    CHECK(g.admit(W + 1000, W));
    CHECK(g.suspect() == W + hours_12);
  }
  TEST_CASE("a second event within F of the suspect is admitted and clears it") {
    future_skew_guard g(F);
    CHECK_FALSE(g.admit(W + hours_12, W));
    CHECK(g.admit(W + hours_12 - F, W));  // |ts - s| == F: agrees
    CHECK(g.suspect() == no_future_suspect);
    // With the suspect cleared, a third far event is a new suspect.
    CHECK_FALSE(g.admit(W + 2 * hours_12, W));
  }
  TEST_CASE("a second event farther than F from the suspect replaces it") {
    future_skew_guard g(F);
    CHECK_FALSE(g.admit(W + hours_12, W));
    CHECK_FALSE(g.admit(W + hours_12 + F + 1, W));
    CHECK(g.suspect() == W + hours_12 + F + 1);
    CHECK(g.admit(W + hours_12 + 2 * F, W));
  }
  TEST_CASE("a restored suspect confirms like one seen before the restore") {
    future_skew_guard g(F);
    g.restore(W + hours_12);
    CHECK(g.admit(W + hours_12 + 5, W));
    CHECK(g.suspect() == no_future_suspect);
  }
}
