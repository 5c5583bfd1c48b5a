// The latency bench's arithmetic on /metrics: two scrapes of the stage histograms,
// their difference and the quantiles interpolated inside a bucket.
#include "runtime/metrics/histogram_scrape.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "runtime/metrics/node_metrics.hpp"
#include "runtime/metrics/prometheus_text.hpp"
#include "runtime/metrics/stage_trace.hpp"

namespace rtfeat {

TEST_SUITE("runtime.metrics.histogram_scrape") {
  TEST_CASE("a quantile is interpolated linearly inside the bucket that holds its rank") {
    scraped_histogram h;
    h.buckets = {{0.001, 10}, {0.002, 30}, {0.005, 40}};
    h.count = 40;
    CHECK(histogram_quantile(h, 0.25) == doctest::Approx(0.001));         // rank 10: top of the first
    CHECK(histogram_quantile(h, 0.125) == doctest::Approx(0.0005));       // rank 5: half of 0..1 ms
    CHECK(histogram_quantile(h, 0.5) == doctest::Approx(0.0015));         // rank 20: half of 1..2 ms
    CHECK(histogram_quantile(h, 0.875) == doctest::Approx(0.0035));       // rank 35: half of 2..5 ms
    h.count = 50;  // 10 above the last bound: a rank there is that bound
    CHECK(histogram_quantile(h, 0.99) == doctest::Approx(0.005));
    CHECK(std::isnan(histogram_quantile(scraped_histogram{}, 0.5)));
  }

  TEST_CASE("empty buckets before the rank do not pull the quantile down") {
    scraped_histogram h;
    h.buckets = {{0.001, 0}, {0.002, 0}, {0.005, 0}, {0.01, 4}};
    h.count = 4;
    CHECK(histogram_quantile(h, 0.5) == doctest::Approx(0.0075));
    CHECK(histogram_quantile(h, 0.0) == doctest::Approx(0.005));
  }

  TEST_CASE("the difference of two scrapes of /metrics holds what was observed between them") {
    node_metrics m;
    m.stages.observe(stage::kafka, 150, 100);  // before the window: 100 at 0.15 ms
    auto first = prometheus_text(m, "local", 0);
    m.stages.observe(stage::kafka, 3000, 7);  // in it: 7 at 3 ms, 3 at 30 ms
    m.stages.observe(stage::kafka, 30000, 3);
    m.stages.observe(stage::redis, 400);
    auto second = prometheus_text(m, "local", 0);

    auto start = parse_histograms(first, "rtfeat_stage_latency_seconds", "stage");
    auto end = parse_histograms(second, "rtfeat_stage_latency_seconds", "stage");
    REQUIRE(end.size() == stage_count);
    REQUIRE(end.count("kafka") == 1);
    auto d = histogram_difference(end["kafka"], start["kafka"]);
    CHECK(d.count == 10);
    CHECK(d.sum == doctest::Approx((7 * 3000 + 3 * 30000) / 1e6));
    // Ranks 1..7 in 2..5 ms, 8..10 in 20..50 ms; the 0.15 ms ones are gone.
    CHECK(histogram_quantile(d, 0.5) == doctest::Approx(0.002 + 0.003 * 5.0 / 7));
    CHECK(histogram_quantile(d, 0.99) == doctest::Approx(0.02 + 0.03 * 2.9 / 3));
    auto r = histogram_difference(end["redis"], start["redis"]);
    CHECK(r.count == 1);
    CHECK(histogram_quantile(r, 0.5) == doctest::Approx(0.0002 + 0.0003 * 0.5));
    CHECK(histogram_difference(end["reader"], start["reader"]).count == 0);
  }

  TEST_CASE("a restart between the scrapes gives the second scrape, not negative counts") {
    scraped_histogram before, after;
    before.buckets = {{0.001, 50}};
    before.count = 50;
    after.buckets = {{0.001, 5}};
    after.count = 5;
    CHECK(histogram_difference(after, before).count == 5);
  }

  TEST_CASE("malformed lines and other families are skipped") {
    auto h = parse_histograms(
      "# TYPE x histogram\nx_bucket{le=\"0.1\"} 3\nx_bucket{le=\"+Inf\"} 4\nx_count 4\nx_sum 0.5\n"
      "x_bucket{le=\"0.2\" 9\nx_bucket{le=\"oops\"} 9\ny_bucket{le=\"0.1\"} 1\nx_count\n",
      "x", "");
    REQUIRE(h.size() == 1);
    CHECK(h[""].buckets.size() == 1);
    CHECK(h[""].count == 4);
    CHECK(h[""].sum == doctest::Approx(0.5));
  }
}

namespace {

uint64_t observed(const stage_latencies& s, stage which) {
  uint64_t n = 0;
  for (size_t i = 0; i <= stage_bounds_us.size(); ++i) n += s.by_stage[static_cast<size_t>(which)].in_bucket(i);
  return n;
}

}  // namespace

TEST_SUITE("runtime.metrics.stage_trace") {
  TEST_CASE("the reader's Kafka stage counts each message from its timestamp to the poll") {
    stage_latencies s;
    reader_stage_trace t;
    t.poll_started();
    auto now_ms = stage_wall_us() / 1000;
    t.message(now_ms - 30);  // 30 ms in Kafka (20..50 ms bucket)
    t.message(now_ms - 30);
    t.message(-1);  // no timestamp: not counted
    CHECK(observed(s, stage::kafka) == 0);  // published at poll_done
    t.poll_done(s);
    CHECK(s.by_stage[static_cast<size_t>(stage::kafka)].in_bucket(8) == 2);
    t.poll_done(s);  // the tally was reset
    CHECK(s.by_stage[static_cast<size_t>(stage::kafka)].in_bucket(8) == 2);
  }

  TEST_CASE("the shard's flush wait weighs each batch by its events, and a remote batch has no queue time") {
    stage_latencies s;
    shard_stage_trace t;
    t.batch_started(0, 5, s);                       // from another node: no queue stamp
    t.batch_started(stage_clock_us() - 3000, 2, s);  // 3 ms in the mailbox
    t.flushed(s);
    CHECK(observed(s, stage::shard_queue) == 2);
    CHECK(s.by_stage[static_cast<size_t>(stage::shard_queue)].in_bucket(5) == 2);  // 2..5 ms
    CHECK(observed(s, stage::flush_wait) == 7);
    t.flushed(s);  // nothing new started: nothing observed
    CHECK(observed(s, stage::flush_wait) == 7);
  }

  TEST_CASE("the sink splits an update's time into its queue and the Redis round trip") {
    stage_latencies s;
    sink_stage_trace t;
    t.received(stage_clock_us() - 8000, 3);  // sent 8 ms ago
    t.written(1500, s);                      // a 1.5 ms pipeline: 6.5 ms queued before it
    CHECK(s.by_stage[static_cast<size_t>(stage::redis)].in_bucket(4) == 3);       // 1..2 ms
    CHECK(s.by_stage[static_cast<size_t>(stage::sink_queue)].in_bucket(6) == 3);  // 5..10 ms
    t.written(1500, s);  // a pipeline with nothing of ours (the marker check)
    CHECK(observed(s, stage::redis) == 3);
    CHECK(observed(s, stage::sink_queue) == 3);
  }
}

}  // namespace rtfeat
