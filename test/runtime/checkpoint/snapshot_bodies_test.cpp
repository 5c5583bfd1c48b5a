// The bodies the snapshot writer keeps: merging each checkpoint's changes
// gives bodies that decode to what one save of the whole state gives, a key
// group nothing of which changed keeps its body byte for byte, and the writer
// stores only the key groups that changed.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "runtime/checkpoint/shard_snapshots.hpp"
#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/checkpoint/snapshot_bodies.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/murmur2.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"
#include "test/support/entity_sink.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1767225600000;
constexpr uint32_t max_parallelism = 128;

std::vector<uint32_t> all_key_groups() {
  std::vector<uint32_t> out;
  for (uint32_t g = 0; g < max_parallelism; ++g) out.push_back(g);
  return out;
}

/// The feature states of a user shard owning every key group.
struct shard {
  std::vector<feature_scope> scopes;
  std::vector<std::string> names;
  std::vector<std::unique_ptr<feature_state>> states;

  explicit shard(const feature_plan& plan) : states(make_feature_states(plan, true, scopes, &names)) {}

  std::vector<named_state> named() const {
    std::vector<named_state> out;
    for (size_t i = 0; i < states.size(); ++i) out.push_back({names[i], states[i].get()});
    return out;
  }
  void add(const event& e, uint64_t seq) {
    for (auto& s : states) s->add(e, no_watermark, seq);
  }
  /// Adds `events` with arrival counts 0, 1, ...; returns the next count.
  uint64_t add_all(const std::vector<event>& events) {
    uint64_t seq = 0;
    for (const auto& e : events) add(e, seq++);
    return seq;
  }
  void flush(int64_t watermark) {
    std::vector<key_update> ignored;
    for (auto& s : states) s->advance(watermark), s->flush(ignored);
  }
  shard_changes save(int64_t watermark, uint64_t seq) {
    shard_changes out;
    save_shard_changes(named(), all_key_groups(), max_parallelism, 0, out);
    out.watermark = watermark, out.seq = seq;
    return out;
  }
};

/// Events of `users` users (each a view, a click, every third a purchase) from `ts`.
std::vector<event> events_of(int users, int64_t ts, int from = 0) {
  std::vector<event> out;
  for (int u = from; u < from + users; ++u) {
    auto user = "u" + std::to_string(u), item = "i" + std::to_string(u % 17);
    out.push_back(test::click(user, item, u % 5, ts + int64_t{u} * 1000, 10 + u % 90, behavior::view));
    out.push_back(test::click(user, item, u % 5, ts + int64_t{u} * 1000 + 1, 10 + u % 90));
    if (u % 3 == 0) {
      auto buy = test::click(user, item, u % 5, ts + int64_t{u} * 1000 + 2, 10 + u % 90, behavior::purchase);
      buy.amount = 19.5, buy.has_amount = true;
      out.push_back(buy);
    }
  }
  return out;
}

using entity_map = std::map<std::tuple<std::string, std::string, std::string>, std::string>;

/// Every entity of `s`'s states as one save of the whole state gives it:
/// (state, routing key, identity) -> encoding. REQUIRES: `s` was never saved.
entity_map entities_of(shard& s) {
  entity_map out;
  for (size_t i = 0; i < s.states.size(); ++i) {
    test::entity_sink sink;
    s.states[i]->save(sink);
    for (const auto& [k, bytes] : sink.entities) out[{s.names[i], k.first, k.second}] = bytes;
  }
  return out;
}

/// Every entity in `bodies`, decoded into fresh states: whatever order the bodies hold them in.
entity_map decoded(const feature_plan& plan, snapshot_bodies& bodies) {
  shard fresh(plan);
  int64_t watermark = no_watermark;
  uint64_t seq = 0;
  std::vector<std::string> dropped;
  std::string error;
  for (auto kg : all_key_groups())
    REQUIRE_MESSAGE(decode_shard_state(bodies.body(kg), fresh.named(), watermark, seq, dropped, error), error);
  return entities_of(fresh);
}

size_t erasures(const shard_changes& c) {
  size_t n = 0;
  for (const auto& s : c.states)
    for (const auto& e : s.entities) n += e.size == 0 ? 1 : 0;
  return n;
}

}  // namespace

TEST_SUITE("runtime.checkpoint.snapshot_bodies") {
  TEST_CASE("after one entity changes, its key group decodes to a fresh save and every other body is unchanged") {
    auto plan = test::default_plan();
    auto events = events_of(300, t0);
    shard kept(plan);
    uint64_t seq = kept.add_all(events);
    kept.flush(t0 + 300000);
    snapshot_bodies bodies;
    bodies.apply(kept.save(t0 + 300000, 7), true);
    std::map<uint32_t, std::string> before;
    for (auto kg : all_key_groups()) before[kg] = bodies.body(kg), bodies.stored(kg);

    // One more click by u7: same watermark and arrival count, so only u7's key group changes.
    auto more = test::click("u7", "i3", 2, t0 + 200000);
    events.push_back(more);
    kept.add(more, seq++);
    kept.flush(t0 + 300000);
    auto changes = kept.save(t0 + 300000, 7);
    bodies.apply(changes, false);
    auto changed_kg = key_group_of("u7", max_parallelism);
    for (auto kg : all_key_groups()) {
      CAPTURE(kg);
      CHECK(bodies.changed(kg) == (kg == changed_kg));
      if (kg == changed_kg) CHECK(bodies.body(kg) != before[kg]);
      else CHECK(bodies.body(kg) == before[kg]);
    }

    shard fresh(plan);
    fresh.add_all(events);
    fresh.flush(t0 + 300000);
    snapshot_bodies fresh_bodies;
    fresh_bodies.apply(fresh.save(t0 + 300000, 7), true);
    auto merged = decoded(plan, bodies);
    CHECK(merged.size() > 300);
    CHECK(merged == decoded(plan, fresh_bodies));
  }

  TEST_CASE("entities gone from the state leave the bodies, and new ones take their place") {
    auto plan = test::default_plan();
    shard kept(plan), fresh(plan);
    snapshot_bodies bodies;
    uint64_t seq = 0;
    auto feed = [&](const std::vector<event>& events, int64_t watermark) {
      for (const auto& e : events) kept.add(e, seq), fresh.add(e, seq), ++seq;
      kept.flush(watermark), fresh.flush(watermark);
    };
    feed(events_of(200, t0), t0 + 200000);
    bodies.apply(kept.save(t0 + 200000, 1), true);
    // Two hours on: the windows of the first users end, their entities go; new users come.
    feed(events_of(50, t0 + 7200000, 1000), t0 + 7200000 + 50000);
    auto changes = kept.save(t0 + 7200000 + 50000, 2);
    CHECK(erasures(changes) > 0);
    bodies.apply(changes, false);
    snapshot_bodies fresh_bodies;
    fresh_bodies.apply(fresh.save(t0 + 7200000 + 50000, 2), true);
    CHECK(decoded(plan, bodies) == decoded(plan, fresh_bodies));
    CHECK(bodies.bytes() == fresh_bodies.bytes());  // nothing dropped lingers once the bodies are built
  }

  TEST_CASE("a body not stored stays changed: a failed write (disk full) is redone, never referenced") {
    auto plan = test::default_plan();
    shard kept(plan);
    kept.add_all(events_of(100, t0));
    kept.flush(t0 + 100000);
    snapshot_bodies bodies;
    bodies.apply(kept.save(t0 + 100000, 1), true);
    for (auto kg : all_key_groups()) (void)bodies.body(kg);  // written, but the writes failed
    bodies.apply(kept.save(t0 + 100000, 1), false);          // the next checkpoint: nothing new
    for (auto kg : all_key_groups()) CHECK(bodies.changed(kg));
    for (auto kg : all_key_groups()) (void)bodies.body(kg), bodies.stored(kg);
    bodies.apply(kept.save(t0 + 100000, 1), false);
    for (auto kg : all_key_groups()) CHECK_FALSE(bodies.changed(kg));
  }
  TEST_CASE("a new watermark or arrival count changes every body, and only in its header") {
    auto plan = test::default_plan();
    shard kept(plan);
    kept.add_all(events_of(100, t0));
    kept.flush(t0 + 100000);
    snapshot_bodies bodies;
    bodies.apply(kept.save(t0 + 100000, 1), true);
    auto first = decoded(plan, bodies);
    bodies.apply(kept.save(t0 + 100000, 2), false);  // nothing changed but the arrival count
    for (auto kg : all_key_groups()) CHECK(bodies.changed(kg));
    int64_t watermark = no_watermark;
    uint64_t restored_seq = 0;
    std::vector<std::string> dropped;
    std::string error;
    shard restored(plan);
    REQUIRE(decode_shard_state(bodies.body(0), restored.named(), watermark, restored_seq, dropped, error));
    CHECK(restored_seq == 2);
    CHECK(decoded(plan, bodies) == first);
  }

  TEST_CASE("the writer stores the key groups that changed and references the others") {
    auto plan = test::default_plan();
    test::temp_dir dir;
    std::string error, warning;
    auto opened = checkpoint_store::open(dir.path() + "/checkpoints", open_mode::create);
    REQUIRE_MESSAGE(opened, opened.error());
    auto store = std::move(*opened);
    auto events = events_of(100, t0);
    shard kept(plan);
    uint64_t seq = kept.add_all(events);
    kept.flush(t0 + 100000);
    shard_snapshots writer;
    auto checkpoint = [&](uint64_t id, bool full) {
      checkpoint_manifest m;
      m.id = id;
      m.catalogue_hash = 1;
      size_t written = 0;
      REQUIRE(writer.store(*store, id, 1, kept.save(t0 + 100000, 1), full, m.snapshots, written));
      REQUIRE(store->commit(m, 2, warning));
      CHECK(m.snapshots.size() == max_parallelism);
      return written;
    };
    CHECK(checkpoint(1, true) == max_parallelism);
    events.push_back(test::click("u7", "i3", 2, t0 + 50000));
    kept.add(events.back(), seq++);
    kept.flush(t0 + 100000);
    CHECK(checkpoint(2, false) == 1);
    CHECK(checkpoint(3, false) == 0);  // nothing changed: every key group a reference

    checkpoint_manifest m;
    REQUIRE(store->load_manifest(3, m));
    shard restored(plan);
    int64_t watermark = no_watermark;
    uint64_t restored_seq = 0;
    std::vector<std::string> dropped;
    for (auto kg : all_key_groups()) {
      std::string body;
      REQUIRE(store->read_snapshot(m, kg, body));
      REQUIRE_MESSAGE(decode_shard_state(body, restored.named(), watermark, restored_seq, dropped, error), error);
    }
    shard fresh(plan);
    fresh.add_all(events);
    fresh.flush(t0 + 100000);
    CHECK(entities_of(restored) == entities_of(fresh));
  }
}
