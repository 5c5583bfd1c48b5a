// A rollback, deterministically (CAF's testing scheduler): events go reader ->
// user and category shards -> a sink probe whose update batches are folded into
// what Redis would hold. Run A reads every event. Run B takes two checkpoints,
// reads on past the second (the work a crash loses, already in Redis), loses
// every actor, and restarts from checkpoint 2: shards restored from what they
// saved, a reader at the checkpointed offset. Redis must end as run A left it.
// test/integration/crash_recovery_test.sh does the same with processes, Kafka's
// mock and Redis, in seconds.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/keyed_shard.hpp"
#include "actors/partition_reader.hpp"
#include "runtime/checkpoint/snapshot_bodies.hpp"
#include "test/support/caf_test_system.hpp"
#include "test/support/drained_reader.hpp"
#include "test/support/memory_source.hpp"
#include "test/support/redis_image.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr size_t event_count = 160;
constexpr size_t first_checkpoint = 40;  // events read before barrier 1
constexpr size_t checkpoint_at = 88;     // before barrier 2, the one restored
constexpr size_t lost_until = 125;       // read, written to Redis, then lost with the actors

/// A little shop's log, the same every call: 5 users, 8 items in 3 categories,
/// views, clicks (with prices), carts, favs, purchases (with amounts) and searches
/// in a fixed pseudo-random mix, some with a campaign and region; one event every
/// 40 s (minus up to 9 s): the log spans 107 min, so every window slides, the 1 h
/// ones after the restore too. The events on either side of checkpoint 2 are
/// purchases: their amounts stay in the 24 h sums to the end, so one read twice or
/// never shows in Redis's end state (a view would have left its window by then).
std::vector<std::string> shop_events() {
  static constexpr std::array kinds{"view",  "view", "view", "view",     "click", "click",
                                    "click", "cart", "fav",  "purchase", "search"};
  uint64_t x = 42;
  auto next = [&](uint64_t n) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int64_t>((x >> 33) % n);
  };
  std::vector<std::string> out;
  for (size_t i = 0; i < event_count; ++i) {
    auto user = next(5), item = next(8), jitter = next(10);
    std::string kind = kinds[static_cast<size_t>(next(kinds.size()))];
    if (i == checkpoint_at - 1 || i == checkpoint_at) kind = "purchase";
    std::string line = R"({"user_id":"u)" + std::to_string(user) + R"(","behavior":")" + kind
                       + R"(","ts":)"
                       + std::to_string(t0 + static_cast<int64_t>(i) * 40'000 - jitter * 1'000);
    if (kind != "search")
      line += R"(,"item_id":"i)" + std::to_string(item) + R"(","category_id":)"
              + std::to_string(1 + item % 3);
    if (kind == "click") line += R"(,"price":)" + std::to_string(20 + next(900));
    if (kind == "purchase") line += R"(,"amount":)" + std::to_string(10 + next(200));
    if (i % 3 == 0)
      line += R"(,"campaign_id":"c)" + std::to_string(next(2)) + R"(","region":")"
              + (next(2) == 0 ? "hz" : "sh") + "\"";
    out.push_back(line + "}");
  }
  return out;
}

/// Where a reader starts when nothing is restored.
constexpr reader_position from_start{.watermark = no_watermark,
                                     .future_suspect = no_future_suspect};

/// One node's job graph on the testing scheduler: a reader, a user shard and a
/// category shard (every key group each, as in actors/job_graph.cpp), and probes
/// for the coordinator, the sink (it "writes" each update batch into `redis` and
/// credits it) and the snapshot writer (it keeps what the shards save).
struct pipeline : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> coordinator, dead_letters, sink, writer;
  node_metrics metrics;
  std::shared_ptr<const feature_plan> plan =
    std::make_shared<const feature_plan>(test::default_plan());
  caf::actor reader, users, categories;
  test::redis_image redis;                 // every update batch the sink probe got, in order
  size_t slid = 0;                         // counts that went down: a window slid past clicks
  std::vector<shard_snapshot> snapshots;   // what the shards saved at barriers, in order
  std::vector<reader_position> positions;  // the reader's at barriers
  size_t ends = 0;                         // shards that ended the sink

  pipeline() {
    for (auto* a : {&coordinator, &dead_letters, &sink, &writer})
      *a = std::make_unique<caf::scoped_actor>(*sys);
  }
  ~pipeline() { kill(); }
  static caf::actor handle(std::unique_ptr<caf::scoped_actor>& a) {
    return caf::actor_cast<caf::actor>(*a);
  }

  /// Spawns the shards (restoring `bodies` unless null) and a reader of `source` from `at`.
  void start(test::memory_source& source, const reader_position& at = from_start,
             const std::shared_ptr<const restored_bodies>& bodies = nullptr) {
    users = shard(shard_kind::user, bodies);
    categories = shard(shard_kind::category, bodies);
    auto routes = std::make_shared<routing>();
    routes->users.assign({users}, 128);
    routes->categories.assign({categories}, 128);
    auto r = test::drained_reader(source, plan, routes, handle(dead_letters), handle(coordinator), metrics);
    r.batch_events = 8;
    r.poll_max = 4;
    r.start_offset = at.next_offset;
    r.start_watermark = at.watermark;
    r.start_future_suspect = at.future_suspect;
    reader = sys->spawn(partition_reader, std::move(r));
  }
  caf::actor shard(shard_kind kind, std::shared_ptr<const restored_bodies> bodies) {
    shard_settings s;
    s.kind = kind;
    s.plan = plan;
    s.readers = 1;
    s.sinks = {handle(sink)};
    s.metrics = &metrics;
    for (uint32_t kg = 0; kg < 128; ++kg) s.key_groups.push_back(kg);
    s.file_offset = kind == shard_kind::user ? 0 : 128;
    s.snapshot_writer = handle(writer);
    s.restore = std::move(bodies);
    return sys->spawn(keyed_shard, std::move(s));
  }

  /// Messages and every timer, until three rounds in a row write nothing to Redis.
  void settle() {
    for (int quiet = 0, round = 0; quiet < 3; ++round) {
      if (round == 1000) FAIL("the pipeline does not settle");
      sched->run();
      quiet = drain_probes() ? 0 : quiet + 1;
      sched->trigger_timeouts();
    }
  }
  /// Makes `source` available up to offset `until`, `step` events at a time, each
  /// step settled: shards flush between the steps, as they would in a live stream.
  void feed(test::memory_source& source, size_t until, size_t step = 5) {
    for (auto n = source.delivered(); n < until;) {
      n = std::min(n + step, until);
      source.make_available(n);
      settle();
    }
    CHECK(source.delivered() == until);
  }
  /// Barrier `id` to the reader, as the coordinator sends it, and what follows.
  void barrier(uint64_t id) {
    (*coordinator)->send(reader, barrier_atom::value, id);
    settle();
  }
  /// The crash: every actor gone at once, whatever it was doing.
  void kill() {
    for (auto* a : {&reader, &users, &categories})
      if (*a) caf::anon_send_exit(*a, caf::exit_reason::kill), *a = caf::actor{};
    sched->run();
  }

private:
  /// Clicks per category and per item that `updates` lower or delete: only a
  /// window sliding past clicks lowers a count.
  size_t lowered_counts(const std::vector<key_update>& updates) const {
    size_t n = 0;
    auto is_count = [](const std::string& f) { return f.starts_with("cat:") || f == "clicks"; };
    for (const auto& u : updates) {
      auto it = redis.keys().find(u.key);
      if (u.type != redis_type::hash || it == redis.keys().end()) continue;
      for (const auto& f : u.del) n += is_count(f) && it->second.fields.contains(f);
      for (const auto& [f, value] : u.set)
        if (auto old = it->second.fields.find(f); is_count(f) && old != it->second.fields.end())
          n += std::stoll(value) < std::stoll(old->second);
    }
    return n;
  }
  /// Takes what reached the probes; true when the sink got an update batch. (A
  /// receive with a zero timeout waits on a condition variable: empty mailboxes are skipped.)
  bool drain_probes() {
    bool wrote = false;
    auto none = [] { return caf::after(std::chrono::seconds(0)) >> [] {}; };
    while (!(*sink)->mailbox().empty())
      (*sink)->receive(
        [&](update_batch& b) {
          slid += lowered_counts(b.updates);
          redis.apply(b.updates);
          (*sink)->send(caf::actor_cast<caf::actor>((*sink)->current_sender()), credit_atom::value);
          wrote = true;
        },
        [&](barrier_atom, uint64_t) {}, [&](end_atom) { ++ends; }, none());
    while (!(*writer)->mailbox().empty())
      (*writer)->receive([&](shard_snapshot& s) { snapshots.push_back(std::move(s)); }, none());
    while (!(*coordinator)->mailbox().empty())
      (*coordinator)
        ->receive([&](reader_position& p) { positions.push_back(p); }, [&](end_atom, uint32_t) {},
                  none());
    return wrote;
  }
};

/// What the node restores from checkpoint `id` (actors/node/node_restore.cpp): the
/// bodies the snapshot writer keeps, the shards' saves merged in order, for every
/// key group saved.
std::shared_ptr<const restored_bodies> checkpoint_bodies(const std::vector<shard_snapshot>& saved,
                                                         uint64_t id) {
  snapshot_bodies kept;
  auto out = std::make_shared<restored_bodies>();
  for (const auto& s : saved) {
    if (s.id > id) continue;
    kept.apply(s.changes, s.full);
    for (auto kg : s.changes.key_groups) (*out)[kg];
  }
  for (auto& [kg, body] : *out) body = kept.body(kg);
  return out;
}

/// What a run left in Redis, and how often a window lowered a count on the way.
struct run_end {
  test::redis_image redis;
  size_t slid = 0;
};

/// Run A: every event, no checkpoint, no crash.
run_end uninterrupted() {
  pipeline a;
  test::memory_source all(shop_events());
  all.make_available(0);
  a.start(all);
  a.feed(all, event_count);
  CHECK(a.ends == 2);
  CHECK(a.metrics.rejected_total() == 0);
  return {a.redis, a.slid};
}

/// Run B: checkpoints 1 and 2, the events up to `lost_until` read and written,
/// every actor killed, and a restart from checkpoint 2 whose reader starts
/// `early` events before the checkpointed offset (0: where a node starts).
run_end rolled_back(int64_t early) {
  pipeline b;
  test::memory_source before(shop_events());
  before.make_available(0);
  b.start(before);
  b.feed(before, first_checkpoint);
  b.barrier(1);
  b.feed(before, checkpoint_at);
  b.barrier(2);
  const auto at_checkpoint = b.redis;
  b.feed(before, lost_until);
  CHECK(test::differences(at_checkpoint, b.redis) != "");  // the lost work did reach Redis
  b.kill();

  REQUIRE(b.positions.size() == 2);
  REQUIRE(b.snapshots.size() == 4);  // both shards, both checkpoints
  auto at = b.positions.back();
  CHECK(at.id == 2);
  CHECK(at.next_offset == static_cast<int64_t>(checkpoint_at));
  at.next_offset -= early;
  test::memory_source after(shop_events(), static_cast<size_t>(at.next_offset));
  after.make_available(0);
  b.start(after, at, checkpoint_bodies(b.snapshots, 2));
  // The restarted node catches up at full speed: its shards see the whole replay
  // before they flush. What Redis holds from before the crash is then put right
  // only by the restore's rewrite of every key (replayed a few events at a time,
  // the replay's own writes hid a restore without that rewrite).
  b.feed(after, event_count, event_count);
  CHECK(after.at_end());
  CHECK(b.ends == 2);
  return {b.redis, b.slid};
}

/// Hash fields holding a count above one (clicks per category, item clicks).
size_t counts_above_one(const test::redis_image& r) {
  size_t n = 0;
  for (const auto& [key, v] : r.keys())
    for (const auto& [field, value] : v.fields)
      if (v.type == redis_type::hash && (field.starts_with("cat:") || field == "clicks"))
        n += std::stoll(value) > 1;
  return n;
}

}  // namespace

TEST_SUITE("actors.rollback") {
  TEST_CASE("a rollback to a checkpoint leaves Redis as an uninterrupted run does") {
    auto a = uninterrupted();
    auto b = rolled_back(0);
    CHECK(test::differences(a.redis, b.redis) == "");
    // Not trivially equal: counts added up, windows slid past clicks, every Redis type written.
    CHECK(counts_above_one(a.redis) > 0);
    CHECK(a.slid > 0);
    std::set<redis_type> types;
    for (const auto& [key, v] : a.redis.keys()) types.insert(v.type);
    CHECK(types.size() == 5);
  }

  TEST_CASE("a reader restored one event early reads it twice, and Redis shows it") {
    auto twice = test::differences(uninterrupted().redis, rolled_back(1).redis);
    INFO("run A | restored one event early:\n", twice);
    CHECK(twice.find("user:stats:{u3}:purchase_amount: 70.0000, | 140.0000,") != std::string::npos);
  }
}
