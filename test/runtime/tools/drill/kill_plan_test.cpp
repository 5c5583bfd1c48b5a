// The drill plan: repeatable from its seed, half the kills during a checkpoint,
// the coordinator's node among the victims, every delay inside its range.
#include <doctest/doctest.h>

#include <algorithm>

#include "runtime/tools/drill/kill_plan.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.drill.kill_plan") {
  TEST_CASE("the same seed gives the same plan, another seed another one") {
    auto a = plan_drill(7, 3, 5, true, 500);
    auto b = plan_drill(7, 3, 5, true, 500);
    auto c = plan_drill(8, 3, 5, true, 500);
    auto same = [](const drill_plan& x, const drill_plan& y) {
      return std::equal(x.kills.begin(), x.kills.end(), y.kills.begin(), y.kills.end(),
                        [](const planned_kill& p, const planned_kill& q) {
                          return p.victim == q.victim && p.moment == q.moment
                                 && p.delay_ms == q.delay_ms && p.pause_ms == q.pause_ms;
                        });
    };
    CHECK(same(a, b));
    CHECK_FALSE(same(a, c));
    REQUIRE(a.rescale);
    CHECK(a.rescale->delay_ms == b.rescale->delay_ms);
  }

  TEST_CASE("half the kills, rounded up, wait for a checkpoint in flight") {
    for (uint32_t kills : {1u, 2u, 5u, 10u}) {
      auto plan = plan_drill(kills, 3, kills, false, 500);
      REQUIRE(plan.kills.size() == kills);
      auto in_flight = std::count_if(
        plan.kills.begin(), plan.kills.end(),
        [](const planned_kill& k) { return k.moment == kill_moment::checkpoint_in_flight; });
      CHECK(in_flight == (kills + 1) / 2);
      CHECK_FALSE(plan.rescale);
    }
  }

  TEST_CASE("victims are nodes of the cluster, and two kills or more include node 0") {
    for (uint64_t seed = 1; seed <= 50; ++seed) {
      auto plan = plan_drill(seed, 4, 2, false, 500);
      CHECK(std::all_of(plan.kills.begin(), plan.kills.end(),
                        [](const planned_kill& k) { return k.victim < 4; }));
      CHECK(std::any_of(plan.kills.begin(), plan.kills.end(),
                        [](const planned_kill& k) { return k.victim == 0; }));
    }
    auto one_node = plan_drill(3, 1, 3, false, 500);
    CHECK(std::all_of(one_node.kills.begin(), one_node.kills.end(),
                      [](const planned_kill& k) { return k.victim == 0; }));
  }

  TEST_CASE("delays stay within one checkpoint interval and pauses within their bounds") {
    for (uint64_t seed = 1; seed <= 50; ++seed) {
      auto plan = plan_drill(seed, 3, 6, true, 200);
      for (const auto& k : plan.kills) {
        CHECK(k.delay_ms >= 0);
        CHECK(k.delay_ms < 200);
        if (k.moment == kill_moment::checkpoint_in_flight) CHECK(k.delay_ms == 0);
        CHECK(k.pause_ms >= min_pause_ms);
        CHECK(k.pause_ms <= max_pause_ms);
      }
      CHECK(plan.rescale->delay_ms < 200);
      CHECK(plan.rescale->pause_ms >= min_pause_ms);
    }
  }
}
