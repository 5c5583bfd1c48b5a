// The drill report: nearest-rank percentiles, and text and JSON that carry the
// same numbers (the JSON is what scripts and the integration test read).
#include <doctest/doctest.h>

#include <simdjson.h>

#include "runtime/tools/drill/drill_report.hpp"

using namespace rtfeat;

namespace {

drill_report sample() {
  drill_report r;
  r.source = "generated, seed 7";
  r.events = 2000000;
  r.partitions = 200;
  r.nodes = 3;
  r.nodes_after = 4;
  r.checkpoint_interval_ms = 500;
  r.checkpoints_completed = 40;
  r.kills_planned = 2;
  r.kills.push_back({"n2", 4.5, "checkpoint in flight", 7, false, 6, 6, 640, 1830, "n2", 1150,
                     "setup 20 ms, restore read 80 ms, handshake 1050 ms"});
  r.kills.push_back({"n1", 9.25, "checkpoint + delay", 0, false, 11, 11, 512, 1621, "n3", 1500,
                     "stop 0 ms, actor system down 900 ms, handshake 600 ms"});
  r.rescale = rescale_record{3, 4, 20.0, 0, false, 30, 30, 400, 2100};
  r.restores = 9;
  r.final_checkpoint = 30;
  r.events_at_checkpoint = 1500000;
  r.events_read_after = 500000;
  r.events_in_kafka = 2000000;
  r.cluster_s = 50;
  r.differences = 0;
  return r;
}

}  // namespace

TEST_SUITE("runtime.drill.drill_report") {
  TEST_CASE("percentiles are nearest-rank over the values") {
    CHECK(percentile({}, 50) == 0);
    CHECK(percentile({5}, 95) == 5);
    CHECK(percentile({30, 10, 20, 40}, 50) == 20);
    CHECK(percentile({30, 10, 20, 40}, 95) == 40);
    std::vector<int64_t> hundred;
    for (int64_t i = 1; i <= 100; ++i) hundred.push_back(i);
    CHECK(percentile(hundred, 95) == 95);
    CHECK(percentile(hundred, 100) == 100);
    auto s = summarize({900, 1200, 800});
    CHECK(s.count == 3);
    CHECK(s.min == 800);
    CHECK(s.p50 == 900);
    CHECK(s.p95 == 1200);
    CHECK(s.max == 1200);
  }

  TEST_CASE("a drill passes only with zero differences and no failure") {
    auto r = sample();
    CHECK(r.passed());
    CHECK(r.events_read() == 2000000);
    CHECK(r.throughput() == doctest::Approx(40000));
    r.differences = 3;
    CHECK_FALSE(r.passed());
    r.differences.reset();
    CHECK_FALSE(r.passed());
    r = sample();
    r.failures.push_back("node n2 failed");
    CHECK_FALSE(r.passed());
  }

  TEST_CASE("the text report has one line per number, and a row per kill") {
    auto text = format_report_text(sample());
    CHECK(text.find("rtfeat drill: PASSED\n") == 0);
    CHECK(text.find("nodes             3 -> 4\n") != std::string::npos);
    CHECK(text.find("kills             2 of 2\n") != std::string::npos);
    CHECK(text.find("chk 7 (abandoned)") != std::string::npos);
    CHECK(text.find("rollback ms       min 1621, median 1621, p95 1830, max 1830 over 2 kills")
          != std::string::npos);
    // Per kill, what the last node to resume spent its time on; the victim counts from its restart.
    CHECK(text.find("  1   n2     1150 ms after its restart: setup 20 ms, restore read 80 ms, handshake 1050 ms\n")
          != std::string::npos);
    CHECK(text.find("  2   n3     1500 ms after its stop: stop 0 ms, actor system down 900 ms") != std::string::npos);
    CHECK(text.find("after restart ms  min 1109, median 1109, p95 1190, max 1190") != std::string::npos);
    CHECK(text.find("events read       2000000 = 1500000 at chk 30 + 500000 read after it")
          != std::string::npos);
    CHECK(text.find("differences       0\n") != std::string::npos);
    CHECK(text.find("failure") == std::string::npos);
  }

  TEST_CASE("the JSON report parses and carries the same numbers") {
    auto r = sample();
    r.failures.push_back("a \"quoted\" reason");
    auto json = format_report_json(r);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
    CHECK(doc["passed"].get_bool().value() == false);
    CHECK(doc["kills"].get_uint64().value() == 2);
    CHECK(doc["restores"].get_uint64().value() == 9);
    CHECK(doc["events_read"].get_uint64().value() == 2000000);
    CHECK(doc["differences"].get_uint64().value() == 0);
    CHECK(doc["rollback_ms"]["p95"].get_int64().value() == 1830);
    CHECK(doc["kill_list"].at(0)["during_checkpoint"].get_bool().value() == true);
    CHECK(doc["kill_list"].at(1)["during_checkpoint"].get_bool().value() == false);
    CHECK(doc["kill_list"].at(1)["complete_at_kill"].get_uint64().value() == 11);
    CHECK(std::string(doc["kill_list"].at(1)["last_node"].get_string().value()) == "n3");
    CHECK(doc["kill_list"].at(1)["last_resume_ms"].get_int64().value() == 1500);
    CHECK(doc["after_restart_ms"]["max"].get_int64().value() == 1190);
    CHECK(doc["rescale"]["to_nodes"].get_uint64().value() == 4);
    CHECK(std::string(doc["failures"].at(0).get_string().value()) == "a \"quoted\" reason");
  }

  TEST_CASE("membership changes get a row each, their pause summary, and the pace") {
    auto r = sample();
    r.rescale.reset();
    r.rate_per_partition = 109;
    r.rate_defaulted = true;
    r.membership_changes.push_back({"join", "n4", 1, 5.5, 6.25, 12, 900, 1650});
    r.membership_changes.push_back({"leave", "n4", 2, 9.0, 9.5, 14, 700, 1200});
    r.membership_changes.push_back({"replace", "n3", 3, 12.0, 17.0, 20, 1100, 6100});
    auto text = format_report_text(r);
    CHECK(text.find("pace              109 events/s per partition reader (chosen by the drill")
          != std::string::npos);
    CHECK(text.find("membership        3 changes") != std::string::npos);
    CHECK(text.find("  3   replace  n3     3      12.00    17.00        chk 20              1100")
          != std::string::npos);
    CHECK(text.find("pause ms          min 700, median 900, max 1100 over 3 changes")
          != std::string::npos);
    CHECK(text.find("rollback ms       min 1621, median 1621") != std::string::npos);

    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(format_report_json(r)).get(doc) == simdjson::SUCCESS);
    auto changes = doc["membership_changes"].get_array().value();
    REQUIRE(changes.size() == 3);
    CHECK(std::string(changes.at(1)["kind"].get_string().value()) == "leave");
    CHECK(changes.at(2)["epoch"].get_uint64().value() == 3);
    CHECK(changes.at(2)["since_action_ms"].get_int64().value() == 6100);
    CHECK(doc["membership_pause_ms"]["p50"].get_int64().value() == 900);
    CHECK(doc["rate_per_partition"].get_int64().value() == 109);
    CHECK(doc["rollback_ms"]["count"].get_uint64().value() == 2);
  }

  TEST_CASE("a drill through the file source says so and why, in text and JSON") {
    auto r = sample();
    CHECK(format_report_text(r).find("source.kind") == std::string::npos);  // Kafka: as always
    r.source_kind = "file";
    r.source_kind_why = "partition 0 of 2 would hold 120000 events (24.0 MiB), more than ...";
    r.events_in_kafka = 0;
    auto text = format_report_text(r);
    CHECK(text.find("source.kind       file (partition 0 of 2 would hold 120000 events")
          != std::string::npos);
    CHECK(text.find("read after it (read from the file)") != std::string::npos);
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(format_report_json(r)).get(doc) == simdjson::SUCCESS);
    CHECK(std::string(doc["source_kind"].get_string().value()) == "file");
    CHECK(std::string(doc["source_kind_why"].get_string().value()).starts_with("partition 0 of 2"));
  }

  TEST_CASE("a drill without kills, rescale or oracle run still reports valid JSON") {
    drill_report r;
    r.failures.push_back("interrupted");
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    REQUIRE(parser.parse(format_report_json(r)).get(doc) == simdjson::SUCCESS);
    CHECK(doc["rescale"].is_null());
    CHECK(doc["differences"].is_null());
    CHECK(doc["kill_list"].get_array().size() == 0);
  }
}
