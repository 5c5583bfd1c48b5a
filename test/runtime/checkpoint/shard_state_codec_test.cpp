// Shard snapshot bodies: every state of a shard (features and `_ts` freshness)
// round-trips by name, each section counts its entities for a restore's
// reservation, and a body of the format before freshness is refused.
#include <doctest/doctest.h>

#include "runtime/checkpoint/shard_state_codec.hpp"
#include "runtime/checkpoint/snapshot_bodies.hpp"
#include "runtime/checkpoint/state_changes.hpp"
#include "runtime/murmur2.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1767225600000;

std::vector<named_state> named(std::vector<std::unique_ptr<feature_state>>& states,
                               const std::vector<std::string>& names) {
  std::vector<named_state> out;
  for (size_t i = 0; i < states.size(); ++i) out.push_back({names[i], states[i].get()});
  return out;
}

std::vector<uint32_t> all_key_groups() {
  std::vector<uint32_t> out;
  for (uint32_t g = 0; g < 128; ++g) out.push_back(g);
  return out;
}

/// Adds up what reserve_shard_state asks it for; holds nothing.
class reserve_probe final : public feature_state {
public:
  reserve_probe() : feature_state(feature_scope::user, nullptr) {}
  void add_to(entity_id, const event&, int64_t, uint64_t) override {}
  void advance(int64_t) override {}
  void flush(std::vector<key_update>&) override {}
  size_t entities() const override { return 0; }
  void save(snapshot_sink&) override {}
  bool load(state_reader&) override { return true; }
  void rewrite_all() override {}
  void reserve(size_t entities) override { reserved += entities; }
  size_t reserved = 0;
};

}  // namespace

TEST_SUITE("runtime.checkpoint.shard_state_codec") {
  TEST_CASE("a user shard's bodies restore its _ts freshness with its features") {
    auto plan = test::default_plan();
    std::vector<feature_scope> scopes;
    std::vector<std::string> names;
    auto states = make_feature_states(plan, true, scopes, &names);
    for (auto& s : states) s->add(test::click("u7", "i1", 3, t0 + 42, -1, behavior::view), no_watermark, 1);
    std::vector<key_update> ignored;
    for (auto& s : states) s->flush(ignored);
    shard_changes changes;
    save_shard_changes(named(states, names), all_key_groups(), 128, 0, changes);
    changes.watermark = t0, changes.seq = 1;
    snapshot_bodies bodies;
    bodies.apply(changes, true);

    auto restored = make_feature_states(plan, true, scopes, &names);
    int64_t watermark = no_watermark;
    uint64_t seq = 0;
    std::vector<std::string> dropped;
    std::string error;
    for (auto kg : all_key_groups()) {
      auto body = bodies.body(kg);
      REQUIRE(check_shard_body_format(body, error));
      REQUIRE_MESSAGE(decode_shard_state(body, named(restored, names), watermark, seq, dropped, error), error);
    }
    CHECK(dropped.empty());
    std::vector<key_update> out;
    for (auto& s : restored) s->rewrite_all(), s->flush(out);
    bool found = false;
    for (const auto& u : out)
      for (const auto& [field, value] : u.set)
        if (u.key == "user:feature:{u7}" && field == "_ts") found = value == std::to_string(t0 + 42);
    CHECK(found);
  }

  TEST_CASE("the bodies count each state's entities, after puts and erasures, for the restore to reserve") {
    auto plan = test::default_plan();
    std::vector<feature_scope> scopes;
    std::vector<std::string> names;
    auto states = make_feature_states(plan, true, scopes, &names);
    std::vector<key_update> ignored;
    snapshot_bodies bodies;
    uint64_t seq = 0;
    size_t erased = 0;
    // Users 0-59 at t0, then users 40-99 two hours on: the first ones' windows end, some entities go.
    for (int round = 0; round < 2; ++round) {
      auto ts = t0 + round * 7200000;
      for (int u = round * 40; u < round * 40 + 60; ++u) {
        auto kind = u % 4 == 0 ? behavior::purchase : behavior::click;
        auto e = test::click("u" + std::to_string(u), "i" + std::to_string(u % 7), u % 3, ts + u, 5, kind);
        for (auto& s : states) s->add(e, no_watermark, seq);
        ++seq;
      }
      for (auto& s : states) s->advance(ts + 1000), s->flush(ignored);
      shard_changes changes;
      save_shard_changes(named(states, names), all_key_groups(), 128, 0, changes);
      bodies.apply(changes, round == 0);
      for (const auto& s : changes.states)
        for (const auto& e : s.entities) erased += e.size == 0 ? 1 : 0;
    }
    CHECK(erased > 0);  // the counts followed erasures too
    std::vector<std::unique_ptr<reserve_probe>> probes;
    std::vector<named_state> probed;
    for (const auto& name : names) {
      probes.push_back(std::make_unique<reserve_probe>());
      probed.push_back({name, probes.back().get()});
    }
    std::vector<std::string> kept;
    for (auto kg : all_key_groups()) kept.push_back(bodies.body(kg));
    reserve_shard_state({kept.begin(), kept.end()}, probed);
    for (size_t i = 0; i < states.size(); ++i) CHECK_MESSAGE(probes[i]->reserved == states[i]->entities(), names[i]);
  }

  TEST_CASE("a body written before the freshness state is refused with what to do") {
    state_writer w;
    w.str("rtfeat.shard.1").i64(t0).u64(1).u64(0);
    std::string error;
    CHECK_FALSE(check_shard_body_format(w.bytes(), error));
    CHECK(error.find("written before the _ts freshness state") != std::string::npos);
    CHECK(error.find("Replay the log from its beginning") != std::string::npos);
    int64_t watermark = no_watermark;
    uint64_t seq = 0;
    std::vector<std::string> dropped;
    std::string decode_error;
    CHECK_FALSE(decode_shard_state(w.bytes(), {}, watermark, seq, dropped, decode_error));
    CHECK(decode_error == error);
    CHECK_FALSE(check_shard_body_format("garbage", error));
    CHECK(error == "not a shard snapshot body");
  }
}
