// Held keys: what a shard keeps of an orphan sweep's candidates, and the
// deletes it writes for the others.
#include <doctest/doctest.h>

#include "runtime/features/held_keys.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.held_keys") {
  TEST_CASE("a candidate written since the resync's rewrite is kept, one that was not is deleted") {
    held_keys held;
    held.open();
    held.record({key_update{.key = "user:seq:{u1}", .type = redis_type::list, .values = {"3"}}});
    std::vector<key_update> out;
    auto n = held.deletes_for(
      {{"user:seq:{u1}", redis_type::list}, {"user:seq:{u2}", redis_type::list}}, out);
    CHECK(n == 1);
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "user:seq:{u2}");
    CHECK(out[0].type == redis_type::list);
    CHECK(out[0].values.empty());  // an empty list: DEL
  }
  TEST_CASE("keys are recorded only while a sweep is open, and a new resync starts over") {
    held_keys held;
    held.record({key_update{.key = "a"}});
    CHECK_FALSE(held.holds("a"));
    held.open();
    held.record({key_update{.key = "a"}});
    held.open();  // another loss: its rewrite records what is held again
    CHECK_FALSE(held.holds("a"));
    held.record({key_update{.key = "b"}});
    held.close();
    CHECK(held.holds("b"));  // one sweep still open
    held.close();
    CHECK_FALSE(held.recording());
    CHECK_FALSE(held.holds("b"));
  }
  TEST_CASE(
    "a delete is an empty value of the key's type, a whole one for hashes, zsets and "
    "HyperLogLogs") {
    CHECK(delete_of("k", redis_type::string).values.empty());
    CHECK_FALSE(delete_of("k", redis_type::string).replace);
    for (auto t : {redis_type::hash, redis_type::zset, redis_type::hyperloglog}) {
      auto d = delete_of("k", t);
      CHECK(d.replace);
      CHECK(d.set.empty());
      CHECK(d.values.empty());
      CHECK(d.registers.empty());
      CHECK(d.type == t);
    }
  }
}
