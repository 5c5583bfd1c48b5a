// Per-user features without a sliding value: purchase gaps (#3) and the
// first-hour funnel (#7).
#include <doctest/doctest.h>

#include <map>

#include "runtime/features/first_hour_funnel.hpp"
#include "runtime/features/purchase_intervals.hpp"
#include "test/support/test_catalogue.hpp"

using namespace rtfeat;
using rtfeat::test::click;

namespace {
constexpr int64_t min = 60000;
constexpr int64_t t0 = 1767225600000;
using redis_map = std::map<std::string, std::map<std::string, std::string>>;

}  // namespace

TEST_SUITE("runtime.user_state_features") {
  TEST_CASE("purchase gaps are the newest three, newest first, in seconds with four decimals") {
    auto plan = test::default_plan();
    purchase_intervals f(test::feature(plan, "user_purchase_gaps"));
    redis_map redis;
    f.add(click("u", "i", 1, t0, 10, behavior::purchase), no_watermark, 1);
    test::flush_into(redis, f);
    CHECK(redis.empty());  // one purchase: no gap yet
    f.add(click("u", "i", 1, t0 + 1234, 10, behavior::purchase), no_watermark, 2);
    f.add(click("u", "i", 1, t0 + 61234, 10, behavior::purchase), no_watermark, 3);
    f.add(click("u", "i", 1, t0 + 500, 10, behavior::purchase), no_watermark, 4);  // out of order
    f.add(click("u", "i", 1, t0 + 90000, 10, behavior::purchase), no_watermark, 5);
    test::flush_into(redis, f);
    // sorted: 0, 500, 1234, 61234, 90000 -> newest gaps 28.766, 60, 0.734
    auto& h = redis["user:feature:{u}"];
    CHECK(h["purchase_gap_1"] == "28.7660");
    CHECK(h["purchase_gap_2"] == "60.0000");
    CHECK(h["purchase_gap_3"] == "0.7340");
    CHECK(h.size() == 3);
  }
  TEST_CASE("the funnel counts steps in order within the first hour") {
    auto plan = test::default_plan();
    first_hour_funnel f(test::feature(plan, "new_user_funnel"));
    redis_map redis;
    f.add(click("u", "i", 1, t0, -1, behavior::view), no_watermark, 1);  // first seen
    f.add(click("u", "i", 1, t0 + 1000, -1, behavior::cart), no_watermark, 2);  // before click: no step
    f.add(click("u", "i", 1, t0 + 2000, -1, behavior::search), no_watermark, 3);
    f.add(click("u", "i", 1, t0 + 3000, -1, behavior::click), no_watermark, 4);
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u}"]["funnel_bucket"] == "2");
    f.add(click("u", "i", 1, t0 + 60 * min, -1, behavior::cart), no_watermark, 5);  // one hour later: outside
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u}"]["funnel_bucket"] == "2");
    f.add(click("u", "i", 1, t0 + 59 * min, -1, behavior::cart), no_watermark, 6);
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u}"]["funnel_bucket"] == "3");
  }
  TEST_CASE("an earlier event arriving late moves the first-seen time and the hour with it") {
    auto plan = test::default_plan();
    first_hour_funnel f(test::feature(plan, "new_user_funnel"));
    redis_map redis;
    f.add(click("u", "i", 1, t0 + 30 * min, -1, behavior::search), no_watermark, 1);
    f.add(click("u", "i", 1, t0 + 80 * min, -1, behavior::click), no_watermark, 2);
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u}"]["funnel_bucket"] == "2");
    f.add(click("u", "i", 1, t0, -1, behavior::view), no_watermark, 3);  // F = t0: the click is now outside
    test::flush_into(redis, f);
    CHECK(redis["user:feature:{u}"]["funnel_bucket"] == "1");
  }
}
