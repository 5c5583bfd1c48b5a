// An orphan sweep's delete (key_update.hpp delete_of) as the sink writes it:
// DEL for every type, and a write of the same key coalesced after it (an event
// re-created the key before the pipeline went out) still lands on an empty key.
#include <doctest/doctest.h>

#include "runtime/key_update.hpp"
#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/update_coalescer.hpp"

using namespace rtfeat;

namespace {

using commands = std::vector<std::vector<std::string>>;

commands plan(std::vector<key_update> updates) {
  update_coalescer c;
  for (auto& u : updates) c.add(std::move(u));
  ttl_tracker ttl;
  recorded_commands out;
  auto pending = c.take();
  plan_commands(pending, ttl, 0, out);
  return out.commands;
}

}  // namespace

TEST_SUITE("runtime.redis.orphan_delete") {
  TEST_CASE("a sweep's delete is a DEL, whatever the key's type") {
    for (auto t : {redis_type::list, redis_type::string, redis_type::hash, redis_type::zset,
                   redis_type::hyperloglog})
      CHECK(plan({delete_of("k", t)}) == commands{{"DEL", "k"}});
  }
  TEST_CASE("a hash field written after the delete replaces the hash whole") {
    key_update h{.key = "k", .set = {{"a", "1"}}, .ttl_s = 60, .type = redis_type::hash};
    auto c = plan({delete_of("k", redis_type::hash), h});
    REQUIRE(c.size() >= 3);
    CHECK(c[0] == std::vector<std::string>{"MULTI"});
    CHECK(c[1] == std::vector<std::string>{"DEL", "k"});
    CHECK(c[2] == std::vector<std::string>{"HSET", "k", "a", "1"});
  }
  TEST_CASE("a delete coalesced after a write of the same key wins") {
    key_update l{.key = "k", .ttl_s = 60, .type = redis_type::list, .values = {"1"}};
    CHECK(plan({l, delete_of("k", redis_type::list)}) == commands{{"DEL", "k"}});
    key_update z{.key = "k", .set = {{"m", "5"}}, .ttl_s = 60, .type = redis_type::zset};
    CHECK(plan({z, delete_of("k", redis_type::zset)}) == commands{{"DEL", "k"}});
  }
}
