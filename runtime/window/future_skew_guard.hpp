// The future-skew rule of docs/semantics.md ("Future skew"): one event stamped far
// ahead of its partition must not move W_p, or the partition's normal traffic is
// dropped as late for hours. Two events that agree are a real jump and pass.
#pragma once

#include <cstdint>
#include <limits>

#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

/// No suspect event held (the manifest's absent `future_suspect`).
inline constexpr int64_t no_future_suspect = std::numeric_limits<int64_t>::min();

class future_skew_guard {
public:
  /// `max_skew_ms` = watermark.max_future_skew_ms; 0 turns the rule off.
  explicit future_skew_guard(int64_t max_skew_ms) : skew_(max_skew_ms) {}

  /// True when an on-time event with `ts` may move W_p (`watermark`, taken before
  /// the event; no_watermark when the partition has none). False: it is a
  /// future_ts dead letter and becomes the partition's suspect.
  bool admit(int64_t ts, int64_t watermark) {
    if (skew_ == 0 || watermark == no_watermark || ts - watermark <= skew_) return true;
    if (suspect_ != no_future_suspect && distance(ts, suspect_) <= static_cast<uint64_t>(skew_)) {
      suspect_ = no_future_suspect;  // a second event agrees: the clock really jumped
      return true;
    }
    suspect_ = ts;
    return false;
  }

  /// The latest refused ts not yet confirmed, or no_future_suspect (checkpointed).
  int64_t suspect() const { return suspect_; }
  void restore(int64_t suspect) { suspect_ = suspect; }

private:
  /// |a - b| without overflow for any two event timestamps.
  static uint64_t distance(int64_t a, int64_t b) {
    return a > b ? static_cast<uint64_t>(a) - static_cast<uint64_t>(b)
                 : static_cast<uint64_t>(b) - static_cast<uint64_t>(a);
  }

  int64_t skew_;
  int64_t suspect_ = no_future_suspect;
};

}  // namespace rtfeat
