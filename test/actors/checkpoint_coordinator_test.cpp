// The checkpoint coordinator, driven deterministically (CAF's testing
// scheduler; readers, shard acks and sink acks are sent by hand): a checkpoint
// commits only once every reader, shard and sink answered; one past its
// timeout is aborted, counted, and late answers to it are ignored; a sink that
// could not write aborts it; the final checkpoint waits for the one in flight.
// The store is a real checkpoint directory.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/checkpoint_coordinator.hpp"
#include "test/support/caf_test_system.hpp"
#include "runtime/window/future_skew_guard.hpp"

using namespace rtfeat;

namespace {

struct coordinator_rig : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> reader0, reader1;
  std::string dir;
  std::shared_ptr<const checkpoint_store> store;
  node_metrics metrics;
  caf::actor coordinator;

  explicit coordinator_rig(int64_t timeout_ms = 60000) {
    for (auto* a : {&reader0, &reader1}) *a = std::make_unique<caf::scoped_actor>(*sys);
    dir = (std::filesystem::temp_directory_path() / ("rtfeat_coord_" + std::to_string(::getpid()))).string();
    std::filesystem::remove_all(dir);
    auto opened = checkpoint_store::open(dir, open_mode::create);
    REQUIRE_MESSAGE(opened, opened.error());
    store = std::move(*opened);
    coordinator_settings s;
    s.interval_ms = 1000;
    s.timeout_ms = timeout_ms;
    s.store = store;
    s.topic = "events";
    s.shards = 1;
    s.sinks = 1;
    s.metrics = &metrics;
    coordinator = sys->spawn(checkpoint_coordinator, std::move(s));
    caf::anon_send(coordinator, start_atom::value,
                   std::vector<caf::actor>{caf::actor_cast<caf::actor>(*reader0), caf::actor_cast<caf::actor>(*reader1)});
    sched->run();
  }
  ~coordinator_rig() {
    caf::anon_send_exit(coordinator, caf::exit_reason::kill);
    sched->run();
    std::filesystem::remove_all(dir);
  }

  /// The interval timer fires; returns the barrier id reader 0 got (0: none).
  uint64_t tick() {
    sched->trigger_timeout();
    sched->run();
    uint64_t id = 0;
    (*reader0)->receive([&](barrier_atom, uint64_t n) { id = n; }, caf::after(std::chrono::seconds(0)) >> [] {});
    (*reader1)->receive([](barrier_atom, uint64_t) {}, caf::after(std::chrono::seconds(0)) >> [] {});
    return id;
  }
  void position(uint64_t id, int32_t partition, int64_t offset) {
    caf::anon_send(coordinator, reader_position{id, partition, offset, 1000, no_future_suspect});
    sched->run();
  }
  void shard_saved(uint64_t id, bool ok = true) {
    snapshot_written w;
    w.id = id;
    w.ok = ok;
    w.error = ok ? "" : "disk full";
    caf::anon_send(coordinator, std::move(w));
    sched->run();
  }
  void sink_flushed(uint64_t id, bool ok = true) {
    caf::anon_send(coordinator, barrier_atom::value, id, ok);
    sched->run();
  }
  /// Every answer checkpoint `id` waits for.
  void answer_all(uint64_t id) {
    position(id, 0, 10);
    position(id, 1, 20);
    shard_saved(id);
    sink_flushed(id);
  }
  bool committed(uint64_t id) const { return store->is_complete(id); }
};

}  // namespace

TEST_SUITE("actors.checkpoint_coordinator") {
  TEST_CASE("a checkpoint commits only once every reader, shard and sink answered") {
    coordinator_rig t;
    const auto id = t.tick();
    REQUIRE(id == 1);
    t.position(id, 0, 10);
    t.shard_saved(id);
    t.sink_flushed(id);
    CHECK_FALSE(t.committed(id));  // reader 1 has not reported its position
    t.position(id, 1, 20);
    REQUIRE(t.committed(id));
    checkpoint_manifest m;
    REQUIRE(t.store->load_manifest(id, m));
    REQUIRE(m.positions.size() == 2);
    CHECK(m.positions[0].next_offset + m.positions[1].next_offset == 30);
    CHECK(t.metrics.checkpoints_completed.load() == 1);
    CHECK(t.tick() == 2);  // the next interval starts the next checkpoint
  }

  TEST_CASE("a checkpoint past its timeout is aborted and counted; late answers to it are ignored") {
    coordinator_rig t(1);
    const auto id = t.tick();
    REQUIRE(id == 1);
    t.position(id, 0, 10);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(t.tick() == 0);  // this tick finds it too old: aborted, nothing new yet
    CHECK(t.metrics.checkpoints_failed.load() == 1);
    t.position(id, 1, 20);
    t.shard_saved(id);
    t.sink_flushed(id);
    CHECK_FALSE(t.committed(id));
    // Never the aborted id again: its late answers (and barriers still on their
    // way through readers and shards) must not count for a new checkpoint.
    CHECK(t.tick() == 2);
  }

  TEST_CASE("a sink that could not write to Redis aborts the checkpoint") {
    coordinator_rig t;
    const auto id = t.tick();
    t.position(id, 0, 10);
    t.position(id, 1, 20);
    t.shard_saved(id);
    t.sink_flushed(id, false);
    CHECK_FALSE(t.committed(id));
    CHECK(t.metrics.checkpoints_failed.load() == 1);
  }

  TEST_CASE("a shard whose snapshot could not be written aborts the checkpoint") {
    coordinator_rig t;
    const auto id = t.tick();
    t.shard_saved(id, false);
    t.answer_all(id);
    CHECK_FALSE(t.committed(id));
    CHECK(t.metrics.checkpoints_failed.load() == 1);
  }

  TEST_CASE("the final checkpoint starts after the one in flight and answers once committed") {
    coordinator_rig t;
    const auto id = t.tick();
    REQUIRE(id == 1);
    auto answer = std::make_shared<std::optional<bool>>();
    auto coordinator = t.coordinator;
    t.sys->spawn([=](caf::event_based_actor* self) {  // the node's request, answered by a promise
      self->request(coordinator, caf::infinite, final_atom::value).then([=](bool b) { *answer = b; });
    });
    t.sched->run();
    t.answer_all(id);  // checkpoint 1 ends; the final one (2) starts
    REQUIRE(t.committed(id));
    uint64_t final_id = 0;
    (*t.reader0)->receive([&](barrier_atom, uint64_t n) { final_id = n; }, caf::after(std::chrono::seconds(0)) >> [] {});
    (*t.reader1)->receive([](barrier_atom, uint64_t) {}, caf::after(std::chrono::seconds(0)) >> [] {});
    REQUIRE(final_id == 2);
    CHECK_FALSE(answer->has_value());
    t.answer_all(final_id);
    REQUIRE(answer->has_value());
    CHECK(**answer);
    CHECK(t.committed(final_id));
  }
}
