// CRC16 and key slots against Redis's published values: the CRC16 check value
// from Redis's crc16.c, the hash-tag cases of the Redis Cluster specification and
// the CLUSTER KEYSLOT examples of Redis's command reference.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "runtime/redis/cluster/crc16.hpp"
#include "runtime/redis/cluster/key_slot.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.redis.cluster.key_slot") {
  TEST_CASE("crc16 of 123456789 is Redis's check value 0x31C3") {
    CHECK(crc16("123456789") == 0x31C3);
    CHECK(crc16("") == 0);
  }
  TEST_CASE("crc16 depends on every byte and on their order") {
    CHECK(crc16("123456789") != crc16("123456788"));
    CHECK(crc16("ab") != crc16("ba"));
    // Bytes above 0x7f must not be sign-extended into the table index.
    CHECK(crc16("\xff") != crc16("\x7f"));
  }
  TEST_CASE("key_slot matches the CLUSTER KEYSLOT examples of Redis's documentation") {
    CHECK(key_slot("somekey") == 11058);
    CHECK(key_slot("foo{hash_tag}") == 2515);
    CHECK(key_slot("bar{hash_tag}") == 2515);
    CHECK(key_slot("123456789") == 0x31C3);  // 12739 < 16384: the mod changes nothing
  }
  TEST_CASE("keys with the same hash tag share a slot") {
    CHECK(key_slot("{user1000}.following") == key_slot("{user1000}.followers"));
    CHECK(key_slot("{user1000}.following") == key_slot("user1000"));
    CHECK(key_slot("user:feature:{u42}") == key_slot("u42"));
  }
  TEST_CASE("the hash tag is the first brace pair with content, as the specification lists") {
    CHECK(hash_tag_of("{user1000}.following") == "user1000");
    CHECK(hash_tag_of("foo{}{bar}") == "foo{}{bar}");  // an empty first tag: the whole key
    CHECK(hash_tag_of("foo{{bar}}zap") == "{bar");     // first `{`, then the first `}`
    CHECK(hash_tag_of("foo{bar}{zap}") == "bar");      // only the first tag counts
    CHECK(key_slot("foo{{bar}}zap") == key_slot("{bar"));
    CHECK(key_slot("foo{bar}{zap}") == key_slot("bar"));
  }
  TEST_CASE("unmatched or empty braces hash the whole key") {
    for (const char* key : {"{}", "{", "}", "foo{bar", "foo}bar{", "}{", ""}) {
      CAPTURE(key);
      CHECK(hash_tag_of(key) == key);
    }
    CHECK(key_slot("foo{}{bar}") == crc16("foo{}{bar}") % cluster_slot_count);
  }
  TEST_CASE("slots spread over the whole range and never reach 16384") {
    uint16_t lowest = cluster_slot_count, highest = 0;
    for (int i = 0; i < 20000; ++i) {
      const auto slot = key_slot("k" + std::to_string(i));
      lowest = std::min(lowest, slot), highest = std::max(highest, slot);
    }
    CHECK(lowest < 16);
    CHECK(highest >= cluster_slot_count - 16);
    CHECK(highest < cluster_slot_count);
  }
}
