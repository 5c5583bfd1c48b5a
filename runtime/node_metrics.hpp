// Counters shared by the actors of one node and read by the progress printer
// (and later the Prometheus endpoint). Actors add per batch, not per event,
// so the atomics stay off the hot path.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

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
  std::atomic<int64_t> watermark{no_watermark};  // min over shards, for display
  std::atomic<uint64_t> checkpoints_completed{0};
  std::atomic<uint64_t> checkpoints_failed{0};
  std::atomic<uint64_t> last_checkpoint_id{0};
  std::atomic<int64_t> last_checkpoint_ms{0};
  std::atomic<uint64_t> last_checkpoint_bytes{0};
  // Phases of the last completed checkpoint (slowest shard): barrier alignment,
  // the encode that pauses a shard, the background write of its snapshot files.
  std::atomic<int64_t> last_checkpoint_align_ms{0};
  std::atomic<int64_t> last_checkpoint_encode_ms{0};
  std::atomic<int64_t> last_checkpoint_write_ms{0};

  /// Entities with state per feature, reported by the shards when a drained run ends.
  void add_entities(const std::string& feature, uint64_t n) {
    std::lock_guard<std::mutex> lock(entities_mutex_);
    entities_[feature] += n;
  }
  std::map<std::string, uint64_t> entities() const {
    std::lock_guard<std::mutex> lock(entities_mutex_);
    return entities_;
  }

  uint64_t rejected_total() const {
    uint64_t n = 0;
    for (const auto& r : rejected) n += r.load();
    return n;
  }

private:
  mutable std::mutex entities_mutex_;
  std::map<std::string, uint64_t> entities_;
};

}  // namespace rtfeat
