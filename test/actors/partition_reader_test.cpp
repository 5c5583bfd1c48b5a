// A partition reader over an in-memory source, driven deterministically (CAF's
// testing scheduler): its credit window against a shard that does not take
// batches, and the path reader -> keyed shard -> sink of a barrier and of the
// end of a drained partition, with the position the coordinator is given.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/keyed_shard.hpp"
#include "actors/partition_reader.hpp"
#include "test/support/caf_test_system.hpp"
#include "test/support/drained_reader.hpp"
#include "test/support/memory_source.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

using test::memory_source;

std::string view_line(int i) {
  return R"({"user_id":"u)" + std::to_string(i) + R"(","behavior":"view","item_id":"i1","category_id":5,"ts":)"
         + std::to_string(1'767'225'600'000 + int64_t{i} * 10) + "}";
}

std::vector<std::string> views(int n) {
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(view_line(i));
  return out;
}

struct reader_rig : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> coordinator, dead_letters, category_shard, sink, writer, silent_shard;
  node_metrics metrics;
  std::shared_ptr<const feature_plan> plan = std::make_shared<const feature_plan>(test::default_plan());
  std::vector<caf::actor> spawned;

  reader_rig() {
    for (auto* a : {&coordinator, &dead_letters, &category_shard, &sink, &writer, &silent_shard})
      *a = std::make_unique<caf::scoped_actor>(*sys);
  }
  ~reader_rig() {
    for (const auto& a : spawned) caf::anon_send_exit(a, caf::exit_reason::kill);
    sched->run();
  }
  static caf::actor handle(std::unique_ptr<caf::scoped_actor>& a) { return caf::actor_cast<caf::actor>(*a); }

  /// A user shard of every key group, fed by one reader, writing to the sink probe.
  caf::actor user_shard() {
    shard_settings s;
    s.kind = shard_kind::user;
    s.plan = plan;
    s.readers = 1;
    s.sinks = {handle(sink)};
    s.metrics = &metrics;
    for (uint32_t kg = 0; kg < 128; ++kg) s.key_groups.push_back(kg);
    s.snapshot_writer = handle(writer);
    spawned.push_back(sys->spawn(keyed_shard, std::move(s)));
    return spawned.back();
  }
  caf::actor reader(message_source& source, caf::actor users, size_t poll_max) {
    auto routes = std::make_shared<routing>();
    routes->users.assign({std::move(users)}, 128);
    routes->categories.assign({handle(category_shard)}, 128);
    auto r = test::drained_reader(source, plan, routes, handle(dead_letters), handle(coordinator), metrics);
    r.batch_events = 1;
    r.poll_max = poll_max;
    spawned.push_back(sys->spawn(partition_reader, std::move(r)));
    sched->run();
    return spawned.back();
  }
  /// Batches `shard` received now (not credited).
  static size_t batches(std::unique_ptr<caf::scoped_actor>& shard) {
    size_t n = 0;
    for (bool more = true; more;) {
      more = false;
      (*shard)->receive([&](event_batch&) { ++n, more = true; }, caf::after(std::chrono::seconds(0)) >> [] {});
    }
    return n;
  }
  /// The category shard probe takes its batches, as a shard does: one credit each.
  void credit_category_shard(const caf::actor& reader) {
    for (size_t n = batches(category_shard); n > 0; --n) (*category_shard)->send(reader, credit_atom::value);
    sched->run();
  }
  /// Every poll timer due, until nothing more happens.
  void run_timers(int rounds = 50) {
    for (int i = 0; i < rounds && sched->trigger_timeouts() > 0; ++i) sched->run();
  }
};

}  // namespace

TEST_SUITE("actors.partition_reader") {
  TEST_CASE("a reader keeps at most four batches in flight to shards that do not take them") {
    reader_rig t;
    memory_source source(views(100));
    auto r = t.reader(source, reader_rig::handle(t.silent_shard), 1);
    t.run_timers();
    // Each view goes to its user shard and to the category shard (item and category
    // scopes), and a moved watermark goes to both after a poll: four batches
    // are reached within the first two events, and then polling stops.
    CHECK(reader_rig::batches(t.silent_shard) + reader_rig::batches(t.category_shard) == 4);
    const auto stalled_at = source.delivered();
    CHECK(stalled_at <= 2);
    t.run_timers();
    CHECK(source.delivered() == stalled_at);  // nothing read while starved
    // Credits for all four: it polls again, and again stops at four in flight.
    for (int i = 0; i < 4; ++i) (*t.silent_shard)->send(r, credit_atom::value);
    t.sched->run();
    t.run_timers();
    CHECK(source.delivered() > stalled_at);
    CHECK(reader_rig::batches(t.silent_shard) + reader_rig::batches(t.category_shard) == 4);
  }

  TEST_CASE("a barrier goes through reader and shard to the sink, and the coordinator learns the offset") {
    reader_rig t;
    memory_source source(views(10));
    auto shard = t.user_shard();
    auto r = t.reader(source, shard, 3);
    (*t.coordinator)->send(r, barrier_atom::value, uint64_t{1});
    t.sched->run();
    int64_t offset = -1;
    (*t.coordinator)->receive([&](const reader_position& p) { offset = p.next_offset; },
                              caf::after(std::chrono::seconds(0)) >> [] {});
    CHECK(offset == static_cast<int64_t>(source.delivered()));
    CHECK(offset > 0);
    bool barrier = false, snapshot = false;
    for (bool more = true; more;) {
      more = false;
      (*t.sink)->receive([&](update_batch&) { (*t.sink)->send(shard, credit_atom::value), more = true; },
                         [&](barrier_atom, uint64_t id) { barrier = id == 1, more = true; },
                         caf::after(std::chrono::seconds(0)) >> [] {});
      t.sched->run();
    }
    (*t.writer)->receive([&](shard_snapshot& s) { snapshot = s.id == 1; }, caf::after(std::chrono::seconds(0)) >> [] {});
    CHECK(barrier);
    CHECK(snapshot);
  }

  TEST_CASE("a drained partition ends the shard, which flushes everything and ends the sink") {
    reader_rig t;
    memory_source source(views(10));
    auto shard = t.user_shard();
    auto r = t.reader(source, shard, 4);
    std::vector<std::string> users;
    bool ended = false;
    for (int round = 0; round < 50 && !ended; ++round) {
      t.credit_category_shard(r);
      t.run_timers(1);
      for (bool more = true; more;) {
        more = false;
        (*t.sink)->receive(
          [&](update_batch& b) {
            for (const auto& u : b.updates)
              if (u.key.starts_with("user:seq:")) users.push_back(u.key);
            (*t.sink)->send(shard, credit_atom::value), more = true;
          },
          [&](end_atom) { ended = true, more = true; }, caf::after(std::chrono::seconds(0)) >> [] {});
        t.sched->run();
      }
    }
    CHECK(ended);
    CHECK(source.at_end());
    CHECK(users.size() == 10);  // every user's browsed-categories list was written
    bool told = false;
    for (bool more = true; more;) {
      more = false;
      (*t.coordinator)->receive([&](end_atom, uint32_t) { told = true, more = true; },
                                caf::after(std::chrono::seconds(0)) >> [] {});
    }
    CHECK(told);
  }
}
