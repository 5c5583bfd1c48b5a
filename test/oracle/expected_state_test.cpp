// Tests of the oracle's feature values against hand-computed Redis content:
// window tails on slide edges, percentile ranks with ties, nearest-rank deciles,
// price bands, several categories per user, per-feature lateness, and what the
// rest of the default catalogue adds to the same small logs.
#include <doctest/doctest.h>

#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::oracle::field_map;

namespace {

// A max ts T gives W = T - 5000 = B + 1'799'999, so the tail is
// floor((W + 1 - 1'800'000) / 300'000) * 300'000 = B: events at T are in the window.
constexpr int64_t T = B + 1'804'999;

void check_deciles(const rtfeat::oracle::expected_state& s, const std::string& key,
                   const std::vector<std::string>& p10_to_p90) {
  for (size_t i = 0; i < 9; ++i)
    CHECK_MESSAGE(value(s, key, "p" + std::to_string(10 * (i + 1))) == p10_to_p90[i], "p",
                  10 * (i + 1));
}

}  // namespace

TEST_SUITE("oracle.expected_state") {
  TEST_CASE("an event one ms before the window tail is out and one at the tail is in") {
    auto s = run_oracle(jsonl({click("u1", "i1", 7, B, 10), click("u1", "i1", 7, B - 1, 10),
                               click("u1", "i2", 8, T, 10)}),
                        {"source.partitions=1"});
    CHECK(s.stats.final_watermark == B + 1'799'999);
    CHECK(hash(s, "user:feature:{u1}")
          == field_map{{"cat:7", "1"}, {"cat:8", "1"}, {"price:0-50", "2"}});
    // item_popularity, 5m/1m: tail = B + 1'500'000, previous span [B - 300'000, tail).
    // i1: two clicks (weight 2) in the previous span: cur 0, prev 4, 6 * 1 / 10.
    // i2: one click at T: cur 2, prev 0, 6 * 3 / 6.
    CHECK(hash(s, "item:feature:{i1}")
          == field_map{{"clicks", "1"},
                       {"click_pct", "50.0000"},
                       {"realtime_popularity", "0"},
                       {"trend_score", "0.6000"}});
    CHECK(hash(s, "item:feature:{i2}")
          == field_map{{"clicks", "1"},
                       {"click_pct", "50.0000"},
                       {"realtime_popularity", "2"},
                       {"trend_score", "3.0000"}});
    check_deciles(s, "cat:buckets:{7}", {"1", "1", "1", "1", "1", "1", "1", "1", "1"});
    // 1h/5m windows (tail B - 1'800'000) hold all three clicks.
    CHECK(zset(s, "user:session:{u1}")
          == std::map<std::string, int64_t>{{"click:i1", B}, {"click:i2", T}});
    CHECK(hll(s, "item:uv:{i1}") == std::set<std::string>{"u1"});
    CHECK(hll(s, "item:uv:{i2}") == std::set<std::string>{"u1"});
    // No search, so no funnel step; no view, purchase or campaign.
    CHECK(s.keys.size() == 8);
    CHECK(s.ttl_s.at("user:feature:{u1}") == 604800);  // the key's largest (purchase gaps' 7d), as `_ts` writes it
    CHECK(s.ttl_s.at("cat:buckets:{8}") == 1800);
    CHECK(s.ttl_s.at("user:session:{u1}") == 3600);
    CHECK(s.ttl_s.at("item:uv:{i1}") == 3600);
  }

  TEST_CASE("one ms less of watermark moves the tail back a whole slide") {
    // W = B + 1'799'998: tail = floor((B - 1) / 300'000) * 300'000 = B - 300'000.
    auto s = run_oracle(jsonl({click("u1", "i1", 7, B, 10), click("u1", "i1", 7, B - 1, 10),
                               click("u1", "i2", 8, T - 1, 10)}),
                        {"source.partitions=1"});
    CHECK(value(s, "user:feature:{u1}", "cat:7") == "2");
    CHECK(value(s, "user:feature:{u1}", "price:0-50") == "3");
    CHECK(value(s, "item:feature:{i1}", "clicks") == "2");
  }

  TEST_CASE("items are ranked within their category with ties sharing the midpoint") {
    std::vector<std::string> lines{click("u0", "i5", 7, B - 1)};  // out of the window: no key
    // Category 7 counts: i1 1, i2 1, i3 2, i4 5. Category 9: j1 1, j2 2, j3 3.
    for (auto [item, n] : {std::pair{"i1", 1}, {"i2", 1}, {"i3", 2}, {"i4", 5}})
      for (int i = 0; i < n; ++i) lines.push_back(click("u" + std::to_string(i), item, 7, T));
    for (auto [item, n] : {std::pair{"j1", 1}, {"j2", 2}, {"j3", 3}})
      for (int i = 0; i < n; ++i) lines.push_back(click("v", item, 9, T));
    lines.push_back(rtfeat::oracle::test::ev("u9", "view", "i1", 7, T));  // not a click
    auto s = run_oracle(jsonl(lines), {"source.partitions=1"});
    // pct = 100 * (less + equal / 2) / n, n = 4: (0 + 1) / 4, (2 + 0.5) / 4, (3 + 0.5) / 4.
    CHECK(value(s, "item:feature:{i1}", "click_pct") == "25.0000");
    CHECK(value(s, "item:feature:{i2}", "click_pct") == "25.0000");
    CHECK(value(s, "item:feature:{i3}", "click_pct") == "62.5000");
    CHECK(value(s, "item:feature:{i4}", "click_pct") == "87.5000");
    CHECK(value(s, "item:feature:{i4}", "clicks") == "5");
    // i5's click at B - 1 is only in item_popularity's previous span [B - 300'000, B + 1'500'000):
    // cur 0, prev 2, trend 6 * 1 / 8.
    CHECK(hash(s, "item:feature:{i5}")
          == field_map{{"realtime_popularity", "0"}, {"trend_score", "0.7500"}});
    // n = 3: 0.5 / 3 = 16.6667 %, 1.5 / 3 = 50 %, 2.5 / 3 = 83.3333 %.
    CHECK(value(s, "item:feature:{j1}", "click_pct") == "16.6667");
    CHECK(value(s, "item:feature:{j2}", "click_pct") == "50.0000");
    CHECK(value(s, "item:feature:{j3}", "click_pct") == "83.3333");
    // n = 4, ranks ceil(k * 4 / 100) = 1 1 2 2 2 3 3 4 4 over sorted 1 1 2 5.
    check_deciles(s, "cat:buckets:{7}", {"1", "1", "1", "1", "1", "2", "2", "5", "5"});
    // n = 3, ranks ceil(k * 3 / 100) = 1 1 1 2 2 2 3 3 3 over sorted 1 2 3.
    check_deciles(s, "cat:buckets:{9}", {"1", "1", "1", "2", "2", "2", "3", "3", "3"});
    CHECK(hash(s, "cat:buckets:{9}").size() == 9);
  }

  TEST_CASE("an item in two categories is ranked in each; its own fields are undefined") {
    // i1: 3 clicks in category 7, 1 in category 9. Category 7: i1 3, i2 1. Category 9: i1 1, j1 2.
    auto s = run_oracle(jsonl({click("u", "i1", 7, T), click("u", "i1", 7, T), click("u", "i1", 7, T),
                               click("u", "i2", 7, T), click("u", "i1", 9, T), click("u", "j1", 9, T),
                               click("u", "j1", 9, T)}),
                        {"source.partitions=1"});
    // Each category ranks its pairs: (7, i1) 3 is above i2's 1, (9, i1) 1 below j1's 2.
    check_deciles(s, "cat:buckets:{7}", {"1", "1", "1", "1", "1", "3", "3", "3", "3"});
    check_deciles(s, "cat:buckets:{9}", {"1", "1", "1", "1", "1", "2", "2", "2", "2"});
    CHECK(value(s, "item:feature:{i2}", "click_pct") == "25.0000");
    CHECK(value(s, "item:feature:{j1}", "click_pct") == "75.0000");
    // i1's clicks/click_pct would be 3 or 1: no value is expected, none compared.
    CHECK(value(s, "item:feature:{i1}", "clicks") == "<none>");
    CHECK(value(s, "item:feature:{i1}", "click_pct") == "<none>");
    CHECK(s.undefined_fields.size() == 1);
    CHECK(s.undefined_fields.at("item:feature:{i1}") == std::set<std::string>{"clicks", "click_pct"});
  }

  TEST_CASE("an item in two categories has a value per category when its key names the category") {
    temp_dir dir;
    auto features = dir.write("features.toml", R"(
[[feature]]
name = "ranks"
entity = "item"
filter = { behavior = ["click"] }
aggregation = "percentile_rank"
rank_within = "category_id"
fields = { count = "clicks", rank = "click_pct" }
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "ic:{${item_id}}:${category_id}" }
deciles = { type = "hash", key = "cb:{${category_id}}", field = "p${k}" }
)");
    auto s = run_oracle(jsonl({click("u", "i1", 7, T), click("u", "i1", 7, T), click("u", "i2", 7, T),
                               click("u", "i1", 9, T)}),
                        {"source.partitions=1"}, features);
    CHECK(hash(s, "ic:{i1}:7") == field_map{{"clicks", "2"}, {"click_pct", "75.0000"}});
    CHECK(hash(s, "ic:{i2}:7") == field_map{{"clicks", "1"}, {"click_pct", "25.0000"}});
    CHECK(hash(s, "ic:{i1}:9") == field_map{{"clicks", "1"}, {"click_pct", "50.0000"}});
    CHECK(s.undefined_fields.empty());
  }

  TEST_CASE("decile edges on exact ranks take the k*n/100-th smallest count") {
    // Ten items with counts 1..10: ceil(k * 10 / 100) = k / 10 exactly, so p{k} = k / 10.
    std::vector<std::string> lines;
    for (int c = 1; c <= 10; ++c)
      for (int i = 0; i < c; ++i) lines.push_back(click("u", "k" + std::to_string(c), 5, T));
    auto s = run_oracle(jsonl(lines), {"source.partitions=1"});
    check_deciles(s, "cat:buckets:{5}", {"1", "2", "3", "4", "5", "6", "7", "8", "9"});
    // pct(c) = 100 * (c - 1 + 0.5) / 10.
    CHECK(value(s, "item:feature:{k1}", "click_pct") == "5.0000");
    CHECK(value(s, "item:feature:{k5}", "click_pct") == "45.0000");
    CHECK(value(s, "item:feature:{k10}", "click_pct") == "95.0000");
    CHECK(value(s, "item:feature:{k10}", "clicks") == "10");
  }

  TEST_CASE("price bands are half-open and events without a price are not counted") {
    std::vector<std::string> lines;
    for (double p : {0.0, 49.99, 50.0, 99.999, 100.0, 1000.0, 1e9})
      lines.push_back(click("u1", "i1", 7, T, p));
    lines.push_back(click("u1", "i1", 7, T));  // no price
    lines.push_back(
      R"({"user_id":"u1","behavior":"click","item_id":"i1","category_id":7,"price":-5,"ts":)"
      + std::to_string(T) + "}");                                             // below every band
    lines.push_back(rtfeat::oracle::test::ev("u1", "view", "i1", 7, T, 10));  // not a click
    auto s = run_oracle(jsonl(lines), {"source.partitions=1"});
    CHECK(hash(s, "user:feature:{u1}")
          == field_map{{"cat:7", "9"},
                       {"price:0-50", "2"},
                       {"price:50-100", "2"},
                       {"price:100-200", "1"},
                       {"price:1000-inf", "2"}});
  }

  TEST_CASE("a user's clicks are counted per category and other behaviours are not") {
    auto s =
      run_oracle(jsonl({click("u1", "i1", 1, T), click("u1", "i1", 1, T), click("u1", "i2", 2, T),
                        rtfeat::oracle::test::ev("u1", "view", "i3", 3, T), click("u2", "i4", 1, T),
                        rtfeat::oracle::test::ev("u2", "cart", "i4", 1, T)}),
                 {"source.partitions=1"});
    CHECK(hash(s, "user:feature:{u1}") == field_map{{"cat:1", "2"}, {"cat:2", "1"}});
    CHECK(hash(s, "user:feature:{u2}") == field_map{{"cat:1", "1"}});
    // Category 1: i1 has 2, i4 has 1 -> 75 % and 25 %; category 2: i2 alone -> 50 %.
    // Popularity at T (current span): i1 2 clicks = 4, 6 * 5 / 6; i4 click 2 + cart 4 = 6,
    // 6 * 7 / 6; i2 2, 6 * 3 / 6; i3 one view = 1, 6 * 2 / 6.
    CHECK(hash(s, "item:feature:{i1}")
          == field_map{{"clicks", "2"},
                       {"click_pct", "75.0000"},
                       {"realtime_popularity", "4"},
                       {"trend_score", "5.0000"}});
    CHECK(hash(s, "item:feature:{i4}")
          == field_map{{"clicks", "1"},
                       {"click_pct", "25.0000"},
                       {"realtime_popularity", "6"},
                       {"trend_score", "7.0000"}});
    CHECK(value(s, "item:feature:{i2}", "click_pct") == "50.0000");
    CHECK(hash(s, "item:feature:{i3}")
          == field_map{{"realtime_popularity", "1"}, {"trend_score", "2.0000"}});
    check_deciles(s, "cat:buckets:{1}", {"1", "1", "1", "1", "1", "2", "2", "2", "2"});
    CHECK(s.keys.count("cat:buckets:{3}") == 0);  // a view is not a click
    CHECK(list(s, "user:seq:{u1}") == std::vector<std::string>{"3"});
    CHECK(zset(s, "user:session:{u2}")
          == std::map<std::string, int64_t>{{"cart:i4", T}, {"click:i4", T}});
    CHECK(hll(s, "item:uv:{i4}") == std::set<std::string>{"u2"});
    // users 2 + seq 1 + sessions 2, items 4 + uv 4, categories 2.
    CHECK(s.keys.size() == 15);
  }

  TEST_CASE("a feature with a smaller lateness does not count events late for it") {
    temp_dir dir;
    auto features = dir.write("features.toml", R"(
[[feature]]
name = "clicks"
entity = "user"
filter = { behavior = ["click"] }
aggregation = "count"
group_by = "category_id"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "cat:${category_id}" }

[[feature]]
name = "prices"
entity = "user"
filter = { behavior = ["click"] }
aggregation = "histogram"
value = "price"
edges = [0, 100]
window = { type = "sliding", size = "30m", slide = "5m", lateness = "10s" }
output = { type = "hash", key = "u:{${user_id}}", field = "price:${band}" }
)");
    // wm_at_read = T - 5000 for the last two; "prices" drops ts < T - 15000 only.
    auto s = run_oracle(jsonl({click("u1", "i1", 7, T, 10), click("u1", "i1", 7, T - 15000, 10),
                               click("u1", "i1", 7, T - 15001, 10)}),
                        {"source.partitions=1"}, features);
    CHECK(s.stats.late == 0);
    CHECK(hash(s, "u:{u1}") == field_map{{"cat:7", "3"}, {"price:0-100", "2"}});
    CHECK(s.ttl_s.count("u:{u1}") == 0);  // no ttl configured
  }

  TEST_CASE("two features writing the same hash field or the same key as two types are refused") {
    temp_dir dir;
    std::string count = R"(
[[feature]]
name = "NAME"
entity = "user"
aggregation = "count"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "k:{${user_id}}", field = "n" }
)";
    auto twice = count + count;
    twice.replace(twice.find("NAME"), 4, "first");
    twice.replace(twice.find("NAME"), 4, "second");
    auto line = jsonl({click("u1", "i1", 7, T)});
    CHECK(oracle_error(line, {"source.partitions=1"}, dir.write("a.toml", twice))
          == "feature 'second' writes field 'n' of key 'k:{u1}', which an earlier feature also "
             "writes");
    auto as_string = count;
    as_string.replace(as_string.find("NAME"), 4, "first");
    as_string += R"(
[[feature]]
name = "text"
entity = "user"
aggregation = "count"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "string", key = "k:{${user_id}}" }
)";
    CHECK(
      oracle_error(line, {"source.partitions=1"}, dir.write("b.toml", as_string))
      == "feature 'text' writes key 'k:{u1}' as a string, which an earlier feature also writes");
  }

  TEST_CASE("a tier with group_by and a trend without a hash output are refused") {
    temp_dir dir;
    auto tier = dir.write("tier.toml", R"(
[[feature]]
name = "spend"
entity = "user"
aggregation = "sum"
value = "amount"
group_by = "region"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "s:{${user_id}}", field = "r:${region}" }
tier = { within = "all", key = "t:{${user_id}}", field = "tier" }
)");
    CHECK(oracle_error("", {"source.partitions=1"}, tier)
          == "feature 'spend' (line 2): a tier with group_by has no meaning in docs/semantics.md");
    auto trend = dir.write("trend.toml", R"(
[[feature]]
name = "pop"
entity = "item"
aggregation = "count"
window = { type = "sliding", size = "5m", slide = "1m", lateness = "1m" }
trend = { previous = "30m", field = "trend" }
output = { type = "string", key = "p:{${item_id}}" }
)");
    CHECK(oracle_error("", {"source.partitions=1"}, trend)
          == "feature 'pop' (line 2): a trend without a hash output has no meaning in "
             "docs/semantics.md");
  }

}  // TEST_SUITE
