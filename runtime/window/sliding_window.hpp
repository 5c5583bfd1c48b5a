// The "sawtooth" sliding window of SPEC §4a: fresh at the head, hopping at the
// tail. At watermark W the window holds every event with ts >= tail(W), so
// per-slide bucket counts are exact and eviction is whole buckets at a time.
#pragma once

#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace rtfeat {

inline constexpr int64_t no_watermark = std::numeric_limits<int64_t>::min();

/// floor(a / b) for b > 0 (C++ division truncates toward zero).
inline int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

struct sliding_spec {
  int64_t size_ms = 0;
  int64_t slide_ms = 0;

  /// tail(W) = floor((W + 1 - S) / D) * D; no_watermark keeps everything.
  int64_t tail(int64_t watermark) const {
    if (watermark == no_watermark) return no_watermark;
    return floor_div(watermark + 1 - size_ms, slide_ms) * slide_ms;
  }
  int64_t bucket_of(int64_t ts) const { return floor_div(ts, slide_ms) * slide_ms; }
};

/// Event counts per slide bucket, oldest first. Small: at most size/slide + a
/// few buckets, since everything before the tail is evicted.
class bucket_counts {
public:
  /// Adds `n` to the bucket starting at `start`; true when that bucket is new.
  bool add(int64_t start, uint32_t n = 1);
  /// Drops buckets that start before `tail`; returns true when the total changed.
  bool evict_before(int64_t tail);
  uint64_t total() const { return total_; }
  bool empty() const { return total_ == 0; }
  /// Start of the oldest bucket. REQUIRES: !empty().
  int64_t oldest() const { return buckets_.front().first; }
  const std::vector<std::pair<int64_t, uint32_t>>& buckets() const { return buckets_; }

private:
  std::vector<std::pair<int64_t, uint32_t>> buckets_;
  uint64_t total_ = 0;
};

}  // namespace rtfeat
