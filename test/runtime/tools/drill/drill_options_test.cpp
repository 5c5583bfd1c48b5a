// rtfeat drill's flag checks: every bad combination is refused up front with an
// error that names the flag, before any process or directory exists.
#include <doctest/doctest.h>

#include "runtime/tools/drill/drill_options.hpp"

using namespace rtfeat;

namespace {

/// `total` events over `partitions`, `fullest` of them in partition 0.
partition_load spread(uint32_t partitions, uint64_t total, uint64_t fullest) {
  partition_load load;
  load.events.assign(partitions, (total - fullest) / (partitions - 1));
  load.events[0] = fullest;
  return load;
}

drill_options generated(uint32_t nodes, uint64_t events, uint32_t kills) {
  drill_options o;
  o.nodes = nodes;
  o.events = events;
  o.kills = kills;
  return o;
}

}  // namespace

TEST_SUITE("runtime.drill.drill_options") {
  TEST_CASE("a usual drill is accepted") {
    auto o = generated(3, 2000000, 5);
    o.rescale_to = 4;
    CHECK(validate_drill_options(o) == "");
  }

  TEST_CASE("zero or too many nodes are refused, for --nodes and --rescale-to") {
    CHECK(validate_drill_options(generated(0, 100000, 1)) == "--nodes: expected 1..16, got 0");
    CHECK(validate_drill_options(generated(17, 100000, 1)) == "--nodes: expected 1..16, got 17");
    auto o = generated(2, 200000, 1);
    o.rescale_to = 0;
    CHECK(validate_drill_options(o) == "--rescale-to: expected 1..16, got 0");
  }

  TEST_CASE("exactly one of --events and --from is required") {
    auto both = generated(2, 100000, 1);
    both.from = "log.jsonl";
    CHECK(validate_drill_options(both) == "give either --events N or --from LOG.jsonl, not both");
    drill_options neither;
    neither.nodes = 2;
    CHECK(validate_drill_options(neither)
          == "give --events N (generated) or --from LOG.jsonl (recorded)");
    CHECK(validate_drill_options(generated(2, 0, 0)) == "--events: expected at least 1");
  }

  TEST_CASE("kills need enough events, counting the rescale as one more") {
    CHECK(validate_drill_options(generated(2, 20000, 2)) == "");
    CHECK(validate_drill_options(generated(2, 19999, 2))
          == "--events 19999: too few for 2 kills: give at least 20000 (10000 per kill or rescale), or fewer --kills");
    auto o = generated(2, 20000, 2);
    o.rescale_to = 3;
    CHECK(validate_drill_options(o)
          == "--events 20000: too few for 2 kills and a rescale: give at least 30000 (10000 per kill or rescale), "
             "or fewer --kills");
  }

  TEST_CASE(
    "an unpaced drill (--rate 0) needs ten times the events: the cluster drains at full speed") {
    auto o = generated(2, 200000, 2);
    o.rate = 0;
    CHECK(validate_drill_options(o) == "");
    o.events = 199999;
    CHECK(validate_drill_options(o)
          == "--events 199999: too few for 2 kills with --rate 0: give at least 200000 (100000 per kill or rescale "
             "unpaced, 10000 paced), or fewer --kills");
    o.rate = 500;  // paced by the operator
    CHECK(validate_drill_options(o) == "");
  }

  TEST_CASE("a recorded log is checked once its events are counted") {
    drill_options o;
    o.nodes = 2;
    o.kills = 1;
    o.from = "prod-sample.jsonl";
    CHECK(validate_drill_options(o) == "");
    CHECK(check_drill_events(o, 1000)
          == "--from prod-sample.jsonl has 1000 events: too few for 1 kill: give at least 10000 (10000 per kill or "
             "rescale), or fewer --kills");
    CHECK(check_drill_events(o, 10000) == "");
  }

  TEST_CASE("kills alone get a default pace at which the log outlasts them") {
    auto o = generated(3, 200000, 4);
    bool defaulted = false;
    // 10 s + 5 s per kill = 30 s for the mean partition's 6250 events.
    CHECK(planned_reading_s(o) == doctest::Approx(30.0));
    CHECK(drill_rate(o, spread(32, 200000, 9190), defaulted) == 208);
    CHECK(defaulted);
    o.rescale_to = 4;  // a rescale is one more disruption: 35 s
    CHECK(drill_rate(o, spread(32, 200000, 9190), defaulted) == 179);
    o.rate = 0;  // unpaced on request
    CHECK(drill_rate(o, spread(32, 200000, 9190), defaulted) == 0);
    CHECK_FALSE(defaulted);
    o.rate = 1000;
    CHECK(drill_rate(o, spread(32, 200000, 9190), defaulted) == 1000);
    CHECK_FALSE(defaulted);
    CHECK(drill_rate(generated(3, 200000, 0), spread(32, 200000, 9190), defaulted) == 0);
    CHECK_FALSE(defaulted);  // nothing to outlast
    CHECK(drill_rate(generated(3, 200, 1), spread(32, 200, 10), defaulted)
          == 1);  // never 0 = no limit
  }

  TEST_CASE("a hot partition may stretch the drill to three plans, not more") {
    auto o = generated(3, 600000, 4);
    o.rescale_to = 4;  // 35 s
    bool defaulted = false;
    // One user's partition holds 124 882 of 600 000 events: at the mean's pace (286/s) it would
    // last 437 s; at 1189/s it lasts 105 s, three plans.
    CHECK(drill_rate(o, spread(60, 600000, 124882), defaulted) == 1189);
  }

  TEST_CASE("partitions and the checkpoint interval are range-checked") {
    auto o = generated(2, 100000, 0);
    o.partitions = 0;
    CHECK(validate_drill_options(o) == "--partitions: expected 1..4096, got 0");
    o.partitions = 8;
    o.checkpoint_ms = 0;
    CHECK(validate_drill_options(o) == "--checkpoint-ms: expected 50..60000, got 0");
  }

  TEST_CASE(
    "the default partition count keeps every partition far below the mock's 100 000 messages") {
    CHECK(default_drill_partitions(1000) == 32);
    CHECK(default_drill_partitions(320000) == 32);
    CHECK(default_drill_partitions(320001) == 33);
    CHECK(default_drill_partitions(2000000) == 200);
    CHECK(default_drill_partitions(100000000) == 4096);
  }
}
