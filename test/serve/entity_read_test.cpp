// The serving view of the default catalogue and the rendering of one entity
// from Redis replies: typing, absent features, freshness, bad values.
#include <doctest/doctest.h>

#include <hiredis/hiredis.h>

#include <memory>

#include "serve/catalogue/entity_read.hpp"
#include "serve/catalogue/served_catalogue.hpp"

using namespace rtfeat;
using namespace rtfeat::serve;

namespace {

served_catalogue default_catalogue() {
  feature_catalogue c;
  std::string error;
  REQUIRE(load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error));
  served_catalogue s;
  REQUIRE(build_served_catalogue(c, s, error));
  return s;
}

std::string bulk(std::string_view s) { return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n"; }

std::string array(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (auto i : items) out += bulk(i);
  return out;
}

/// Parses RESP text into hiredis replies, as the connection does.
struct replies {
  std::vector<std::unique_ptr<redisReply, void (*)(void*)>> owned;
  const redisReply* parse(const std::string& resp) {
    redisReader* r = redisReaderCreate();
    redisReaderFeed(r, resp.data(), resp.size());
    void* out = nullptr;
    REQUIRE(redisReaderGetReply(r, &out) == REDIS_OK);
    redisReaderFree(r);
    REQUIRE(out != nullptr);
    owned.emplace_back(static_cast<redisReply*>(out), freeReplyObject);
    return owned.back().get();
  }
};

size_t key_index(const served_entity& e, std::string_view prefix) {
  for (size_t k = 0; k < e.keys.size(); ++k)
    if (e.keys[k].prefix == prefix) return k;
  FAIL("no key " << prefix);
  return 0;
}

std::string render(const served_entity& e, const feature_mask& wanted, const std::vector<key_reply>& keys,
                   render_stats& stats) {
  std::string out;
  std::vector<uint8_t> present;
  render_entity(e, "u1", wanted, keys, 1000, out, stats, present);
  return out;
}

}  // namespace

TEST_SUITE("serve.catalogue") {
  TEST_CASE("the default catalogue is served per entity with its keys") {
    auto s = default_catalogue();
    const auto& user = s.of(entity_type::user);
    CHECK(user.features.size() == 7);
    CHECK(user.find("user_category_clicks") >= 0);
    CHECK(user.find("item_popularity") < 0);
    CHECK(user.keys.size() == 4);  // user:feature, user:seq, user:stats:..:purchase_amount, user:session
    CHECK(s.of(entity_type::item).features.size() == 3);
    REQUIRE(s.of(entity_type::category).features.size() == 1);
    CHECK(s.of(entity_type::category).features[0].name == "item_click_rank");
    REQUIRE(s.skipped.size() == 1);
    CHECK(s.skipped[0].starts_with("campaign_region_users: "));
    std::vector<uint8_t> needed;
    std::vector<key_reply> keys;
    feature_mask only_timeline(user.features.size(), 0);
    only_timeline[static_cast<size_t>(user.find("user_session_timeline"))] = 1;
    keys_to_read(user, only_timeline, needed, keys);
    // The timeline's zset, and the user hash for its _ts only.
    size_t hash = key_index(user, "user:feature:{");
    CHECK(needed[hash] == 1);
    CHECK(keys[hash].ts_only);
    CHECK(needed[key_index(user, "user:session:{")] == 1);
    CHECK(needed[key_index(user, "user:seq:{")] == 0);
    std::string commands;
    append_read_command(commands, user.keys[hash], "u1", true);
    CHECK(commands == "*3\r\n$4\r\nHGET\r\n$17\r\nuser:feature:{u1}\r\n$3\r\n_ts\r\n");
  }

  TEST_CASE("two features whose hash fields cannot be told apart are refused") {
    feature_catalogue c;
    std::string error;
    REQUIRE(load_feature_catalogue(std::string(RTFEAT_SOURCE_DIR) + "/config/features.toml", c, error));
    auto clash = c.features[0];  // user_category_clicks writes cat:${category_id}
    clash.name = "clash";
    clash.output.field = "c${category_id}";
    c.features.push_back(clash);
    served_catalogue s;
    CHECK_FALSE(build_served_catalogue(c, s, error));
    CHECK(error.find("'user_category_clicks' and 'clash'") != std::string::npos);
  }

  TEST_CASE("an entity renders typed values, lists absent features and its freshness") {
    auto s = default_catalogue();
    const auto& user = s.of(entity_type::user);
    replies r;
    std::vector<key_reply> keys(user.keys.size());
    keys[key_index(user, "user:feature:{")].reply =
      r.parse(array({"cat:17", "3", "cat:4", "1", "price:0-50", "2", "purchase_gap_2", "60.5000", "purchase_gap_1",
                     "12.0000", "funnel_bucket", "2", "amount_tier", "7", "_ts", "900"}));
    keys[key_index(user, "user:seq:{")].reply = r.parse(array({"17", "4", "17"}));
    keys[key_index(user, "user:stats:{")].reply = r.parse(bulk("59.9000"));
    keys[key_index(user, "user:session:{")].reply = r.parse(array({"click:i9", "850", "view:i1", "700"}));
    feature_mask all(user.features.size(), 1);
    render_stats stats;
    auto json = render(user, all, keys, stats);
    CHECK(json
          == R"({"id":"u1","features":{"user_category_clicks":{"17":3,"4":1},"user_price_band_clicks":{"0-50":2},)"
             R"("user_browsed_categories":[17,4,17],"user_purchase_gaps":[12.0000,60.5000],)"
             R"("user_purchase_amount":{"amount":59.9000,"amount_tier":7},"new_user_funnel":2,)"
             R"("user_session_timeline":[{"member":"click:i9","ts":850},{"member":"view:i1","ts":700}]},)"
             R"("absent":[],"freshness":{"event_time_ms":900,"age_ms":100}})");
    CHECK(stats.requested == 7);
    CHECK(stats.absent == 0);
    CHECK(stats.freshness_ts == 900);
  }

  TEST_CASE("missing keys and fields make features absent; text that does not fit its type is counted") {
    auto s = default_catalogue();
    const auto& user = s.of(entity_type::user);
    replies r;
    std::vector<key_reply> keys(user.keys.size());
    keys[key_index(user, "user:feature:{")].reply = r.parse(array({"cat:17", "x1", "amount_tier", "7"}));
    keys[key_index(user, "user:seq:{")].reply = r.parse("*0\r\n");
    keys[key_index(user, "user:stats:{")].reply = r.parse("$-1\r\n");
    keys[key_index(user, "user:session:{")].reply = r.parse("-WRONGTYPE Operation against a key\r\n");
    feature_mask all(user.features.size(), 1);
    render_stats stats;
    auto json = render(user, all, keys, stats);
    CHECK(json
          == R"({"id":"u1","features":{"user_purchase_amount":{"amount_tier":7}},"absent":["user_category_clicks",)"
             R"("user_price_band_clicks","user_browsed_categories","user_purchase_gaps","new_user_funnel",)"
             R"("user_session_timeline"],"freshness":null})");
    CHECK(stats.absent == 6);
    CHECK(stats.bad_values == 1);
  }

  TEST_CASE("a category's deciles keep their field names; an item's HyperLogLog is its count") {
    auto s = default_catalogue();
    const auto& cat = s.of(entity_type::category);
    replies r;
    std::vector<key_reply> keys(cat.keys.size());
    keys[0].reply = r.parse(array({"p10", "1", "p90", "8", "_ts", "5"}));
    render_stats stats;
    auto json = render(cat, feature_mask(1, 1), keys, stats);
    CHECK(json == R"({"id":"u1","features":{"item_click_rank":{"p10":1,"p90":8}},"absent":[],)"
                  R"("freshness":{"event_time_ms":5,"age_ms":995}})");
    const auto& item = s.of(entity_type::item);
    std::vector<key_reply> ikeys(item.keys.size());
    feature_mask uv(item.features.size(), 0);
    auto f = static_cast<size_t>(item.find("item_unique_visitors"));
    uv[f] = 1;
    ikeys[item.features[f].parts[0].key].reply = r.parse(":42\r\n");
    json = render(item, uv, ikeys, stats);
    CHECK(json == R"({"id":"u1","features":{"item_unique_visitors":42},"absent":[],"freshness":null})");
  }
}
