// Category-shard features: amount tiers among all users (#6), distinct users
// into HyperLogLogs (#8, #9) and item popularity with trend (#11).
#include <doctest/doctest.h>

#include <map>

#include <set>

#include "runtime/features/distinct_users.hpp"
#include "runtime/features/user_tiers.hpp"
#include "runtime/features/windowed_stats.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {
constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;
using redis_map = std::map<std::string, std::map<std::string, std::string>>;

event purchase(std::string user, int64_t ts, double amount) {
  auto e = click(std::move(user), "i", 1, ts, 10, behavior::purchase);
  e.amount = amount;
  e.has_amount = true;
  return e;
}
}  // namespace

TEST_SUITE("runtime.group_features") {
  TEST_CASE("amount sums are exact decimals and tiers rank all buyers with ties together") {
    auto plan = test::default_plan();
    user_tiers f(test::feature(plan, "user_purchase_amount"));
    f.add(purchase("a", t0, 59.9), no_watermark, 1);
    f.add(purchase("a", t0 + 1, 59.9), no_watermark, 2);
    f.add(purchase("a", t0 + 2, 59.9), no_watermark, 3);
    f.add(purchase("b", t0, 0.00005), no_watermark, 4);  // rounds to 0.0001
    f.add(purchase("c", t0, 10), no_watermark, 5);
    f.add(purchase("d", t0, 10), no_watermark, 6);
    redis_map redis;
    std::vector<key_update> out;
    f.flush(out);
    test::apply_updates(redis, out);
    CHECK(redis["user:stats:{a}:purchase_amount"][""] == "179.7000");
    CHECK(redis["user:stats:{b}:purchase_amount"][""] == "0.0001");
    // n = 4 sums 0.0001, 10, 10, 179.7: tier = 1 + floor(10 * less / 4)
    CHECK(redis["user:feature:{b}"]["amount_tier"] == "1");
    CHECK(redis["user:feature:{c}"]["amount_tier"] == "3");
    CHECK(redis["user:feature:{d}"]["amount_tier"] == "3");
    CHECK(redis["user:feature:{a}"]["amount_tier"] == "8");
  }
  TEST_CASE("amount sums past int64 units are exact and rank above the others") {
    auto plan = test::default_plan();
    user_tiers f(test::feature(plan, "user_purchase_amount"));
    f.add(purchase("big", t0, 1e15), no_watermark, 1);      // 1e19 units: int64 held 9.2e18
    f.add(purchase("twice", t0, 6e14), no_watermark, 2);    // each fits int64 units, the sum does not
    f.add(purchase("twice", t0 + 1, 6e14), no_watermark, 3);
    f.add(purchase("edge", t0, 1e18), no_watermark, 4);     // the parser's bound
    f.add(purchase("edge", t0 + 1, -0.0001), no_watermark, 5);
    f.add(purchase("small", t0, 10), no_watermark, 6);
    redis_map redis;
    std::vector<key_update> out;
    f.flush(out);
    test::apply_updates(redis, out);
    CHECK(redis["user:stats:{big}:purchase_amount"][""] == "1000000000000000.0000");
    CHECK(redis["user:stats:{twice}:purchase_amount"][""] == "1200000000000000.0000");
    CHECK(redis["user:stats:{edge}:purchase_amount"][""] == "999999999999999999.9999");
    CHECK(redis["user:stats:{small}:purchase_amount"][""] == "10.0000");
    CHECK(redis["user:feature:{small}"]["amount_tier"] == "1");
    CHECK(redis["user:feature:{big}"]["amount_tier"] == "3");
    CHECK(redis["user:feature:{twice}"]["amount_tier"] == "6");
    CHECK(redis["user:feature:{edge}"]["amount_tier"] == "8");
  }
  TEST_CASE("a sliding HyperLogLog is rewritten with the exact set when members leave, and only then") {
    auto plan = test::default_plan();
    distinct_users f(test::feature(plan, "item_unique_visitors"));
    f.add(click("u1", "i9", 1, t0), no_watermark, 1);
    f.add(click("u2", "i9", 1, t0 + 5 * min), no_watermark, 2);
    f.add(click("u1", "i9", 1, t0 + 5 * min), no_watermark, 3);
    f.add(click("u3", "i9", 1, t0 + 10 * min), no_watermark, 4);
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "item:uv:{i9}");
    CHECK_FALSE(out[0].replace);
    using set = std::set<std::string>;
    CHECK(set(out[0].values.begin(), out[0].values.end()) == set{"u1", "u2", "u3"});
    f.advance(t0 + 65 * min - 1);  // tail = t0 + 5 min: the first bucket leaves, u1 stays by its later visit
    out.clear();
    f.flush(out);
    CHECK(out.empty());  // the set did not change: nothing to write
    f.advance(t0 + 70 * min - 1);  // tail = t0 + 10 min: u1 and u2 leave
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].replace);
    CHECK(out[0].values == std::vector<std::string>{"u3"});
    f.advance(t0 + 75 * min - 1);  // everything left: the key is deleted
    out.clear();
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].replace);
    CHECK(out[0].values.empty());
    CHECK(f.entities() == 0);
  }
  TEST_CASE("campaign participation adds each user to its campaign and region") {
    auto plan = test::default_plan();
    distinct_users f(test::feature(plan, "campaign_region_users"));
    auto e = click("u1", "i9", 1, t0);
    f.add(e, no_watermark, 1);  // no campaign: not counted
    e.campaign_id = "c7";
    e.region = "hz";
    f.add(e, no_watermark, 2);
    std::vector<key_update> out;
    f.flush(out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].key == "campaign:{c7}:region:hz:users");
    CHECK(out[0].values == std::vector<std::string>{"u1"});
  }
  TEST_CASE("popularity weighs behaviours and the trend compares with the previous 30 minutes") {
    auto plan = test::default_plan();
    windowed_stats f(test::feature(plan, "item_popularity"));
    f.add(click("u", "i9", 1, t0, -1, behavior::view), no_watermark, 1);      // 1
    f.add(click("u", "i9", 1, t0 + 1, -1, behavior::purchase), no_watermark, 2);  // 5
    redis_map redis;
    std::vector<key_update> out;
    f.flush(out);
    test::apply_updates(redis, out);
    CHECK(redis["item:feature:{i9}"]["realtime_popularity"] == "6");
    CHECK(redis["item:feature:{i9}"]["trend_score"] == "7.0000");  // 6 * (6 + 1) / (0 + 6)
    // 5 min / 1 min: tail = t0 + 1 min at W = t0 + 6 min - 1; the events move to the previous window.
    f.advance(t0 + 6 * min - 1);
    f.add(click("u", "i9", 1, t0 + 2 * min, -1, behavior::click), no_watermark, 3);  // 2
    test::flush_into(redis, f);
    CHECK(redis["item:feature:{i9}"]["realtime_popularity"] == "2");
    CHECK(redis["item:feature:{i9}"]["trend_score"] == "1.5000");  // 6 * 3 / (6 + 6)
    f.advance(t0 + 37 * min - 1);  // tail = t0 + 32 min: the click (t0 + 2 min) is the previous window
    test::flush_into(redis, f);
    CHECK(redis["item:feature:{i9}"]["realtime_popularity"] == "0");
    CHECK(redis["item:feature:{i9}"]["trend_score"] == "0.7500");  // 6 * 1 / (2 + 6)
    f.advance(t0 + 38 * min - 1);  // tail = t0 + 33 min: everything is gone
    test::flush_into(redis, f);
    CHECK(redis.count("item:feature:{i9}") == 0);
  }
}
