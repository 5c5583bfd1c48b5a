// Feature #4: item clicks, percentile rank in category, decile edges.
#include <doctest/doctest.h>

#include <map>

#include "runtime/features/item_ranks.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {

constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;
using redis_map = std::map<std::string, std::map<std::string, std::string>>;


}  // namespace

TEST_SUITE("runtime.item_ranks") {
  TEST_CASE("items are ranked within their category with ties at the midpoint") {
    auto plan = test::default_plan();
    item_ranks r(test::feature(plan, "item_click_rank"));
    // counts in category 7: a=1, b=1, c=2, d=5; category 8: x=3
    for (auto [item, n] : std::vector<std::pair<std::string, int>>{{"a", 1}, {"b", 1}, {"c", 2}, {"d", 5}})
      for (int i = 0; i < n; ++i) r.add(click("u", item, 7, t0 + i), no_watermark, 0);
    for (int i = 0; i < 3; ++i) r.add(click("u", "x", 8, t0 + i), no_watermark, 0);
    redis_map redis;
    test::flush_into(redis, r);
    CHECK(redis["item:feature:{a}"]["clicks"] == "1");
    CHECK(redis["item:feature:{a}"]["click_pct"] == "25.0000");
    CHECK(redis["item:feature:{b}"]["click_pct"] == "25.0000");
    CHECK(redis["item:feature:{c}"]["click_pct"] == "62.5000");
    CHECK(redis["item:feature:{d}"]["clicks"] == "5");
    CHECK(redis["item:feature:{d}"]["click_pct"] == "87.5000");
    CHECK(redis["item:feature:{x}"]["click_pct"] == "50.0000");
    // n = 4: p10..p20 -> 1st, p30..p50 -> 2nd, p60..p70 -> 3rd, p80..p90 -> 4th smallest.
    auto& b = redis["cat:buckets:{7}"];
    CHECK(b["p10"] == "1");
    CHECK(b["p30"] == "1");
    CHECK(b["p50"] == "1");
    CHECK(b["p60"] == "2");
    CHECK(b["p80"] == "5");
    CHECK(b["p90"] == "5");
  }
  TEST_CASE("one new click re-ranks the other items of the category") {
    auto plan = test::default_plan();
    item_ranks r(test::feature(plan, "item_click_rank"));
    r.add(click("u", "a", 7, t0), no_watermark, 0);
    r.add(click("u", "b", 7, t0), no_watermark, 0);
    redis_map redis;
    test::flush_into(redis, r);
    CHECK(redis["item:feature:{a}"]["click_pct"] == "50.0000");
    r.add(click("u", "b", 7, t0 + 1), no_watermark, 0);
    test::flush_into(redis, r);
    CHECK(redis["item:feature:{a}"]["click_pct"] == "25.0000");
    CHECK(redis["item:feature:{b}"]["click_pct"] == "75.0000");
  }
  TEST_CASE("items and buckets disappear when their clicks leave the window") {
    auto plan = test::default_plan();
    item_ranks r(test::feature(plan, "item_click_rank"));
    r.add(click("u", "a", 7, t0), no_watermark, 0);
    r.add(click("u", "b", 7, t0 + 5 * min), no_watermark, 0);
    redis_map redis;
    test::flush_into(redis, r);
    r.advance(t0 + 35 * min - 1);  // tail = t0 + 5 min: a leaves
    test::flush_into(redis, r);
    CHECK(redis.count("item:feature:{a}") == 0);
    CHECK(redis["item:feature:{b}"]["click_pct"] == "50.0000");
    r.advance(t0 + 40 * min - 1);
    test::flush_into(redis, r);
    CHECK(redis.empty());
    CHECK(r.entities() == 0);
  }
}
