// What a node reports: the --stats JSON (tests and the drill parse it) and the
// summary line, from a node's counters.
#include <doctest/doctest.h>

#include <string>

#include "actors/node/node_report.hpp"
#include "runtime/clock.hpp"
#include "test/runtime/checkpoint/temp_dir.hpp"

using namespace rtfeat;

TEST_SUITE("actors.node.report") {
  TEST_CASE("--stats holds every counter as one JSON object") {
    node_metrics m;
    m.events_read = 10;
    m.events_accepted = 7;
    m.events_late = 1;
    m.redis_commands = 5;
    m.checkpoints_completed = 2;
    m.watermark = 1767225600000;
    node::node_report report(m);
    test::temp_dir dir;
    const auto path = dir.path() + "/stats.json";
    REQUIRE(report.write_stats(path, 1.5));
    const auto json = test::slurp(path);
    CHECK(json.starts_with("{\"events_read\":10,\"accepted\":7,\"rejected\":0,\"rejected_by_reason\":{"));
    CHECK(json.find(",\"late\":1,\"dead_letters\":0,") != std::string::npos);
    CHECK(json.find(",\"redis_commands\":5,") != std::string::npos);
    CHECK(json.find(",\"final_watermark\":1767225600000,\"checkpoints\":2,\"checkpoints_failed\":0,")
          != std::string::npos);
    CHECK(json.ends_with(",\"seconds\":1.5}\n"));
  }

  TEST_CASE("--stats into a directory that does not exist fails") {
    node_metrics m;
    node::node_report report(m);
    CHECK_FALSE(report.write_stats("/nonexistent-rtfeat-dir/stats.json", 1));
  }

  TEST_CASE("the summary line names the final watermark in UTC") {
    node_metrics m;
    m.events_read = 4;
    m.watermark = 1767225600123;
    node::node_report report(m);
    auto line = report.summary_line(2.0);
    CHECK(line.starts_with("node: done: read=4 accepted=0 "));
    CHECK(line.find("final_watermark=2026-01-01T00:00:00.123Z in 2.00 s (2 ev/s)") != std::string::npos);
    CHECK(node::format_event_time(no_watermark) == "-");
  }
}
