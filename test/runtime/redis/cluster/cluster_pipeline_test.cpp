// cluster_pipeline's plans, driven by hand-written replies as three masters
// would send them: grouping and order, MOVED, ASK, back-off and the limits that
// turn a redirect loop or a cluster that stays down into a failure.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/redis/cluster/cluster_pipeline.hpp"
#include "runtime/redis/cluster/key_slot.hpp"

using namespace rtfeat;

namespace {

const node_address a{.host = "10.0.0.1", .port = 7000};
const node_address b{.host = "10.0.0.2", .port = 7000};
const node_address c{.host = "10.0.0.3", .port = 7000};

/// The slots `redis-cli --cluster create` gives three masters.
slot_map three_masters() {
  auto parsed = slot_map::from_ranges({{.first = 0, .last = 5460, .master = a, .replicas = {}},
                                       {.first = 5461, .last = 10922, .master = b, .replicas = {}},
                                       {.first = 10923, .last = 16383, .master = c, .replicas = {}}});
  REQUIRE(std::holds_alternative<slot_map>(parsed));
  return std::get<slot_map>(std::move(parsed));
}

keyed_command set(const std::string& key) { return {.args = {"SET", key, "1"}, .key_index = 1}; }

/// The first key "<prefix><n>" whose slot `map` gives to `master`.
std::string key_on(const slot_map& map, const node_address& master, const std::string& prefix = "k") {
  for (int n = 0;; ++n) {
    auto key = prefix + std::to_string(n);
    if (map.master_of(key_slot(key)) == master) return key;
  }
}

std::string redirect(const char* kind, const std::string& key, const node_address& to) {
  return std::string(kind) + " " + std::to_string(key_slot(key)) + " " + to.to_string();
}

std::vector<size_t> ids(const node_batch& batch) {
  std::vector<size_t> out;
  for (const auto& p : batch.commands) out.push_back(p.id);
  return out;
}

}  // namespace

TEST_SUITE("runtime.redis.cluster.cluster_pipeline") {
  TEST_CASE("each master gets one batch per round, in the order the commands were added") {
    auto map = three_masters();
    cluster_pipeline p(map);
    std::vector<node_address> owner;
    for (int i = 0; i < 60; ++i) {
      auto key = "user:feature:{u" + std::to_string(i) + "}";
      owner.push_back(map.master_of(key_slot(key)));
      CHECK(p.add(set(key)) == static_cast<size_t>(i));
    }
    auto round = p.next_round();
    REQUIRE(round.size() == 3);
    size_t sent = 0;
    for (const auto& batch : round) {
      std::vector<size_t> expected;
      for (size_t id = 0; id < owner.size(); ++id) {
        if (owner[id] == batch.node) expected.push_back(id);
      }
      CHECK(ids(batch) == expected);
      sent += batch.commands.size();
      for (const auto& planned : batch.commands) CHECK_FALSE(planned.asking);
    }
    CHECK(sent == 60);
    CHECK(round[0].node == owner[0]);  // masters in order of their first command
  }
  TEST_CASE("MOVED updates the slot map and sends the command and its slot to the new master") {
    auto map = three_masters();
    const auto key = key_on(map, a);
    cluster_pipeline p(map);
    const auto id = p.add(set(key));
    auto first = p.next_round();
    REQUIRE(first.size() == 1);
    CHECK(first[0].node == a);
    p.on_error_reply(id, redirect("MOVED", key, b));
    CHECK(map.master_of(key_slot(key)) == b);
    CHECK(p.map_is_stale());
    CHECK(p.status(id) == command_status::pending);
    const auto later = p.add(set("{" + key + "}:other"));  // same slot, added after the MOVED
    auto second = p.next_round();
    REQUIRE(second.size() == 1);
    CHECK(second[0].node == b);
    CHECK(ids(second[0]) == std::vector<size_t>{id, later});
    CHECK_FALSE(second[0].commands[0].asking);
    p.on_success(id);
    p.on_success(later);
    CHECK(p.finished());
    CHECK(p.counts().moved == 1);
    CHECK(p.status(id) == command_status::done);
  }
  TEST_CASE("ASK sends once to the importing node behind ASKING and leaves the slot map alone") {
    auto map = three_masters();
    const auto key = key_on(map, a);
    cluster_pipeline p(map);
    const auto id = p.add(set(key));
    p.next_round();
    p.on_error_reply(id, redirect("ASK", key, c));
    CHECK(map.master_of(key_slot(key)) == a);
    CHECK_FALSE(p.map_is_stale());
    auto asked = p.next_round();
    REQUIRE(asked.size() == 1);
    CHECK(asked[0].node == c);
    CHECK(asked[0].commands[0].asking);
    // The importing node cannot serve it yet: the retry goes to the owner again, without ASKING.
    p.on_error_reply(id, "TRYAGAIN Multiple keys request during rehashing of slot");
    auto again = p.next_round();
    REQUIRE(again.size() == 1);
    CHECK(again[0].node == a);
    CHECK_FALSE(again[0].commands[0].asking);
    p.on_success(id);
    CHECK(p.finished());
    CHECK(p.counts().ask == 1);
    CHECK(p.counts().moved == 0);
  }
  TEST_CASE("a MOVED loop fails the command after max_redirects instead of going round forever") {
    auto map = three_masters();
    const auto key = key_on(map, a);
    cluster_pipeline p(map, {.max_redirects = 3});
    const auto id = p.add(set(key));
    const auto bystander = p.add(set(key_on(map, b, "other")));
    int rounds = 0;
    while (!p.finished()) {
      REQUIRE(++rounds <= 10);
      for (const auto& batch : p.next_round()) {
        for (const auto& planned : batch.commands) {
          if (planned.id == bystander) {
            p.on_success(planned.id);
          } else {
            p.on_error_reply(planned.id, redirect("MOVED", key, batch.node == a ? b : a));
          }
        }
      }
    }
    CHECK(rounds == 4);  // three redirects followed, the fourth is one too many
    CHECK(p.status(id) == command_status::failed);
    CHECK(p.failure(id) == command_failure::too_many_redirects);
    CHECK(p.error(id).starts_with("MOVED "));
    CHECK(p.status(bystander) == command_status::done);
    CHECK(p.counts().failed == 1);
  }
  TEST_CASE("TRYAGAIN and CLUSTERDOWN back off, doubling, and fail after max_retries") {
    auto map = three_masters();
    cluster_pipeline p(map, {.max_retries = 3, .first_backoff_ms = 10, .max_backoff_ms = 25});
    const auto id = p.add(set("k"));
    std::vector<int64_t> waits;
    while (!p.finished()) {
      REQUIRE(waits.size() <= 5);
      p.next_round();
      p.on_error_reply(id, waits.size() % 2 == 0 ? "CLUSTERDOWN The cluster is down" : "TRYAGAIN slot");
      waits.push_back(p.backoff_ms());
    }
    CHECK(waits == std::vector<int64_t>{10, 20, 25, 0});  // the cap, then no wait once it failed
    CHECK(p.failure(id) == command_failure::too_many_retries);
    CHECK(p.counts().retried == 3);
  }
  TEST_CASE("a lost reply is retried and marks the slot map stale") {
    auto map = three_masters();
    cluster_pipeline p(map);
    const auto id = p.add(set("k"));
    p.next_round();
    p.on_no_reply(id, "redis 10.0.0.1:7000: Connection reset by peer");
    CHECK(p.map_is_stale());
    CHECK(p.backoff_ms() == 10);
    CHECK(p.next_round().size() == 1);
    p.on_success(id);
    CHECK(p.finished());
  }
  TEST_CASE("an error reply that no resend can fix fails its command only") {
    auto map = three_masters();
    cluster_pipeline p(map);
    const auto bad = p.add(set("k1"));
    const auto good = p.add(set("k2"));
    for (const auto& batch : p.next_round()) {
      for (const auto& planned : batch.commands) {
        if (planned.id == bad) {
          p.on_error_reply(bad, "WRONGTYPE Operation against a key holding the wrong kind of value");
        } else {
          p.on_success(planned.id);
        }
      }
    }
    CHECK(p.finished());
    CHECK(p.failure(bad) == command_failure::error_reply);
    CHECK(p.error(bad).starts_with("WRONGTYPE"));
    CHECK(p.status(good) == command_status::done);
    CHECK(p.error(good).empty());
    CHECK(p.next_round().empty());
  }
}

TEST_SUITE("redis.cluster.pipeline.routed") {
  TEST_CASE("a routed unit goes to its slot's master and follows MOVED like a command") {
    auto map = three_masters();
    cluster_pipeline p(map);
    const auto key = key_on(map, b);
    auto id = p.add_routed(key_slot(key));
    auto round = p.next_round();
    REQUIRE(round.size() == 1);
    CHECK(round[0].node == b);
    CHECK(p.command(id).args.empty());
    p.on_error_reply(id, redirect("MOVED", key, c));
    round = p.next_round();
    REQUIRE(round.size() == 1);
    CHECK(round[0].node == c);
    p.on_success(id);
    CHECK(p.finished());
    CHECK(map.master_of(key_slot(key)) == c);
  }
}
