// Snapshot round trip of every feature state of the default catalogue: a state
// restored from its key-group blobs writes exactly what the original writes.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>

#include "runtime/features/distinct_users.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/features/last_k.hpp"
#include "runtime/murmur2.hpp"
#include "test/support/entity_sink.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;

namespace {

constexpr int64_t t0 = 1767225600000;
using redis_map = std::map<std::string, std::map<std::string, std::string>>;

// `scale` multiplies prices and amounts: 8e14 puts sums far past int64 units
// (up to 9.6e17 an event, inside the parser's 1e18), stored as fixext16.
std::vector<event> some_events(int n, uint64_t seed, double scale = 1) {
  std::mt19937_64 rng(seed);
  std::vector<event> out;
  for (int i = 0; i < n; ++i) {
    auto kind = static_cast<behavior>(rng() % 6);
    // One category per item (SPEC §4a): item ranks are per category, and an item in
    // several would be written by each, in an order the state does not define.
    auto item = static_cast<int64_t>(rng() % 5);
    auto e = test::click("u" + std::to_string(rng() % 7), "i" + std::to_string(item),
                         item % 3, t0 + i * 20000 - static_cast<int64_t>(rng() % 4000),
                         static_cast<double>(rng() % 1200) * scale, kind);
    if (kind == behavior::purchase) e.amount = 12.5 * scale, e.has_amount = true;
    if (rng() % 2) e.campaign_id = "c1", e.region = "hz";
    out.push_back(e);
  }
  return out;
}

redis_map flushed(std::vector<std::unique_ptr<feature_state>>& states) {
  std::vector<key_update> out;
  for (auto& s : states) s->rewrite_all(), s->flush(out);
  redis_map m;
  test::apply_updates(m, out);
  for (const auto& u : out)  // zset/hll members: record them too
    for (const auto& v : u.values) m[u.key]["v:" + v] = "1";
  return m;
}

}  // namespace

TEST_SUITE("runtime.codec.feature_snapshot") {
  TEST_CASE("every feature state survives save and load through key-group blobs, with sums past int64") {
    auto plan = test::default_plan();
    for (auto [user_shard, scale] : {std::pair{true, 1.0}, {false, 1.0}, {true, 8e14}, {false, 8e14}}) {
      CAPTURE(scale);
      std::vector<feature_scope> scopes;
      auto original = make_feature_states(plan, user_shard, scopes);
      auto events = some_events(400, 7, scale);
      uint64_t seq = 0;
      for (const auto& e : events)
        for (auto& s : original) s->add(e, no_watermark, seq++);
      for (auto& s : original) s->advance(t0 + 400 * 20000 - 60000);
      std::vector<key_update> ignored;
      for (auto& s : original) s->flush(ignored);
      auto restored = make_feature_states(plan, user_shard, scopes);
      for (size_t i = 0; i < original.size(); ++i) {
        test::entity_sink saved;
        original[i]->save(saved);
        for (const auto& [kg, bytes] : saved.by_key_group()) {
          state_reader r(bytes);
          REQUIRE(restored[i]->load(r));
        }
        restored[i]->advance(t0 + 400 * 20000 - 60000);
        CHECK(restored[i]->entities() == original[i]->entities());
      }
      CHECK(flushed(restored) == flushed(original));
    }
  }
  TEST_CASE("saving only what changed since the last save leaves what one save of the whole state leaves") {
    // Two identical states; `kept` is saved after every round into sinks that keep
    // each entity's latest encoding, as the snapshot writer does. A change that
    // does not mark its entity shows up as stale bytes, a missed erasure as an
    // entity too many, against `fresh`, saved once at the end.
    auto plan = test::default_plan();
    for (bool user_shard : {true, false}) {
      std::vector<feature_scope> scopes;
      auto kept = make_feature_states(plan, user_shard, scopes);
      auto fresh = make_feature_states(plan, user_shard, scopes);
      auto later = make_feature_states(plan, user_shard, scopes);  // as fresh, saved only at the very end
      std::vector<test::entity_sink> kept_saves(kept.size());
      auto events = some_events(900, 11);
      uint64_t seq = 0;
      std::vector<key_update> ignored;
      size_t erased = 0;
      for (size_t round = 0; round < 9; ++round) {
        for (size_t i = round * 100; i < (round + 1) * 100; ++i, ++seq) {
          for (auto* states : {&kept, &fresh, &later})
            for (auto& s : *states) s->add(events[i], no_watermark, seq);
        }
        // Event time moves on unevenly: some rounds evict buckets, members and whole entities.
        int64_t watermark = t0 + static_cast<int64_t>((round + 1) * 100 * 20000) - 900000 * static_cast<int64_t>(round % 3);
        for (auto* states : {&kept, &fresh, &later})
          for (auto& s : *states) s->advance(watermark), s->flush(ignored);
        for (size_t i = 0; i < kept.size(); ++i) kept[i]->save(kept_saves[i]);
      }
      auto compare = [&](std::vector<std::unique_ptr<feature_state>>& unsaved) {
        for (size_t i = 0; i < kept.size(); ++i) {
          CAPTURE(user_shard);
          CAPTURE(i);
          test::entity_sink whole;
          unsaved[i]->save(whole);
          CHECK(kept_saves[i].entities == whole.entities);
        }
      };
      compare(fresh);
      // Then two hours of nothing: the windows end and their entities go.
      for (auto* states : {&kept, &later})
        for (auto& s : *states) s->advance(t0 + 900 * 20000 + 7200000), s->flush(ignored);
      for (size_t i = 0; i < kept.size(); ++i) kept[i]->save(kept_saves[i]), erased += kept_saves[i].erases;
      compare(later);
      CHECK(erased > 0);  // the rounds did erase entities
    }
  }
  TEST_CASE("timelines, lists and distinct sets keep their snapshot layout byte for byte") {
    // Checkpoints written before their states interned values and members must
    // restore, and new ones must read as before: the layout is pinned here.
    auto plan = test::default_plan();
    auto bytes_of = [](feature_state& s) {  // each test state holds one entity
      test::entity_sink saved;
      s.save(saved);
      std::string bytes;
      for (const auto& [key, encoded] : saved.entities) bytes += encoded;
      return bytes;
    };
    constexpr int64_t min = 60000;
    last_k list(test::feature(plan, "user_browsed_categories"));
    list.add(test::click("u", "i1", 3, t0 + 9, -1, behavior::view), no_watermark, 2);
    list.add(test::click("u", "i2", 2, t0 + 5, -1, behavior::view), no_watermark, 1);
    state_writer want_list;
    want_list.str("u").str("user:seq:{u}").u64(2).i64(t0 + 5).u64(1).str("2").i64(t0 + 9).u64(2).str("3");
    CHECK(bytes_of(list) == want_list.bytes());

    last_k zset(test::feature(plan, "user_session_timeline"));
    zset.add(test::click("u", "i1", 1, t0 + 1000), no_watermark, 1);
    zset.add(test::click("u", "i2", 1, t0 + 2000, -1, behavior::cart), no_watermark, 2);
    zset.add(test::click("u", "i1", 1, t0 + 3000), no_watermark, 3);  // click:i1 moves to its newest ts
    state_writer want_zset;
    want_zset.str("u").str("user:session:{u}").u64(2).i64(t0 + 2000).u64(2).str("cart:i2");
    want_zset.i64(t0 + 3000).u64(3).str("click:i1");
    CHECK(bytes_of(zset) == want_zset.bytes());

    distinct_users sliding(test::feature(plan, "item_unique_visitors"));
    sliding.add(test::click("u2", "i9", 1, t0), no_watermark, 1);
    sliding.add(test::click("u1", "i9", 1, t0 + 1), no_watermark, 2);
    sliding.add(test::click("u3", "i9", 1, t0 + 2), no_watermark, 3);
    sliding.add(test::click("u1", "i9", 1, t0 + 5 * min), no_watermark, 4);
    state_writer want_sliding;
    want_sliding.str("i9").str("item:uv:{i9}").u64(2).i64(t0).u64(2).str("u2").str("u3");
    want_sliding.i64(t0 + 5 * min).u64(1).str("u1");
    CHECK(bytes_of(sliding) == want_sliding.bytes());

    distinct_users unbounded(test::feature(plan, "campaign_region_users"));
    auto e = test::click("u1", "i9", 1, t0);
    e.campaign_id = "c7", e.region = "hz";
    unbounded.add(e, no_watermark, 1);
    hll_sketch registers;
    registers.add("u1");
    state_writer want_unbounded;
    want_unbounded.str("c7\x1fhz").str("campaign:{c7}:region:hz:users").u64(1).i64(INT64_MIN).u64(1).str(registers.encode());
    CHECK(bytes_of(unbounded) == want_unbounded.bytes());
  }
  TEST_CASE("a truncated state stream is reported, not trusted") {
    state_writer w;
    w.str("user").i64(42).u64(7);
    auto bytes = std::string(w.bytes());
    state_reader r(std::string_view(bytes).substr(0, bytes.size() - 1));
    CHECK(r.str() == "user");
    r.i64();
    r.u64();
    CHECK_FALSE(r.ok());
  }
}
