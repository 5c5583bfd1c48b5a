// Tests of the default catalogue's new-user funnel (SPEC §3 #7) and distinct
// users (#8 unbounded, #9 sliding): F over every kept event, ordered steps, and
// members leaving a sliding window. Values worked out by hand.
#include <doctest/doctest.h>

#include "test/oracle/oracle_test_support.hpp"

using namespace rtfeat::oracle::test;

namespace {

constexpr int64_t S = B + 10'000'000;  // any start; the funnel window does not depend on W
constexpr int64_t hour = 3'600'000;

std::string step(const std::string& user, const std::string& behavior, int64_t ts) {
  if (behavior == "search") return full(user, "search", ts);
  return ev(user, behavior, "i1", 7, ts);
}

std::string funnel(const std::vector<std::string>& lines, const std::string& user) {
  return value(run_oracle(jsonl(lines), {"source.partitions=1"}), "user:feature:{" + user + "}",
               "funnel_bucket");
}

using members = std::set<std::string>;

}  // namespace

TEST_SUITE("oracle.funnel_distinct") {
  TEST_CASE("the funnel counts steps in order within an hour of the first event") {
    CHECK(funnel({step("u", "search", S), step("u", "view", S + 5), step("u", "click", S + 10),
                  step("u", "cart", S + hour - 1)},
                 "u")
          == "3");
    // The cart at F + 1h is outside [F, F + 1h).
    CHECK(
      funnel({step("u", "search", S), step("u", "click", S + 10), step("u", "cart", S + hour)}, "u")
      == "2");
    // The first event is a view: it opens the window although it is no step.
    CHECK(funnel(
            {step("u", "view", S), step("u", "search", S + hour - 1), step("u", "click", S + hour)},
            "u")
          == "1");
  }

  TEST_CASE("the funnel requires order and is absent without a first step") {
    // Cart before click: the pointer waits for click, so cart never counts.
    CHECK(funnel({step("u", "search", S), step("u", "cart", S + 1), step("u", "click", S + 2)}, "u")
          == "2");
    CHECK(funnel({step("u", "cart", S), step("u", "click", S + 1), step("u", "search", S + 2)}, "u")
          == "1");
    CHECK(funnel({step("u", "click", S), step("u", "cart", S + 1)}, "u") == "<none>");
    // Equal ts: log order decides; search after click at the same ms gives 1.
    CHECK(funnel({step("u", "click", S), step("u", "search", S)}, "u") == "1");
  }

  TEST_CASE("an out-of-order earlier event moves F and with it the funnel window") {
    // Without the view, F = S + 30'000 and the window reaches S + 3'630'000: all 3 steps.
    std::vector<std::string> lines{step("u", "search", S + 30'000),
                                   step("u", "click", S + 3'610'000),
                                   step("u", "cart", S + 3'615'000)};
    CHECK(funnel(lines, "u") == "3");
    // A view 30 s earlier, read after the search (not late): F = S, click and cart fall out.
    lines.insert(lines.begin() + 1, step("u", "view", S));
    CHECK(funnel(lines, "u") == "1");
  }

  TEST_CASE("F ignores the funnel's behaviour filter but the walk does not") {
    temp_dir dir;
    auto features = dir.write("features.toml", R"(
[[feature]]
name = "f"
entity = "user"
filter = { behavior = ["search", "click", "cart"] }
aggregation = "funnel"
steps = ["search", "click", "cart"]
window = { type = "first_after_seen", size = "1h", lateness = "1m" }
output = { type = "hash", key = "u:{${user_id}}", field = "steps" }
)");
    // The view is filtered out of the walk, yet it sets F = S: the cart at S + 1h is out.
    auto s = run_oracle(jsonl({step("u", "view", S), step("u", "search", S + 1),
                               step("u", "click", S + 2), step("u", "cart", S + hour)}),
                        {"source.partitions=1"}, features);
    CHECK(value(s, "u:{u}", "steps") == "2");
  }

  TEST_CASE("distinct campaign users are the exact set of every kept event, unbounded") {
    auto c = [](const std::string& user, const std::string& more, int64_t ts) {
      return full(user, "search", ts, more);
    };
    auto s = run_oracle(jsonl({c("a", R"("campaign_id":"c1","region":"hz")", B),
                               ev("b", "view", "i1", 7, B + 1),  // no campaign: not kept
                               c("b", R"("campaign_id":"c1","region":"hz")", B + 2),
                               c("a", R"("campaign_id":"c1","region":"hz")", B + 3),
                               c("z", R"("campaign_id":"c1")", B + 4),  // no region: not kept
                               c("y", R"("campaign_id":"c1","region":"")", B + 5),  // "" is absent
                               c("a", R"("campaign_id":"c2","region":"sh")", B + 90'000'000)}),
                        {"source.partitions=1"});
    CHECK(hll(s, "campaign:{c1}:region:hz:users") == members{"a", "b"});
    CHECK(hll(s, "campaign:{c2}:region:sh:users") == members{"a"});
    CHECK(s.ttl_s.at("campaign:{c1}:region:hz:users") == 604800);
    size_t campaign_keys = 0;
    for (const auto& [key, v] : s.keys) campaign_keys += key.starts_with("campaign:") ? 1 : 0;
    CHECK(campaign_keys == 2);  // nothing for z (no region) or y (region "")
  }

  TEST_CASE("distinct item visitors leave the sliding hour one slide at a time") {
    // Max ts T: W = B + 1'799'999, 1h/5m tail = B - 1'800'000.
    constexpr int64_t T = B + 1'804'999;
    auto s = run_oracle(
      jsonl({ev("left", "view", "i1", 7, B - 1'800'001), ev("edge", "cart", "i1", 7, B - 1'800'000),
             ev("late", "fav", "i1", 7, T - 1), ev("late", "purchase", "i1", 7, T),
             full("searcher", "search", T, R"("item_id":"i1")")}),
      {"source.partitions=1"});
    CHECK(hll(s, "item:uv:{i1}") == members{"edge", "late"});
    CHECK(s.ttl_s.at("item:uv:{i1}") == 3600);
    // One ms more of watermark moves the tail a whole slide: "edge" leaves too.
    auto later = run_oracle(
      jsonl({ev("left", "view", "i1", 7, B - 1'800'001), ev("edge", "cart", "i1", 7, B - 1'800'000),
             ev("late", "purchase", "i1", 7, T + 300'000)}),
      {"source.partitions=1"});
    CHECK(hll(later, "item:uv:{i1}") == members{"late"});
  }

}  // TEST_SUITE
