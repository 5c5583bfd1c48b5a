// The /metrics text: the values set here must come out under the documented
// names, in the exposition format's shapes (promtool checks the full text in
// test/integration/metrics_test.sh).
#include "runtime/metrics/prometheus_text.hpp"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

namespace rtfeat {

namespace {

/// "name{labels}" -> value text, for every sample line.
std::map<std::string, std::string> samples(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto space = line.rfind(' ');
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

}  // namespace

TEST_CASE("counters with their labels and the checkpoint gauges come out in base units") {
  node_metrics m;
  m.events_read = 1000;
  m.events_accepted = 990;
  m.events_late = 4;
  m.rejected[static_cast<size_t>(reject_reason::bad_json)] = 5;
  m.rejected[static_cast<size_t>(reject_reason::oversize)] = 1;
  m.checkpoints_completed = 7;
  m.checkpoints_failed = 2;
  m.last_checkpoint_ms = 1250;
  m.last_checkpoint_encode_ms = 40;
  m.last_checkpoint_bytes = 123456;
  m.set_entities(1, "user_category_clicks", 30);
  m.set_entities(2, "user_category_clicks", 12);
  m.set_entities(1, "user_category_clicks", 31);  // a later checkpoint of shard 1 replaces its count
  auto s = samples(prometheus_text(m, "n2", 0));
  CHECK(s["rtfeat_node_info{node=\"n2\"}"] == "1");
  CHECK(s["rtfeat_events_read_total"] == "1000");
  CHECK(s["rtfeat_events_accepted_total"] == "990");
  CHECK(s["rtfeat_events_late_total"] == "4");
  CHECK(s["rtfeat_events_rejected_total{reason=\"bad_json\"}"] == "5");
  CHECK(s["rtfeat_events_rejected_total{reason=\"oversize\"}"] == "1");
  CHECK(s["rtfeat_events_rejected_total{reason=\"ts_out_of_range\"}"] == "0");
  CHECK(s["rtfeat_checkpoints_completed_total"] == "7");
  CHECK(s["rtfeat_checkpoints_failed_total"] == "2");
  CHECK(s["rtfeat_last_checkpoint_duration_seconds"] == "1.25");
  CHECK(s["rtfeat_last_checkpoint_phase_seconds{phase=\"encode\"}"] == "0.04");
  CHECK(s["rtfeat_last_checkpoint_bytes"] == "123456");
  CHECK(s["rtfeat_state_entities{feature=\"user_category_clicks\"}"] == "43");
}

TEST_CASE("histogram buckets are cumulative and end in +Inf with the sum in the exposed unit") {
  node_metrics m;
  for (uint64_t us : {50, 100, 101, 3000, 2000000}) m.redis_write_us.observe(us);
  auto s = samples(prometheus_text(m, "local", 0));
  CHECK(s["rtfeat_redis_write_seconds_bucket{le=\"0.0001\"}"] == "2");   // 50 and 100 (le is inclusive)
  CHECK(s["rtfeat_redis_write_seconds_bucket{le=\"0.00025\"}"] == "3");
  CHECK(s["rtfeat_redis_write_seconds_bucket{le=\"0.005\"}"] == "4");
  CHECK(s["rtfeat_redis_write_seconds_bucket{le=\"1\"}"] == "4");
  CHECK(s["rtfeat_redis_write_seconds_bucket{le=\"+Inf\"}"] == "5");
  CHECK(s["rtfeat_redis_write_seconds_count"] == "5");
  CHECK(s["rtfeat_redis_write_seconds_sum"] == "2.003251");
}

TEST_CASE("the watermark and its lag appear once there is a watermark: the minimum over shards") {
  node_metrics m;
  auto before = samples(prometheus_text(m, "local", 10'000));
  CHECK(before.count("rtfeat_watermark_seconds") == 0);
  CHECK(before.count("rtfeat_watermark_lag_seconds") == 0);
  m.set_shard_watermark(1, 5'000);
  m.set_shard_watermark(2, 3'500);
  m.set_shard_watermark(3, no_watermark);  // a shard without events holds nothing back
  auto s = samples(prometheus_text(m, "local", 10'000));
  CHECK(s["rtfeat_watermark_seconds"] == "3.5");
  CHECK(s["rtfeat_watermark_lag_seconds"] == "6.5");
}

TEST_CASE("label values escape backslash and quote and newline") {
  CHECK(prometheus_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  node_metrics m;
  auto text = prometheus_text(m, "n\"1", 0);
  CHECK(text.find("rtfeat_node_info{node=\"n\\\"1\"} 1\n") != std::string::npos);
}

}  // namespace rtfeat
