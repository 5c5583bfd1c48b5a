// A shard's count of update batches its sinks have not credited: when a flush may go.
#include <doctest/doctest.h>

#include "runtime/features/unwritten_batches.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.unwritten_batches") {
  TEST_CASE("a flush may go while every sink holds fewer batches than the limit") {
    unwritten_batches b(2, 2);
    CHECK(b.may_flush());
    b.sent(0);
    CHECK(b.may_flush());  // one batch in flight to sink 0: the next may wait in its mailbox
    b.sent(1);
    CHECK(b.may_flush());
    b.sent(0);
    CHECK_FALSE(b.may_flush());  // sink 0 holds two
    CHECK(b.credited(1));
    CHECK_FALSE(b.may_flush());  // sink 1's credit does not free sink 0
    CHECK(b.credited(0));
    CHECK(b.may_flush());
  }

  TEST_CASE("with a limit of one a flush waits for every credit") {
    unwritten_batches b(1, 1);
    b.sent(0);
    CHECK_FALSE(b.may_flush());
    CHECK(b.credited(0));
    CHECK(b.may_flush());
  }

  TEST_CASE("a credit for a batch never sent is refused and changes nothing") {
    unwritten_batches b(2, 2);
    CHECK_FALSE(b.credited(0));
    CHECK_FALSE(b.credited(5));  // not a sink of this shard
    b.sent(1), b.sent(1);
    CHECK_FALSE(b.credited(0));
    CHECK_FALSE(b.may_flush());
    CHECK(b.credited(1));
    CHECK(b.may_flush());
  }

  TEST_CASE("forced flushes past the limit are all credited before a flush may go again") {
    unwritten_batches b(1, 2);
    for (int i = 0; i < 4; ++i) b.sent(0);  // a barrier and a resync do not wait
    for (int i = 0; i < 2; ++i) CHECK(b.credited(0));
    CHECK_FALSE(b.may_flush());
    CHECK(b.credited(0));
    CHECK(b.may_flush());
  }
}
