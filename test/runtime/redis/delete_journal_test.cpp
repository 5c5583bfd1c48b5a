// The delete journal a resync sends again first: which updates delete what,
// how long they are kept, and that, replayed before the newer updates, a field
// set since wins over its delete.
#include <doctest/doctest.h>

#include "runtime/redis/command_plan.hpp"
#include "runtime/redis/delete_journal.hpp"
#include "runtime/redis/update_coalescer.hpp"

using namespace rtfeat;
using std::chrono::milliseconds;

namespace {

using fields = std::vector<std::pair<std::string, std::string>>;
using commands = std::vector<std::vector<std::string>>;

key_update hash(std::string key, fields set, std::vector<std::string> del, bool replace = false) {
  return key_update{.key = std::move(key), .set = std::move(set), .del = std::move(del), .replace = replace};
}

key_update values(std::string key, redis_type type, std::vector<std::string> v, bool replace = false) {
  return key_update{.key = std::move(key), .type = type, .values = std::move(v), .replace = replace};
}

const delete_journal::clock::time_point t0{};

}  // namespace

TEST_SUITE("runtime.redis.delete_journal") {
  TEST_CASE("only what deletes is kept, and only the delete of it") {
    CHECK_FALSE(deletes_of(hash("k", {{"a", "1"}}, {})));
    auto d = deletes_of(hash("k", {{"a", "1"}}, {"b", "c"}));
    REQUIRE(d);
    CHECK(d->set.empty());
    CHECK(d->del == std::vector<std::string>{"b", "c"});
    CHECK_FALSE(d->replace);
    CHECK_FALSE(deletes_of(hash("k", {{"a", "1"}}, {}, true)));  // written whole: so is its rewrite
    auto whole = deletes_of(hash("k", {}, {}, true));             // DEL
    REQUIRE(whole);
    CHECK(whole->replace);
    CHECK_FALSE(deletes_of(values("l", redis_type::list, {"x"})));
    CHECK(deletes_of(values("l", redis_type::list, {})));
    CHECK(deletes_of(values("s", redis_type::string, {})));
    CHECK_FALSE(deletes_of(values("s", redis_type::string, {"1"})));
    CHECK_FALSE(deletes_of(values("h", redis_type::hyperloglog, {"m"})));
    CHECK_FALSE(deletes_of(values("h", redis_type::hyperloglog, {"m"}, true)));
    CHECK(deletes_of(values("h", redis_type::hyperloglog, {}, true)));
  }
  TEST_CASE("deletes are kept for `keep` of written time, counted from the newest write") {
    delete_journal j(milliseconds(1000));
    std::vector<key_update> first{hash("a", {}, {"f"}), hash("b", {{"x", "1"}}, {})};
    j.record(first, t0);
    CHECK(j.entries() == 1);
    std::vector<key_update> second{hash("c", {}, {"g"})};
    j.record(second, t0 + milliseconds(900));
    CHECK(j.entries() == 2);
    CHECK(j.reach() == milliseconds(900));
    std::vector<key_update> none;
    j.record(none, t0 + milliseconds(1500));  // "a" was written 1.5 s before the newest write
    auto kept = j.deletes();
    REQUIRE(kept.size() == 1);
    CHECK(kept[0].key == "c");
    CHECK(j.reach() == milliseconds(1000));
  }
  TEST_CASE("a long outage keeps what was written before it: nothing is recorded meanwhile") {
    delete_journal j(milliseconds(1000));
    std::vector<key_update> before{hash("a", {}, {"f"})};
    j.record(before, t0);
    // Redis refused writes for a minute: the next record is the first pipeline after.
    CHECK(j.deletes().size() == 1);
  }
  TEST_CASE("past max_bytes the oldest go first, and the reach says how far back it is complete") {
    delete_journal j(milliseconds(10000), 120);
    for (int i = 0; i < 10; ++i) {
      std::vector<key_update> w{hash("key" + std::to_string(i), {}, {"field"})};
      j.record(w, t0 + milliseconds(100 * i));
    }
    CHECK(j.bytes() <= 120);
    CHECK(j.entries() < 10);
    CHECK(j.deletes().back().key == "key9");
    CHECK(j.reach() < milliseconds(900));
  }
  TEST_CASE("keep 0 records nothing") {
    delete_journal j(milliseconds(0));
    std::vector<key_update> w{hash("a", {}, {"f"})};
    j.record(w, t0);
    CHECK(j.entries() == 0);
    CHECK(j.deletes().empty());
  }
  TEST_CASE("replayed first, the deletes lose to a newer set of the same field and remove the rest") {
    delete_journal j(milliseconds(1000));
    std::vector<key_update> lost{hash("k", {}, {"stale", "revived"}), values("l", redis_type::list, {}),
                                 hash("z", {}, {}, true)};
    j.record(lost, t0);
    update_coalescer pending;
    for (auto& d : j.deletes()) pending.add(std::move(d));
    pending.add(hash("k", {{"revived", "2"}}, {}));  // newer: the rewrite of what the state holds
    ttl_tracker ttl;
    recorded_commands out;
    auto updates = pending.take();
    plan_commands(updates, ttl, 0, out);
    CHECK(out.commands == commands{{"HSET", "k", "revived", "2"}, {"HDEL", "k", "stale"}, {"DEL", "l"},
                              {"DEL", "z"}});
  }
}
