// slot_tags: every slot has a tag that hashes to it, the shortest one tried,
// and a marker key built with it lands in that slot whatever surrounds the tag.
#include <doctest/doctest.h>

#include <string>

#include "runtime/redis/cluster/key_slot.hpp"
#include "runtime/redis/cluster/slot_tags.hpp"
#include "runtime/redis/dataset_marker.hpp"

using namespace rtfeat;

TEST_SUITE("redis.cluster.slot_tags") {
  TEST_CASE("every slot's tag hashes to that slot") {
    for (uint32_t slot = 0; slot < cluster_slot_count; ++slot) {
      const auto& tag = tag_for_slot(static_cast<uint16_t>(slot));
      REQUIRE_FALSE(tag.empty());
      REQUIRE(key_slot(tag) == slot);
    }
  }
  TEST_CASE("tags are the first numbers to reach their slot") {
    // "0" is the first number tried, so it owns its slot; "123456789" is CRC16's check value 0x31C3.
    CHECK(tag_for_slot(key_slot("0")) == "0");
    CHECK(key_slot("123456789") == (0x31C3 % cluster_slot_count));
  }
  TEST_CASE("a marker in a slot's tag lives in that slot, per writer") {
    auto m1 = dataset_marker::in_slot_of(tag_for_slot(4242), "0.0", "tok");
    auto m2 = dataset_marker::in_slot_of(tag_for_slot(4242), "0.1", "tok");
    CHECK(key_slot(m1.key()) == 4242);
    CHECK(key_slot(m2.key()) == 4242);
    CHECK(m1.key() != m2.key());
    CHECK(m1.key().starts_with(redis_internal_prefix));
  }
}
