// A keyed shard between two readers and one sink, driven deterministically
// (CAF's testing scheduler; readers, sink and snapshot writer are scoped
// actors): credits, barrier alignment with held batches, an abandoned
// checkpoint, the flush that waits for the sink, and the end of the readers.
// Each case runs in milliseconds; the shell tests cover the same paths with
// Redis and Kafka in seconds.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/keyed_shard.hpp"
#include "test/support/caf_test_system.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

struct shard_rig : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> reader0, reader1, sink, writer;
  node_metrics metrics;
  caf::actor shard;

  shard_rig() {
    for (auto* a : {&reader0, &reader1, &sink, &writer}) *a = std::make_unique<caf::scoped_actor>(*sys);
    shard_settings s;
    s.kind = shard_kind::user;
    s.plan = std::make_shared<const feature_plan>(test::default_plan());
    s.readers = 2;
    s.sinks = {caf::actor_cast<caf::actor>(*sink)};
    s.metrics = &metrics;
    s.key_groups.resize(128);
    for (uint32_t kg = 0; kg < 128; ++kg) s.key_groups[kg] = kg;
    s.snapshot_writer = caf::actor_cast<caf::actor>(*writer);
    shard = sys->spawn(keyed_shard, std::move(s));
    sched->run();
  }
  ~shard_rig() {
    caf::anon_send_exit(shard, caf::exit_reason::kill);
    sched->run();
  }

  /// A batch of one view of `user` at t0 + `ms`, from reader `r`.
  void view(std::unique_ptr<caf::scoped_actor>& from, uint32_t r, const std::string& user, int64_t ms) {
    event e{.user_id = user, .item_id = "i1", .region = "", .campaign_id = "", .ts = t0 + ms, .category_id = 5,
            .price = 0, .amount = 0, .kind = behavior::view, .has_category = true, .has_price = false,
            .has_amount = false};
    event_batch b{.reader = r, .watermark = t0 + ms - 5000, .events = {{e, t0 + ms - 5000, 0}}, .sent_us = 0};
    (*from)->send(shard, std::move(b));
    sched->run();
  }
  void barrier(std::unique_ptr<caf::scoped_actor>& from, uint32_t r, uint64_t id) {
    (*from)->send(shard, barrier_marker{r, id});
    sched->run();
  }
  /// Delivers due flush timers.
  void tick() {
    sched->trigger_timeouts();
    sched->run();
  }

  /// What the sink received since the last call, in order: "update:<keys>",
  /// "barrier:<id>", "end". Each update batch is credited, as the sink does.
  std::vector<std::string> sink_log(bool credit = true) {
    std::vector<std::string> out;
    for (bool more = true; more;) {
      more = false;
      (*sink)->receive(
        [&](update_batch& b) {
          std::string keys;
          for (const auto& u : b.updates) keys += u.key + " ";
          out.push_back("update:" + keys);
          if (credit) (*sink)->send(shard, credit_atom::value);
          more = true;
        },
        [&](barrier_atom, uint64_t id) { out.push_back("barrier:" + std::to_string(id)), more = true; },
        [&](end_atom) { out.push_back("end"), more = true; },
        caf::after(std::chrono::seconds(0)) >> [] {});
    }
    sched->run();
    return out;
  }
  /// Snapshots the writer received: their checkpoint ids.
  std::vector<uint64_t> snapshots() {
    std::vector<uint64_t> ids;
    for (bool more = true; more;) {
      more = false;
      (*writer)->receive([&](shard_snapshot& s) { ids.push_back(s.id), more = true; },
                         caf::after(std::chrono::seconds(0)) >> [] {});
    }
    return ids;
  }
  /// Flush timers and sink credits until the shard has nothing more to send.
  std::vector<std::string> settle() {
    std::vector<std::string> out;
    for (int quiet = 0; quiet < 2;) {
      tick();
      auto more = sink_log();
      quiet = more.empty() ? quiet + 1 : 0;
      out.insert(out.end(), more.begin(), more.end());
    }
    return out;
  }
  static size_t credits(std::unique_ptr<caf::scoped_actor>& reader) {
    size_t n = 0;
    for (bool more = true; more;) {
      more = false;
      (*reader)->receive([&](credit_atom) { ++n, more = true; }, caf::after(std::chrono::seconds(0)) >> [] {});
    }
    return n;
  }
};

bool mentions(const std::vector<std::string>& log, const std::string& what) {
  for (const auto& line : log)
    if (line.find(what) != std::string::npos) return true;
  return false;
}

/// Index of the first line containing `what`, or log.size().
size_t first(const std::vector<std::string>& log, const std::string& what) {
  for (size_t i = 0; i < log.size(); ++i)
    if (log[i].find(what) != std::string::npos) return i;
  return log.size();
}

}  // namespace

TEST_SUITE("actors.keyed_shard.alignment") {
  TEST_CASE("every batch is credited at once, a held one too") {
    shard_rig t;
    t.view(t.reader0, 0, "u1", 0);
    t.barrier(t.reader0, 0, 1);
    t.view(t.reader0, 0, "u2", 10);  // held: reader 0 delivered barrier 1, reader 1 did not
    CHECK(shard_rig::credits(t.reader0) == 2);
    CHECK(shard_rig::credits(t.reader1) == 0);
  }

  TEST_CASE("a batch after its reader's barrier waits for the other reader's, and comes after the barrier") {
    shard_rig t;
    t.view(t.reader0, 0, "u1", 0);
    t.barrier(t.reader0, 0, 1);
    t.view(t.reader0, 0, "u2", 10);  // after barrier 1 on reader 0: not part of checkpoint 1
    t.view(t.reader1, 1, "u3", 20);  // before barrier 1 on reader 1: part of it
    t.tick();
    auto before = t.sink_log();
    CHECK(mentions(before, "{u1}"));
    CHECK_FALSE(mentions(before, "{u2}"));
    CHECK(t.snapshots().empty());

    t.barrier(t.reader1, 1, 1);  // aligned: flush, snapshot, barrier to the sink, then the held batch
    auto log = t.settle();
    CHECK(t.snapshots() == std::vector<uint64_t>{1});
    const auto at = first(log, "barrier:1");
    REQUIRE(at < log.size());
    CHECK(first(log, "{u3}") < at);
    CHECK(first(log, "{u2}") > at);
    CHECK(first(log, "{u2}") < log.size());
  }

  TEST_CASE("a later barrier abandons a pending checkpoint and releases what it held") {
    shard_rig t;
    t.barrier(t.reader0, 0, 1);
    t.view(t.reader0, 0, "u1", 0);  // held by checkpoint 1, which reader 1 never reaches
    t.barrier(t.reader0, 0, 2);     // the coordinator gave up on 1 and started 2
    t.tick();
    auto log = t.sink_log();
    CHECK(mentions(log, "{u1}"));   // released when 1 was abandoned
    t.barrier(t.reader1, 1, 2);
    t.tick();
    CHECK(t.snapshots() == std::vector<uint64_t>{2});
    CHECK(mentions(t.sink_log(), "barrier:2"));
  }

  TEST_CASE("a late barrier of an abandoned checkpoint does not undo the next alignment") {
    shard_rig t;
    t.barrier(t.reader0, 0, 1);
    t.barrier(t.reader0, 0, 2);     // 1 abandoned; reader 0 is aligned for 2
    t.view(t.reader0, 0, "u9", 0);  // after barrier 2 on reader 0: must wait for checkpoint 2
    t.barrier(t.reader1, 1, 1);     // reader 1 was slow: its barrier 1 arrives now, stale
    t.tick();
    CHECK_FALSE(mentions(t.sink_log(), "{u9}"));
    CHECK(t.snapshots().empty());
    t.barrier(t.reader1, 1, 2);
    auto log = t.settle();
    CHECK(t.snapshots() == std::vector<uint64_t>{2});
    CHECK(first(log, "barrier:2") < first(log, "{u9}"));
    CHECK(mentions(log, "{u9}"));
  }

  TEST_CASE("a flush waits while the sink has not written the last update batch") {
    shard_rig t;
    t.view(t.reader0, 0, "u1", 0);
    auto first_log = t.sink_log(false);  // not credited: the sink is still writing
    REQUIRE(mentions(first_log, "{u1}"));
    t.view(t.reader0, 0, "u2", 10);
    t.tick();
    CHECK(t.sink_log(false).empty());  // changes keep coalescing in the state meanwhile
    (*t.sink)->send(t.shard, credit_atom::value);
    t.sched->run();
    t.tick();
    CHECK(mentions(t.sink_log(), "{u2}"));
  }

  TEST_CASE("the end of every reader flushes and ends the sink") {
    shard_rig t;
    t.view(t.reader0, 0, "u1", 0);
    t.sink_log();
    t.view(t.reader1, 1, "u2", 5);
    (*t.reader0)->send(t.shard, reader_end{0, t0});
    (*t.reader1)->send(t.shard, reader_end{1, t0});
    t.sched->run();
    auto log = t.sink_log();
    REQUIRE_FALSE(log.empty());
    CHECK(log.back() == "end");
    CHECK(mentions(log, "{u2}"));
  }
}
