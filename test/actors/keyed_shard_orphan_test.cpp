// A keyed shard answering a resync's orphan sweep (docs/exactly-once.md "When
// Redis loses data"), driven deterministically (CAF's testing scheduler; the
// reader and the sink are scoped actors): after the rewrite, a swept key the
// state holds is kept, one it does not is deleted through the update path.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/atoms.hpp"
#include "actors/keyed_shard.hpp"
#include "caf/all.hpp"
#include "test/support/caf_test_system.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

struct orphan_rig : test::caf_test_system {
  std::unique_ptr<caf::scoped_actor> reader, sink, writer;
  node_metrics metrics;
  caf::actor shard;

  orphan_rig() {
    for (auto* a : {&reader, &sink, &writer}) *a = std::make_unique<caf::scoped_actor>(*sys);
    shard_settings s;
    s.kind = shard_kind::user;
    s.plan = std::make_shared<const feature_plan>(test::default_plan());
    s.readers = 1;
    s.sinks = {caf::actor_cast<caf::actor>(*sink)};
    s.metrics = &metrics;
    s.key_groups.resize(128);
    for (uint32_t kg = 0; kg < 128; ++kg) s.key_groups[kg] = kg;
    s.snapshot_writer = caf::actor_cast<caf::actor>(*writer);
    shard = sys->spawn(keyed_shard, std::move(s));
    sched->run();
  }
  ~orphan_rig() {
    caf::anon_send_exit(shard, caf::exit_reason::kill);
    sched->run();
  }

  /// One view of `user` at t0 + `ms` (it writes user:seq:{user}), flushed.
  void view(const std::string& user, int64_t ms) {
    event e{.user_id = user,
            .item_id = "i1",
            .region = "",
            .campaign_id = "",
            .ts = t0 + ms,
            .category_id = 5,
            .price = 0,
            .amount = 0,
            .kind = behavior::view,
            .has_category = true,
            .has_price = false,
            .has_amount = false};
    event_batch b{
      .reader = 0, .watermark = t0 + ms - 5000, .events = {{e, t0 + ms - 5000, 0}}, .sent_us = 0};
    (*reader)->send(shard, std::move(b));
    sched->run();
    sched->trigger_timeouts();
    sched->run();
  }

  /// Updates the sink received since the last call (credited, as the sink does),
  /// and the deletes among them; `swept` gets the shard's answer to a sweep batch.
  std::vector<key_update> received(int64_t* swept = nullptr, bool* rewritten = nullptr) {
    std::vector<key_update> out;
    for (bool more = true; more;) {
      more = false;
      (*sink)->receive(
        [&](update_batch& b) {
          for (auto& u : b.updates) out.push_back(std::move(u));
          (*sink)->send(shard, credit_atom::value);
          more = true;
        },
        [&](rewritten_atom) {
          if (rewritten != nullptr) *rewritten = true;
          more = true;
        },
        [&](swept_atom, uint64_t n) {
          if (swept != nullptr) *swept = static_cast<int64_t>(n);
          more = true;
        },
        caf::after(std::chrono::seconds(0)) >> [] {});
      sched->run();
    }
    return out;
  }

  void resync() {
    (*sink)->send(shard, resync_atom::value);
    sched->run();
    bool rewritten = false;
    auto rewrite = received(nullptr, &rewritten);
    REQUIRE(rewritten);
    REQUIRE_FALSE(rewrite.empty());
  }

  /// Sends one sweep batch of list keys; the keys the shard deleted, and its count.
  std::vector<std::string> sweep(const std::vector<std::string>& keys, int64_t& swept) {
    orphan_batch b;
    for (const auto& k : keys) b.keys.push_back({k, redis_type::list});
    (*sink)->send(shard, std::move(b));
    sched->run();
    swept = -1;
    std::vector<std::string> deleted;
    for (const auto& u : received(&swept))
      if (u.type == redis_type::list && u.values.empty()) deleted.push_back(u.key);
    return deleted;
  }
};

}  // namespace

TEST_SUITE("actors.keyed_shard_orphans") {
  TEST_CASE_FIXTURE(orphan_rig,
                    "a swept key the state holds is kept, one it no longer holds is deleted") {
    view("u1", 0);
    received();
    resync();
    int64_t swept = 0;
    auto deleted = sweep({"user:seq:{u1}", "user:seq:{gone}"}, swept);
    CHECK(swept == 1);
    CHECK(deleted == std::vector<std::string>{"user:seq:{gone}"});
  }
  TEST_CASE_FIXTURE(orphan_rig,
                    "a key an event created after the resync's rewrite is held, not deleted") {
    view("u1", 0);
    received();
    resync();
    view("u3", 1000);  // after the rewrite: its list is written, then swept
    int64_t swept = 0;
    auto deleted = sweep({"user:seq:{u3}"}, swept);
    CHECK(swept == 0);
    CHECK(deleted.empty());
  }
  TEST_CASE_FIXTURE(
    orphan_rig,
    "a key re-created after the rewrite but not yet flushed is flushed first, not deleted") {
    view("u1", 0);
    received();
    resync();
    view("u5", 1500);  // its updates stay uncredited: the next change waits in the state
    event e{.user_id = "u4",
            .item_id = "i1",
            .region = "",
            .campaign_id = "",
            .ts = t0 + 2000,
            .category_id = 5,
            .price = 0,
            .amount = 0,
            .kind = behavior::view,
            .has_category = true,
            .has_price = false,
            .has_amount = false};
    (*reader)->send(
      shard, event_batch{.reader = 0, .watermark = t0, .events = {{e, t0, 0}}, .sent_us = 0});
    sched->run();
    sched->trigger_timeouts();
    sched->run();
    int64_t swept = 0;
    auto deleted = sweep({"user:seq:{u4}"}, swept);
    CHECK(swept == 0);
    CHECK(deleted.empty());
  }
}
