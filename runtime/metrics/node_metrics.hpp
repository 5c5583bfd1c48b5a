// Counters shared by the actors of one node and read by the progress printer,
// `--stats` and the Prometheus endpoint (docs/metrics.md). Actors add per batch,
// not per event, so the atomics stay off the hot path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "runtime/metrics/atomic_histogram.hpp"
#include "runtime/metrics/stage_latency.hpp"
#include "runtime/reject_reason.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

struct node_metrics {
  std::atomic<uint64_t> events_read{0};
  std::atomic<uint64_t> events_accepted{0};  // parsed, valid and on time
  std::atomic<uint64_t> events_late{0};
  std::array<std::atomic<uint64_t>, reject_reason_count> rejected{};
  std::atomic<uint64_t> dead_letters_written{0};
  std::atomic<uint64_t> key_updates{0};      // shard -> sink
  std::atomic<uint64_t> redis_commands{0};
  std::atomic<uint64_t> redis_errors{0};
  std::atomic<uint64_t> redis_resyncs{0};  // full rewrites: Redis lost data, or --resync
  std::atomic<uint64_t> redis_orphans_deleted{0};  // keys a resync's sweep found no shard holds
  std::atomic<uint64_t> redis_moved{0};    // Redis Cluster: commands resent after MOVED (a slot moved)
  std::atomic<uint64_t> redis_ask{0};      // Redis Cluster: commands resent after ASK (a slot migrating)
  std::atomic<int64_t> watermark{no_watermark};  // min over shards when the run ends, for display
  std::atomic<uint64_t> checkpoints_completed{0};
  std::atomic<uint64_t> checkpoints_failed{0};
  std::atomic<uint64_t> last_checkpoint_id{0};
  std::atomic<int64_t> last_checkpoint_ms{0};
  std::atomic<uint64_t> last_checkpoint_bytes{0};
  std::atomic<uint64_t> last_checkpoint_written_bytes{0};  // new files only: the rest is referenced
  // Phases of the last completed checkpoint (slowest shard): barrier alignment,
  // the encode that pauses a shard, the background write of its snapshot files.
  std::atomic<int64_t> last_checkpoint_align_ms{0};
  std::atomic<int64_t> last_checkpoint_encode_ms{0};
  std::atomic<int64_t> last_checkpoint_write_ms{0};
  // One pipelined write of a sink: its round trip, and its size in commands.
  atomic_histogram<12> redis_write_us{
    {{100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000}}};
  atomic_histogram<9> sink_batch_commands{{{1, 10, 100, 1000, 5000, 10000, 50000, 100000, 500000}}};
  stage_latencies stages;  // where an event's time goes, stage by stage

  /// Entities with state per feature of one shard (`shard`: its actor id), as of its
  /// last checkpoint or the end of the run; a later report replaces an earlier one.
  void set_entities(uint64_t shard, const std::string& feature, uint64_t n) {
    std::lock_guard<std::mutex> lock(mutex_);
    entities_[{shard, feature}] = n;
  }
  /// Summed over the shards, by feature.
  std::map<std::string, uint64_t> entities() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::map<std::string, uint64_t> sum;
    for (const auto& [key, n] : entities_) sum[key.second] += n;
    return sum;
  }

  /// A shard's watermark moved (called when it advances, not per event).
  void set_shard_watermark(uint64_t shard, int64_t w) {
    std::lock_guard<std::mutex> lock(mutex_);
    shard_watermarks_[shard] = w;
  }
  /// The node's watermark while it runs: the minimum over the shards that have one
  /// (a shard without events yet holds none back: it has nothing to be late for).
  int64_t live_watermark() const {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t w = no_watermark;
    for (const auto& [shard, sw] : shard_watermarks_)
      if (sw != no_watermark && (w == no_watermark || sw < w)) w = sw;
    return w;
  }

  uint64_t rejected_total() const {
    uint64_t n = 0;
    for (const auto& r : rejected) n += r.load();
    return n;
  }

private:
  mutable std::mutex mutex_;
  std::map<std::pair<uint64_t, std::string>, uint64_t> entities_;
  std::map<uint64_t, int64_t> shard_watermarks_;
};

}  // namespace rtfeat
