// Where an event's milliseconds go inside a node (issue 13 item 4): one histogram
// per stage, exposed on /metrics as rtfeat_stage_latency_seconds{stage} and read by
// the latency bench, so a regression of event -> Redis is explained by stage.
// Stages are weighted per routed event (kafka: per message; redis/sink: per update).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/metrics/atomic_histogram.hpp"

namespace rtfeat {

enum class stage : uint8_t {
  kafka,        // Kafka CreateTime -> the reader's poll: producer linger, broker, fetch
  reader,       // poll -> the batch sent to a shard: parse, validate, route, batch
  shard_queue,  // batch sent -> the shard starts it: mailbox, held behind a barrier
  flush_wait,   // the shard starts the batch -> its changes leave in a flush
  sink_queue,   // update batch sent -> the pipeline that writes it starts: mailbox, retries
  redis,        // pipeline start -> Redis' reply: encode, round trip, execution
};
inline constexpr size_t stage_count = 6;
inline constexpr std::array<std::string_view, stage_count> stage_names{
  "kafka", "reader", "shard_queue", "flush_wait", "sink_queue", "redis"};

/// 0.1 ms .. 5 s in 1-2-5 steps (µs): the bench interpolates quantiles inside a bucket.
inline constexpr std::array<uint64_t, 16> stage_bounds_us{
  100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000, 2000000, 5000000,
  10000000};
using stage_histogram = atomic_histogram<stage_bounds_us.size()>;

struct stage_latencies {
  std::array<stage_histogram, stage_count> by_stage{
    stage_histogram{stage_bounds_us}, stage_histogram{stage_bounds_us}, stage_histogram{stage_bounds_us},
    stage_histogram{stage_bounds_us}, stage_histogram{stage_bounds_us}, stage_histogram{stage_bounds_us}};

  /// `n` observations of `us` microseconds (negative, from clock skew, counts as 0).
  void observe(stage s, int64_t us, uint64_t n = 1) {
    if (n > 0) by_stage[static_cast<size_t>(s)].observe(us > 0 ? static_cast<uint64_t>(us) : 0, n);
  }
};

/// Monotonic microseconds: stamps that only this process compares.
inline int64_t stage_clock_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

/// Wall-clock microseconds: compared with Kafka message timestamps (ms since the epoch).
inline int64_t stage_wall_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace rtfeat
