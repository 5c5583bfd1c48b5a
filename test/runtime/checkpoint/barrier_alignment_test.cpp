// Barrier alignment with two readers, one slow: the fast reader's messages
// after its barrier wait until the slow reader's barrier arrives.
#include <doctest/doctest.h>

#include <string>

#include "runtime/checkpoint/barrier_alignment.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.checkpoint.barrier_alignment") {
  TEST_CASE("a fast reader is held after its barrier until the slow reader's barrier arrives") {
    barrier_alignment<std::string> a(2);
    CHECK_FALSE(a.is_blocked(0));
    CHECK_FALSE(a.on_barrier(0, 7));  // fast reader: barrier 7 first
    CHECK(a.is_blocked(0));
    CHECK_FALSE(a.is_blocked(1));     // the slow reader's events before its barrier still flow
    a.hold(0, "fast-1");
    a.hold(0, "fast-2");
    CHECK(a.on_barrier(1, 7));        // aligned: snapshot now
    auto held = a.release();
    CHECK(held == std::vector<std::string>{"fast-1", "fast-2"});
    CHECK_FALSE(a.is_blocked(0));
    CHECK_FALSE(a.is_blocked(1));
  }
  TEST_CASE("a repeated barrier from the same reader does not complete the alignment") {
    barrier_alignment<int> a(2);
    CHECK_FALSE(a.on_barrier(0, 1));
    CHECK_FALSE(a.on_barrier(0, 1));
    CHECK(a.pending());
    CHECK(a.on_barrier(1, 1));
  }
  TEST_CASE("the next checkpoint aligns afresh after a release") {
    barrier_alignment<int> a(2);
    a.on_barrier(0, 1);
    a.on_barrier(1, 1);
    a.release();
    CHECK_FALSE(a.pending());
    CHECK_FALSE(a.on_barrier(1, 2));
    CHECK(a.on_barrier(0, 2));
  }
}
