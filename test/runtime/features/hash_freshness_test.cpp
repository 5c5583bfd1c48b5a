// The `_ts` freshness field (docs/semantics.md "Freshness"): the newest kept ts
// per hash, only owner features move it, it outlives the hash's other fields,
// and it survives save/load and a restore's rewrite. Values written by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "config/freshness.hpp"
#include "runtime/features/hash_freshness.hpp"
#include "runtime/redis/update_coalescer.hpp"
#include "runtime/murmur2.hpp"
#include "runtime/redis/command_plan.hpp"
#include "test/support/entity_sink.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {

constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;  // a slide edge of every default window
using redis_map = std::map<std::string, std::map<std::string, std::string>>;

/// A plan from catalogue text (written to a temp file: the loader reads files).
feature_plan plan_of(const std::string& toml) {
  auto path = std::filesystem::temp_directory_path() / "rtfeat_test_freshness.toml";
  std::ofstream(path) << toml;
  feature_catalogue c;
  std::string error;
  REQUIRE_MESSAGE(load_feature_catalogue(path.string(), c, error), error);
  return build_feature_plan(c);
}

const compiled_freshness& freshness_of(const feature_plan& plan, const std::string& tmpl) {
  for (const auto& f : plan.freshness)
    if (f.name == "_ts:" + tmpl) return f;
  FAIL("no freshness for " << tmpl);
  return plan.freshness.front();
}

// Owners of u:{u}: `clicks` (user, clicks, lateness 1m) and `spend` (user,
// purchases with a price, lateness 5m). `amount` writes its tier into u:{u}
// too, but ranks among all users: not an owner.
const std::string owners_toml = R"(
[[feature]]
name = "clicks"
entity = "user"
filter = { behavior = ["click"] }
aggregation = "count"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "clicks", ttl = "1800s" }

[[feature]]
name = "spend"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "price"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "5m" }
output = { type = "hash", key = "u:{${user_id}}", field = "spend", ttl = "3600s" }

[[feature]]
name = "amount"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "amount"
window = { type = "sliding", size = "24h", slide = "1h", lateness = "1m" }
output = { type = "string", key = "u:{${user_id}}:amount", ttl = "1d" }
tier = { within = "all", key = "u:{${user_id}}", field = "tier", ttl = "2d" }
)";

event purchase(const std::string& user, int64_t ts, double price, double amount) {
  auto e = click(user, "i1", 3, ts, price, behavior::purchase);
  if (amount >= 0) e.amount = amount, e.has_amount = true;
  return e;
}

std::string ts_of(redis_map& redis, const std::string& key) {
  auto h = redis.find(key);
  if (h == redis.end() || !h->second.contains("_ts")) return "<none>";
  return h->second["_ts"];
}

}  // namespace

TEST_SUITE("config.freshness") {
  TEST_CASE("a template's entity is its first entity id in the order user, item, campaign_region, category") {
    auto entity = [](const std::string& text) {
      key_template t;
      std::string error;
      REQUIRE(parse_key_template(text, t, error));
      return entity_of_template(t);
    };
    CHECK(entity("user:feature:{${user_id}}") == entity_kind::user);
    CHECK(entity("u:{${user_id}}:${category_id}") == entity_kind::user);
    CHECK(entity("item:feature:{${item_id}}") == entity_kind::item);
    CHECK(entity("i:{${item_id}}:${category_id}:${region}") == entity_kind::item);
    CHECK(entity("campaign:{${campaign_id}}:region:${region}") == entity_kind::campaign_region);
    CHECK(entity("cat:{${category_id}}:${region}") == entity_kind::campaign_region);
    CHECK(entity("cat:buckets:{${category_id}}") == entity_kind::category);
    CHECK_FALSE(entity("global:stats").has_value());
  }
}

TEST_SUITE("runtime.hash_freshness") {
  TEST_CASE("the default catalogue's owned hashes and their shards") {
    auto plan = test::default_plan();
    REQUIRE(plan.freshness.size() == 3);
    CHECK(freshness_of(plan, "user:feature:{${user_id}}").scope == feature_scope::user);
    CHECK(freshness_of(plan, "user:feature:{${user_id}}").owners.size() == 4);  // not amount_tier
    CHECK(freshness_of(plan, "user:feature:{${user_id}}").ttl_s == 7 * 86400);  // purchase gaps' 7d
    CHECK(freshness_of(plan, "item:feature:{${item_id}}").scope == feature_scope::item);
    CHECK(freshness_of(plan, "item:feature:{${item_id}}").owners.size() == 1);  // item_popularity only
    CHECK(freshness_of(plan, "cat:buckets:{${category_id}}").scope == feature_scope::category);
    CHECK(freshness_of(plan, "cat:buckets:{${category_id}}").emit_interval_ms == 1000);  // item_click_rank's
    std::vector<feature_scope> scopes;
    std::vector<std::string> names;
    make_feature_states(plan, true, scopes, &names);
    CHECK(std::count(names.begin(), names.end(), "_ts:user:feature:{${user_id}}") == 1);
    make_feature_states(plan, false, scopes, &names);
    CHECK(std::count(names.begin(), names.end(), "_ts:item:feature:{${item_id}}") == 1);
    CHECK(std::count(names.begin(), names.end(), "_ts:user:feature:{${user_id}}") == 0);
  }

  TEST_CASE("_ts is the newest kept event of any behaviour, written only when it grows") {
    auto plan = test::default_plan();
    hash_freshness f(plan, freshness_of(plan, "user:feature:{${user_id}}"));
    redis_map redis;
    f.add(click("u", "i", 1, t0 + 5000, -1, behavior::view), no_watermark, 1);
    f.add(click("u", "i", 1, t0 + 9000, -1, behavior::cart), no_watermark, 2);
    f.add(click("u", "i", 1, t0 + 7000, -1, behavior::search), no_watermark, 3);
    f.add(click("v", "i", 1, t0 + 1000), no_watermark, 4);
    test::flush_into(redis, f);
    CHECK(ts_of(redis, "user:feature:{u}") == "1767225609000");
    CHECK(ts_of(redis, "user:feature:{v}") == "1767225601000");
    f.add(click("u", "i", 1, t0 + 8000), no_watermark, 5);  // older: nothing to write
    std::vector<key_update> out;
    f.flush(out);
    CHECK(out.empty());
    f.add(click("u", "i", 1, t0 + 9001, -1, behavior::fav), no_watermark, 6);
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "user:feature:{u}");
    CHECK(out[0].set == std::vector<std::pair<std::string, std::string>>{{"_ts", "1767225609001"}});
    CHECK(out[0].del.empty());
    CHECK(out[0].ttl_s == 7 * 86400);
    CHECK(f.entities() == 2);
  }

  TEST_CASE("a feature of another scope writing the hash does not move its _ts") {
    auto plan = plan_of(owners_toml);
    REQUIRE(plan.freshness.size() == 1);  // u:{u}; the string key is no hash
    const auto& fr = freshness_of(plan, "u:{${user_id}}");
    CHECK(fr.ttl_s == 2 * 86400);  // the tier's TTL: the key's largest, owner or not
    hash_freshness f(plan, fr);
    redis_map redis;
    f.add(purchase("u", t0, -1, 20), no_watermark, 1);  // kept by `amount` (tier) only
    test::flush_into(redis, f);
    CHECK(redis.empty());
    // The category shard, where `amount` lives, has no freshness state at all.
    std::vector<feature_scope> scopes;
    std::vector<std::string> names;
    make_feature_states(plan, false, scopes, &names);
    CHECK(names == std::vector<std::string>{"amount"});
  }

  TEST_CASE("behaviour filters, missing values and each owner's own lateness decide what is kept") {
    auto plan = plan_of(owners_toml);
    hash_freshness f(plan, freshness_of(plan, "u:{${user_id}}"));
    redis_map redis;
    int64_t w = t0 + 20 * min;  // the reader's watermark before each event
    f.add(click("u", "i", 1, w, -1, behavior::view), w, 1);    // no owner counts views
    f.add(purchase("u", w, -1, 5), w, 2);                     // `spend` needs a price
    f.add(click("u", "i", 1, w - 2 * min), w, 3);             // late for `clicks` (1m)
    test::flush_into(redis, f);
    CHECK(redis.empty());
    f.add(purchase("u", w - 4 * min, 10, -1), w, 4);  // on time for `spend` (5m)
    test::flush_into(redis, f);
    CHECK(ts_of(redis, "u:{u}") == std::to_string(w - 4 * min));
    f.add(click("u", "i", 1, w - 1 * min), w, 5);  // exactly at the edge of `clicks`' lateness: on time
    test::flush_into(redis, f);
    CHECK(ts_of(redis, "u:{u}") == std::to_string(w - 1 * min));
    f.add(click("u", "i", 1, w + 3), no_watermark, 7);  // no watermark yet: nothing is late
    test::flush_into(redis, f);
    CHECK(ts_of(redis, "u:{u}") == std::to_string(w + 3));
  }

  TEST_CASE("_ts stays when the window deletes every other field of the hash") {
    auto plan = test::default_plan();
    std::vector<feature_scope> scopes;
    auto states = make_feature_states(plan, true, scopes);
    redis_map redis;
    auto flush_all = [&] {
      std::vector<key_update> out;
      for (auto& s : states) s->flush(out);
      test::apply_updates(redis, out);
    };
    for (auto& s : states) s->add(click("u", "i", 4, t0 + 1000, 60), no_watermark, 1);
    flush_all();
    CHECK(redis["user:feature:{u}"]["cat:4"] == "1");
    CHECK(redis["user:feature:{u}"]["price:50-100"] == "1");
    CHECK(ts_of(redis, "user:feature:{u}") == "1767225601000");
    for (auto& s : states) s->advance(t0 + 120 * min);  // both 30 min windows are empty
    flush_all();
    CHECK(redis["user:feature:{u}"] == std::map<std::string, std::string>{{"_ts", "1767225601000"}});
  }

  TEST_CASE("_ts goes to Redis in the same HSET as the shard's other fields of the hash") {
    auto plan = test::default_plan();
    std::vector<feature_scope> scopes;
    auto states = make_feature_states(plan, true, scopes);
    for (auto& s : states) s->add(click("u", "i", 4, t0 + 1000), no_watermark, 1);
    std::vector<key_update> out;
    for (auto& s : states) s->flush(out);
    update_coalescer c;
    for (auto& u : out) c.add(std::move(u));
    ttl_tracker ttl;
    recorded_commands cmds;
    plan_commands(c.take(), ttl, 0, cmds);
    std::vector<std::vector<std::string>> hsets;
    for (const auto& cmd : cmds.commands)
      if (cmd[0] == "HSET" && cmd[1] == "user:feature:{u}") hsets.push_back(cmd);
    REQUIRE(hsets.size() == 1);
    CHECK(std::find(hsets[0].begin(), hsets[0].end(), "_ts") != hsets[0].end());
    CHECK(std::find(hsets[0].begin(), hsets[0].end(), "cat:4") != hsets[0].end());
  }

  TEST_CASE("save and load keep every hash's _ts in its entity's key group, and a restore rewrites them") {
    auto plan = test::default_plan();
    const auto& fr = freshness_of(plan, "item:feature:{${item_id}}");
    hash_freshness original(plan, fr);
    for (int i = 0; i < 50; ++i)
      original.add(click("u" + std::to_string(i % 7), "i" + std::to_string(i % 13), i % 3, t0 + i * 997 % 20000),
                   no_watermark, static_cast<uint64_t>(i));
    redis_map before;
    test::flush_into(before, original);
    REQUIRE(before.size() == 13);
    test::entity_sink saved;
    original.save(saved);
    for (const auto& [k, bytes] : saved.entities) CHECK(k.first.starts_with("i"));  // the item's key, not the hash key
    hash_freshness restored(plan, fr);
    for (const auto& [kg, bytes] : saved.by_key_group()) {
      state_reader r(bytes);
      REQUIRE(restored.load(r));
    }
    CHECK(restored.entities() == 13);
    redis_map after;
    test::flush_into(after, restored);
    CHECK(after.empty());  // loading alone writes nothing
    restored.rewrite_all();
    test::flush_into(after, restored);
    CHECK(after == before);
    CHECK(restored.newest("item:feature:{i3}") == original.newest("item:feature:{i3}"));
    original.rewrite_all();  // the same for a state that already wrote everything once
    redis_map again;
    test::flush_into(again, original);
    CHECK(again == before);
  }

  TEST_CASE("a key naming more than the entity's id has one _ts per rendered key, saved with the entity") {
    auto plan = plan_of(R"(
[[feature]]
name = "per_category"
entity = "user"
aggregation = "count"
group_by = "category_id"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "uc:{${user_id}}:${category_id}", field = "n", ttl = "1800s" }
)");
    const auto& fr = freshness_of(plan, "uc:{${user_id}}:${category_id}");
    hash_freshness f(plan, fr);
    f.add(click("u", "i", 1, t0 + 10), no_watermark, 1);
    f.add(click("u", "i", 2, t0 + 30), no_watermark, 2);
    f.add(click("u", "i", 1, t0 + 20), no_watermark, 3);
    f.add(click("v", "i", 1, t0 + 5), no_watermark, 4);
    redis_map redis;
    test::flush_into(redis, f);
    CHECK(ts_of(redis, "uc:{u}:1") == "1767225600020");
    CHECK(ts_of(redis, "uc:{u}:2") == "1767225600030");
    CHECK(ts_of(redis, "uc:{v}:1") == "1767225600005");
    test::entity_sink saved;
    f.save(saved);
    std::map<std::string, std::string> by_entity;  // routing key -> its entities' encodings
    for (const auto& [k, bytes] : saved.entities) by_entity[k.first] += bytes;
    CHECK(by_entity.size() == 2);  // u's two hashes go with u
    hash_freshness restored(plan, fr);
    for (const auto& [user, bytes] : by_entity) {
      state_reader r(bytes);
      REQUIRE(restored.load(r));
    }
    restored.rewrite_all();
    redis_map again;
    test::flush_into(again, restored);
    CHECK(again == redis);
  }

  TEST_CASE("no hash of the default catalogue is ever written by delete-and-replace (which would drop _ts)") {
    auto plan = test::default_plan();
    for (bool user_shard : {true, false}) {
      std::vector<feature_scope> scopes;
      auto states = make_feature_states(plan, user_shard, scopes);
      std::vector<key_update> out;
      for (int64_t i = 0; i < 200; ++i) {
        auto e = click("u" + std::to_string(i % 5), "i" + std::to_string(i % 9), i % 9 % 4, t0 + i * 30000,
                       static_cast<double>(i % 700), static_cast<behavior>(i % 6));
        if (e.kind == behavior::purchase) e.amount = 3, e.has_amount = true;
        e.campaign_id = "c1", e.region = "hz";
        for (auto& s : states) s->add(e, no_watermark, static_cast<uint64_t>(i));
        if (i % 50 == 49)
          for (auto& s : states) s->advance(t0 + i * 30000 - 60000), s->flush(out);
      }
      for (auto& s : states) s->rewrite_all(), s->flush(out);
      for (const auto& u : out) {
        CAPTURE(u.key);
        CHECK_FALSE((u.type == redis_type::hash && u.replace));
      }
    }
  }
}
