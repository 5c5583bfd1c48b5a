// Tests of count, sum, avg, min and max with group_by, weights, string outputs
// and tumbling windows, of decimal rounding, and of the default catalogue's
// tier (SPEC §3 #6) and trend (#11). Every expected value is worked out by hand.
#include <doctest/doctest.h>

#include "oracle/decimal_text.hpp"
#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;
using rtfeat::oracle::field_map;

namespace {

// Max ts T gives W = T - 5000 = B + 1'799'999: 30m/5m tail = B, 10m tumbling tail =
// floor((B + 1'200'000) / 600'000) * 600'000 = B + 900'000 (B % 600'000 = 300'000),
// 5m/1m tail = B + 1'500'000, 24h/1h tail = B - 87'300'000.
constexpr int64_t T = B + 1'804'999;

constexpr const char* numeric_catalogue = R"(
[[feature]]
name = "n"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "count"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "n", ttl = "60s" }

[[feature]]
name = "total"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "amount"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "total" }

[[feature]]
name = "mean"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "avg"
value = "amount"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "mean" }

[[feature]]
name = "low"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "min"
value = "price"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "low" }

[[feature]]
name = "high"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "max"
value = "price"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "high" }

[[feature]]
name = "by_region"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "count"
group_by = "region"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "r:${region}" }

[[feature]]
name = "net"
entity = "user"
filter = { behavior = ["purchase"] }
aggregation = "sum"
value = "amount"
window = { type = "sliding", size = "30m", slide = "5m", lateness = "1m" }
output = { type = "string", key = "net:{${user_id}}", ttl = "120s" }

[[feature]]
name = "points"
entity = "user"
aggregation = "sum"
weights = { view = 1, click = 2, purchase = 10 }
window = { type = "tumbling", size = "10m", lateness = "1m" }
output = { type = "string", key = "pts:{${user_id}}" }
)";

std::string purchase(const std::string& user, int64_t ts, const std::string& more) {
  return full(user, "purchase", ts, R"("item_id":"i1","category_id":7,)" + more);
}

}  // namespace

TEST_SUITE("oracle.numeric") {
  TEST_CASE("count, sum, avg, min and max follow the decimal rules at the window edges") {
    temp_dir dir;
    auto features = dir.write("features.toml", numeric_catalogue);
    auto s = run_oracle(
      jsonl({purchase("u1", B - 1, R"("amount":1000,"price":1000,"region":"hz")"),  // before tail B
             purchase("u1", B, R"("amount":59.9,"price":59.9,"region":"hz")"),
             full("u1", "view", B + 899'999,
                  R"("item_id":"i1","category_id":7)"),  // before tumbling tail
             full("u1", "view", B + 900'000, R"("item_id":"i1","category_id":7)"),
             purchase("u1", T, R"("amount":59.9,"price":59.9,"region":"sh")"),
             purchase("u1", T, R"("amount":59.9,"price":59.9,"region":"hz")"),
             purchase("u1", T, R"("amount":0.00005,"price":0.00015)"),  // no region
             purchase("u1", T, R"("price":100)"),                       // no amount
             full("u1", "click", T, R"("item_id":"i1","category_id":7,"amount":5)"),
             purchase("u2", T, R"("amount":1.25)"), purchase("u2", T, R"("amount":-1.75)"),
             full("u3", "search", T)}),
      {"source.partitions=1"}, features);
    // n: the 5 purchases from B on. total: 3 * 599'000 + llround(0.5) = 1'797'001 units;
    // the purchase without an amount is not kept for it. mean: 1'797'001 / 40'000 = 44.925025.
    // Prices: 599'000 x3, llround(0.00015 * 10000.0 = 1.4999999999999998) = 1, 1'000'000.
    CHECK(hash(s, "u:{u1}")
          == field_map{{"n", "5"},
                       {"total", "179.7001"},
                       {"mean", "44.9250"},
                       {"low", "0.0001"},
                       {"high", "100.0000"},
                       {"r:hz", "2"},
                       {"r:sh", "1"}});
    // 12'500 - 17'500 = -5'000 units; mean -5'000 / 20'000; no price: no min or max.
    CHECK(hash(s, "u:{u2}") == field_map{{"n", "2"}, {"total", "-0.5000"}, {"mean", "-0.2500"}});
    CHECK(string_at(s, "net:{u1}") == "179.7001");
    CHECK(string_at(s, "net:{u2}") == "-0.5000");
    // Tumbling tail B + 900'000: view 1 + 4 purchases * 10 + click 2. u3: one search, weight 0.
    CHECK(string_at(s, "pts:{u1}") == "43");
    CHECK(string_at(s, "pts:{u2}") == "20");
    CHECK(string_at(s, "pts:{u3}") == "0");
    CHECK(s.keys.size() == 7);
    CHECK(s.ttl_s.at("u:{u1}") == 60);
    CHECK(s.ttl_s.at("net:{u1}") == 120);
    CHECK(s.ttl_s.count("pts:{u1}") == 0);
  }

  TEST_CASE("the purchase tier ranks users with a positive sum and ties share a tier") {
    // g's purchase is first in the log (not late) and 25 h before T: outside the 24h window.
    auto s = run_oracle(
      jsonl({purchase("g", T - 90'000'000, R"("amount":50)"),
             purchase("h", B - 87'300'001, R"("amount":7)"),
             purchase("h", B - 87'300'000, R"("amount":8)"), purchase("a", T, R"("amount":10)"),
             purchase("b", T, R"("amount":20)"), purchase("c", T, R"("amount":12.5)"),
             purchase("c", T, R"("amount":7.5)"), purchase("d", T, R"("amount":30)"),
             purchase("e", T, R"("amount":-5)"), purchase("f", T, "\"price\":3")}),
      {"source.partitions=1"});
    // Sums > 0: a 10, b 20, c 20, h 8 (7 left with the tail), d 30: n = 5.
    // tier = 1 + floor(10 * less / 5): h 1, a 1 + 2, b and c 1 + 4, d 1 + 8.
    CHECK(string_at(s, "user:stats:{a}:purchase_amount") == "10.0000");
    CHECK(string_at(s, "user:stats:{c}:purchase_amount") == "20.0000");
    CHECK(string_at(s, "user:stats:{h}:purchase_amount") == "8.0000");
    CHECK(value(s, "user:feature:{h}", "amount_tier") == "1");
    CHECK(value(s, "user:feature:{a}", "amount_tier") == "3");
    CHECK(value(s, "user:feature:{b}", "amount_tier") == "5");
    CHECK(value(s, "user:feature:{c}", "amount_tier") == "5");
    CHECK(value(s, "user:feature:{d}", "amount_tier") == "9");
    for (const char* u : {"e", "f", "g"}) {
      CHECK(string_at(s, "user:stats:{" + std::string(u) + "}:purchase_amount") == "<none>");
      CHECK(value(s, "user:feature:{" + std::string(u) + "}", "amount_tier") == "<none>");
    }
    CHECK(s.ttl_s.at("user:stats:{a}:purchase_amount") == 86400);
  }

  TEST_CASE("the trend compares the window with the previous span, which may be empty") {
    auto item = [](const std::string& behavior, const std::string& i, int64_t ts) {
      return full("u1", behavior, ts, R"("item_id":")" + i + R"(","category_id":7)");
    };
    // Previous span [B + 1'500'000 - 1'800'000, B + 1'500'000) = [B - 300'000, B + 1'500'000).
    auto s = run_oracle(jsonl({item("cart", "old", B - 300'001), item("cart", "p", B - 300'000),
                               item("cart", "p", B + 1'499'999), item("view", "p", B + 1'500'000),
                               item("click", "p", T), item("view", "new", T),
                               item("purchase", "new", T), item("search", "quiet", T)}),
                        {"source.partitions=1"});
    // p: cur = view 1 + click 2 = 3, prev = 2 carts = 8: 6 * 4 / 14 = 1.714285...
    CHECK(value(s, "item:feature:{p}", "realtime_popularity") == "3");
    CHECK(value(s, "item:feature:{p}", "trend_score") == "1.7143");
    // new: cur = 1 + 5 = 6, prev empty: 6 * 7 / 6.
    CHECK(hash(s, "item:feature:{new}")
          == field_map{{"realtime_popularity", "6"}, {"trend_score", "7.0000"}});
    // old: before the previous span; quiet: a search weighs 0, so cur + prev = 0. Both
    // hashes keep only `_ts`: item_popularity keeps any behaviour with an item.
    CHECK(whole_hash(s, "item:feature:{old}") == field_map{{"_ts", std::to_string(B - 300'001)}});
    CHECK(whole_hash(s, "item:feature:{quiet}") == field_map{{"_ts", std::to_string(T)}});
  }

  TEST_CASE("decimals are written from integers of 1/10000 and ratios with %.4f") {
    using namespace rtfeat::oracle;
    CHECK(to_units(0.00005) == 1);  // 0.5 rounds away from zero
    CHECK(to_units(0.00015) == 1);  // 1.4999999999999998
    CHECK(to_units(-0.00005) == -1);
    CHECK(to_units(59.9) == 599'000);
    CHECK(units_text(0) == "0.0000");
    CHECK(units_text(5) == "0.0005");
    CHECK(units_text(-5) == "-0.0005");
    CHECK(units_text(1'797'000) == "179.7000");
    CHECK(units_text(-123'456) == "-12.3456");
    CHECK(ms_as_seconds_text(1500) == "1.5000");
    CHECK(ms_as_seconds_text(61'001) == "61.0010");
    CHECK(ratio_text(1, 3) == "0.3333");
    CHECK(ratio_text(2, 3) == "0.6667");
  }

}  // TEST_SUITE
