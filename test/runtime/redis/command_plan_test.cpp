// The commands the sink sends for coalesced key updates.
#include <doctest/doctest.h>

#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/hll_string.hpp"

using namespace rtfeat;

namespace {

using command = std::vector<std::string>;
using commands = std::vector<command>;

key_update hash(std::string key, std::vector<std::pair<std::string, std::string>> set,
                std::vector<std::string> del = {}) {
  key_update u;
  u.key = std::move(key), u.set = std::move(set), u.del = std::move(del), u.ttl_s = 1800;
  return u;
}

key_update list(std::string key, std::vector<std::string> values) {
  key_update u;
  u.key = std::move(key), u.type = redis_type::list, u.values = std::move(values), u.ttl_s = 600;
  return u;
}

commands plan(const std::vector<key_update>& updates, ttl_tracker& ttl, int64_t now_ms = 0) {
  recorded_commands out;
  auto n = plan_commands(updates, ttl, now_ms, out);
  CHECK(n == out.commands.size());
  return out.commands;
}

}  // namespace

TEST_SUITE("runtime.redis.command_plan") {
  TEST_CASE("a hash gets its TTL when first written, not on every write") {
    ttl_tracker ttl;
    CHECK(plan({hash("h", {{"a", "1"}})}, ttl)
          == commands{{"HSET", "h", "a", "1"}, {"EXPIRE", "h", "1800"}});
    CHECK(plan({hash("h", {{"a", "2"}}, {"b"})}, ttl, 1000) == commands{{"HSET", "h", "a", "2"}, {"HDEL", "h", "b"}});
  }
  TEST_CASE("after a delete that may empty a hash, the next write sets the TTL again") {
    ttl_tracker ttl;
    plan({hash("h", {{"a", "1"}})}, ttl);
    CHECK(plan({hash("h", {}, {"a"})}, ttl) == commands{{"HDEL", "h", "a"}});
    CHECK(plan({hash("h", {{"a", "1"}})}, ttl) == commands{{"HSET", "h", "a", "1"}, {"EXPIRE", "h", "1800"}});
  }
  TEST_CASE("a hash holding _ts keeps its TTL when a window removes its other fields") {
    ttl_tracker ttl;
    CHECK(plan({hash("h", {{"a", "1"}, {"_ts", "5"}})}, ttl)
          == commands{{"HSET", "h", "a", "1", "_ts", "5"}, {"EXPIRE", "h", "1800"}});
    CHECK(plan({hash("h", {}, {"a"})}, ttl, 1000) == commands{{"HDEL", "h", "a"}});
    CHECK(plan({hash("h", {{"b", "1"}})}, ttl, 2000) == commands{{"HSET", "h", "b", "1"}});
  }
  TEST_CASE("whole values are replaced inside shared MULTI/EXEC blocks, after the plain writes") {
    ttl_tracker ttl;
    std::vector<key_update> updates;
    for (size_t i = 0; i <= whole_keys_per_block; ++i) updates.push_back(list("l" + std::to_string(i), {"7"}));
    updates.push_back(hash("h", {{"a", "1"}}));
    auto got = plan(updates, ttl);
    REQUIRE(got.size() == 2 + 3 * (whole_keys_per_block + 1) + 4);
    CHECK(got[0] == command{"HSET", "h", "a", "1"});
    CHECK(got[2] == command{"MULTI"});
    CHECK(got[3] == command{"RPUSH", "l0", "7"});
    CHECK(got[4] == command{"LTRIM", "l0", "-1", "-1"});
    CHECK(got[5] == command{"EXPIRE", "l0", "600"});
    CHECK(got[3 + 3 * whole_keys_per_block] == command{"EXEC"});
    CHECK(got[4 + 3 * whole_keys_per_block] == command{"MULTI"});
    CHECK(got.back() == command{"EXEC"});
  }
  TEST_CASE("a list is replaced in place: RPUSH of the new list, LTRIM to its length, EXPIRE only when due") {
    ttl_tracker ttl;
    plan({list("l", {"1", "2", "3"})}, ttl);
    CHECK(plan({list("l", {"4", "1"})}, ttl, 1000)
          == commands{{"MULTI"}, {"RPUSH", "l", "4", "1"}, {"LTRIM", "l", "-2", "-1"}, {"EXEC"}});
    CHECK(plan({list("l", {"5"})}, ttl, 60'000)
          == commands{{"MULTI"}, {"RPUSH", "l", "5"}, {"LTRIM", "l", "-1", "-1"}, {"EXPIRE", "l", "600"}, {"EXEC"}});
  }
  TEST_CASE("a list emptied and written again gets its TTL again") {
    ttl_tracker ttl;
    plan({list("l", {"1"})}, ttl);
    plan({list("l", {})}, ttl);
    CHECK(plan({list("l", {"2"})}, ttl)
          == commands{{"MULTI"}, {"RPUSH", "l", "2"}, {"LTRIM", "l", "-1", "-1"}, {"EXPIRE", "l", "600"}, {"EXEC"}});
  }
  TEST_CASE("a HyperLogLog rewritten from its members is one SET with its TTL, outside any transaction") {
    ttl_tracker ttl;
    key_update h;
    h.key = "uv", h.type = redis_type::hyperloglog, h.replace = true, h.values = {"u1", "u2"}, h.ttl_s = 3600;
    CHECK(plan({h}, ttl) == commands{{"SET", "uv", redis_hll_of({"u1", "u2"}), "EX", "3600"}});
    h.replace = false, h.values = {"u3"};  // the SET gave the TTL: no EXPIRE with the next PFADD
    CHECK(plan({h}, ttl, 1000) == commands{{"PFADD", "uv", "u3"}});
  }
  TEST_CASE("an emptied list, string or replaced set is deleted without a transaction") {
    ttl_tracker ttl;
    key_update s;
    s.key = "s", s.type = redis_type::string;
    key_update z;
    z.key = "z", z.type = redis_type::zset, z.replace = true;
    CHECK(plan({list("l", {}), s, z}, ttl) == commands{{"DEL", "l"}, {"DEL", "s"}, {"DEL", "z"}});
  }
  TEST_CASE("a string always carries its TTL: SET without EX would drop it") {
    ttl_tracker ttl;
    key_update s;
    s.key = "s", s.type = redis_type::string, s.values = {"12.5000"}, s.ttl_s = 86400;
    CHECK(plan({s}, ttl) == commands{{"SET", "s", "12.5000", "EX", "86400"}});
    CHECK(plan({s}, ttl) == commands{{"SET", "s", "12.5000", "EX", "86400"}});
  }
}
