// When the sink sends EXPIRE: on creation, after a possible delete, and once a
// tenth of the TTL has passed.
#include <doctest/doctest.h>

#include "runtime/redis/ttl_tracker.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.redis.ttl_tracker") {
  TEST_CASE("the first write of a key sets its TTL and later writes refresh it after a tenth") {
    ttl_tracker t;
    CHECK(t.needs_expire("k", 1800, 0, false));
    CHECK_FALSE(t.needs_expire("k", 1800, 1000, false));
    CHECK_FALSE(t.needs_expire("k", 1800, 179999, false));
    CHECK(t.needs_expire("k", 1800, 180000, false));
    CHECK_FALSE(t.needs_expire("k", 1800, 200000, false));
  }
  TEST_CASE("a key that may have been deleted gets its TTL again when written") {
    ttl_tracker t;
    CHECK(t.needs_expire("k", 60, 0, false));
    t.may_delete("k");
    CHECK(t.needs_expire("k", 60, 1, false));
    CHECK(t.needs_expire("k", 60, 2, true));  // deleted and written again by the same write
    CHECK_FALSE(t.needs_expire("j", 0, 0, false));  // no TTL configured
  }
  TEST_CASE("removing fields of a key that holds a never-deleted field keeps its TTL record") {
    ttl_tracker t;
    CHECK(t.needs_expire("h", 60, 0, false, true));
    t.fields_removed("h");  // `_ts` is still there: the key was not emptied
    CHECK_FALSE(t.needs_expire("h", 60, 1, false));
    CHECK(t.needs_expire("g", 60, 0, false));
    t.fields_removed("g");  // maybe its last fields
    CHECK(t.needs_expire("g", 60, 1, false));
  }
  TEST_CASE("the never-deleted field is forgotten when the key may have expired or was deleted") {
    ttl_tracker t;
    CHECK(t.needs_expire("h", 60, 0, false, true));
    CHECK(t.needs_expire("h", 60, 6000, false));  // a refresh: maybe expired and created again without it
    t.fields_removed("h");
    CHECK(t.needs_expire("h", 60, 6001, false));
    CHECK(t.needs_expire("k", 60, 0, false, true));
    t.may_delete("k");
    CHECK(t.needs_expire("k", 60, 1, false));
  }
  TEST_CASE("after a failed connection nothing is trusted") {
    ttl_tracker t;
    CHECK(t.needs_expire("k", 60, 0, false));
    t.clear();
    CHECK(t.size() == 0);
    CHECK(t.needs_expire("k", 60, 1, false));
  }
}
