// The drill's membership flags: every impossible change is refused up front with
// an error naming the flag (and, for --lose, why no majority would be left), and
// the changes run in a fixed order with the leaver resolved.
#include <doctest/doctest.h>

#include "runtime/tools/drill/membership_plan.hpp"

using namespace rtfeat;

namespace {

drill_options three_nodes() {
  drill_options o;
  o.nodes = 3;
  o.events = 150000;
  o.kills = 1;
  return o;
}

}  // namespace

TEST_SUITE("runtime.drill.membership_plan") {
  TEST_CASE("a join, a leave and a loss on three nodes are accepted") {
    auto o = three_nodes();
    o.join_at = 3;
    o.leave_at = 8;
    o.lose = "n3";
    CHECK(validate_drill_options(o) == "");
  }

  TEST_CASE("--lose of a node that is not in the drill is refused, naming the nodes") {
    auto o = three_nodes();
    o.lose = "n9";
    CHECK(validate_drill_options(o) == "--lose n9: not a node of the drill (n1..n3)");
    o.lose = "node2";
    CHECK(validate_drill_options(o) == "--lose node2: not a node of the drill (n1..n3)");
  }

  TEST_CASE("--lose on two nodes is refused: one survivor is no majority") {
    auto o = three_nodes();
    o.nodes = 2;
    o.lose = "n2";
    CHECK(validate_drill_options(o)
          == "--lose n2: the cluster has 2 members at the loss, and 1 of 2 is no majority to "
             "replace it: give --nodes 3 or more (or --join-at)");
    o.join_at = 2;  // three members at the loss: two of three replace it
    CHECK(validate_drill_options(o) == "");
  }

  TEST_CASE("a leave before the loss counts: three nodes minus the leaver are too few") {
    auto o = three_nodes();
    o.leave_at = 5;
    o.lose = "n3";
    CHECK(validate_drill_options(o)
          == "--lose n3: the cluster has 2 members at the loss, and 1 of 2 is no majority to "
             "replace it: give --nodes 3 or more (or --join-at)");
  }

  TEST_CASE("--leave-at needs a member besides the coordinator, and --leave a known node") {
    auto o = three_nodes();
    o.nodes = 1;
    o.leave_at = 5;
    CHECK(validate_drill_options(o)
          == "--leave-at: a 1-node cluster has no member to leave but its coordinator");
    o = three_nodes();
    o.leave_at = 5;
    o.leave = "n7";
    CHECK(validate_drill_options(o) == "--leave n7: not a node of the drill (n1..n3)");
    o.join_at = 2;  // the joiner may leave once it joined, not before
    o.leave = "n4";
    CHECK(validate_drill_options(o) == "");
    o.join_at = 9;
    CHECK(validate_drill_options(o)
          == "--leave n4: not a node of the drill (n1..n3, or n4 once it joined)");
    o.join_at.reset();
    o.leave_at.reset();
    o.leave = "n2";
    CHECK(validate_drill_options(o) == "--leave n2: give --leave-at S too");
  }

  TEST_CASE("times must be more than zero seconds") {
    auto o = three_nodes();
    o.join_at = 0;
    CHECK(validate_drill_options(o) == "--join-at: expected seconds > 0, got 0.000000");
    o.join_at = 1;
    o.leave_at = -2;
    CHECK(validate_drill_options(o) == "--leave-at: expected seconds > 0, got -2.000000");
  }

  TEST_CASE("membership changes do not mix with a rescale, nor a node both leaving and lost") {
    auto o = three_nodes();
    o.join_at = 2;
    o.rescale_to = 4;
    CHECK(validate_drill_options(o).starts_with("--rescale-to cannot be combined with --join-at"));
    o = three_nodes();
    o.nodes = 4;
    o.leave_at = 2;
    o.leave = "n2";
    o.lose = "n2";
    CHECK(validate_drill_options(o) == "--lose n2: it is the node that --leave takes out");
  }

  TEST_CASE("the plan runs the timed changes by their time, then the loss") {
    auto o = three_nodes();
    o.join_at = 3;
    o.leave_at = 8;
    o.lose = "n3";
    auto plan = plan_membership(o);
    REQUIRE(plan.size() == 3);
    CHECK(plan[0].kind == membership_change_kind::join);
    CHECK(plan[0].node == "n4");
    CHECK(plan[1].kind == membership_change_kind::leave);
    CHECK(plan[1].node == "n4");  // the last member but the coordinator, once n4 joined
    CHECK(plan[2].kind == membership_change_kind::replace);
    CHECK(plan[2].node == "n3");
    CHECK(plan[2].delay_ms >= 0);
    CHECK(plan[2].delay_ms < o.checkpoint_ms);
    CHECK(plan_membership(o)[2].delay_ms == plan[2].delay_ms);  // same seed, same plan
  }

  TEST_CASE("the default leaver skips the coordinator and the node to lose") {
    auto o = three_nodes();
    o.nodes = 4;
    o.leave_at = 2;
    o.lose = "n4";
    auto plan = plan_membership(o);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].node == "n3");
    o.leave = "n2";
    CHECK(plan_membership(o)[0].node == "n2");
    o.join_at = 9;  // after the leave: the leave goes first
    o.leave.clear();
    plan = plan_membership(o);
    CHECK(plan[0].kind == membership_change_kind::leave);
    CHECK(plan[0].node == "n3");
    CHECK(plan[1].kind == membership_change_kind::join);
  }

  TEST_CASE("membership changes lengthen the default pace's plan, and --rate wins") {
    auto o = three_nodes();
    bool defaulted = false;
    partition_load load;
    load.events.assign(32, 4600);
    load.events[0] = 7400;  // 150 000 events in all, a mean of 4687.5
    REQUIRE(load.total_events() == 150000);
    CHECK(drill_rate(o, load, defaulted) == 313);  // the kill alone: 15 s
    CHECK(defaulted);
    o.join_at = 3;
    o.leave_at = 8;
    o.lose = "n3";
    auto rate = drill_rate(o, load, defaulted);
    CHECK(defaulted);
    // 10 s + the last timed change (8 s) + 5 s per kill + 8 s for the replacement = 31 s.
    CHECK(rate == 151);
    o.rate = 0;
    CHECK(drill_rate(o, load, defaulted) == 0);
    CHECK_FALSE(defaulted);
    o.rate = -1;
    CHECK(validate_drill_options(o).starts_with("--rate: expected 0..100000000"));
  }
}
