// Per-partition event-time tracking of SPEC §4a: W_p = max ts - out_of_orderness,
// and the late test against W_p as it was before the event.
#pragma once

#include <cstdint>

#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

class partition_watermark {
public:
  explicit partition_watermark(int64_t out_of_orderness_ms) : ooo_(out_of_orderness_ms) {}

  /// W_p now, or no_watermark before the first accepted on-time event.
  int64_t current() const { return has_max_ ? max_ts_ - ooo_ : no_watermark; }

  /// True when an event with `ts` is later than `lateness_ms` behind W_p.
  bool is_late(int64_t ts, int64_t lateness_ms) const {
    return has_max_ && ts < current() - lateness_ms;
  }

  /// Restores W_p from a checkpoint (no_watermark: none yet).
  void restore(int64_t watermark) {
    has_max_ = watermark != no_watermark;
    max_ts_ = has_max_ ? watermark + ooo_ : 0;
  }

  /// Records an accepted on-time event (late and rejected ones never move W_p).
  void observe(int64_t ts) {
    if (!has_max_ || ts > max_ts_) max_ts_ = ts;
    has_max_ = true;
  }

private:
  int64_t ooo_;
  int64_t max_ts_ = 0;
  bool has_max_ = false;
};

}  // namespace rtfeat
