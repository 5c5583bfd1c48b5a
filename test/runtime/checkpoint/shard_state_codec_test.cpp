// Shard snapshot bodies: every state of a shard (features and `_ts` freshness)
// round-trips by name, and a body of the format before freshness is refused.
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
