// The Redis sink's barrier count, driven deterministically (CAF's testing
// scheduler). The sink is abandoned from the start, so it acks at once without
// a Redis: what is tested is which barriers it counts.
#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <vector>

#include "caf/all.hpp"
#include "actors/atoms.hpp"
#include "actors/redis_sink.hpp"
#include "test/support/caf_test_system.hpp"

using namespace rtfeat;

namespace {

struct sink_rig : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> coordinator;
  node_metrics metrics;
  caf::actor sink;

  sink_rig() {
    coordinator = std::make_unique<caf::scoped_actor>(*sys);
    sink_settings s{.host = "127.0.0.1", .port = 1, .shards = 2, .coordinator = caf::actor_cast<caf::actor>(*coordinator),
                    .metrics = &metrics, .abandon = std::make_shared<const std::atomic<bool>>(true), .writer = "0.0"};
    sink = sys->spawn(redis_sink, std::move(s));
    sched->run();
  }
  ~sink_rig() {
    caf::anon_send_exit(sink, caf::exit_reason::kill);
    sched->run();
  }
  void barrier(uint64_t id) {
    caf::anon_send(sink, barrier_atom::value, id);
    sched->run();
  }
  /// The checkpoint ids the sink acked so far.
  std::vector<uint64_t> acks() {
    std::vector<uint64_t> ids;
    for (bool more = true; more;) {
      more = false;
      (*coordinator)->receive([&](barrier_atom, uint64_t id, bool) { ids.push_back(id), more = true; },
                              caf::after(std::chrono::seconds(0)) >> [] {});
    }
    return ids;
  }
};

}  // namespace

TEST_SUITE("actors.redis_sink.barriers") {
  TEST_CASE("a checkpoint is acked once every shard delivered its barrier") {
    sink_rig t;
    t.barrier(1);
    CHECK(t.acks().empty());
    t.barrier(1);
    CHECK(t.acks() == std::vector<uint64_t>{1});
  }
  TEST_CASE("a late barrier of an abandoned checkpoint does not restart the count of the next one") {
    sink_rig t;
    t.barrier(2);  // shard A, aligned for 2
    t.barrier(1);  // shard B passes on 1, abandoned meanwhile
    t.barrier(2);  // shard B, aligned for 2
    CHECK(t.acks() == std::vector<uint64_t>{2});
  }
}
