// A token bucket: how many events a partition reader may take now so that it
// reads at most `per_second` on average (source.max_rate_per_partition, like
// Spark's maxRatePerPartition). It lets a backfill spare Redis and gives tests
// and drills a pace that does not depend on how fast the machine is.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace rtfeat {

class rate_limiter {
public:
  /// `per_second` <= 0: no limit. The bucket holds 100 ms of events (at least
  /// one), so a reader polls in batches of that size, about ten times a second.
  explicit rate_limiter(int64_t per_second = 0)
      : per_second_(per_second), capacity_(std::max<int64_t>(1, per_second / 10)) {}

  bool limited() const { return per_second_ > 0; }

  /// Events that may be taken at `now_ms` (steady clock), at most `want`.
  size_t allowance(int64_t now_ms, size_t want) {
    if (!limited()) return want;
    refill(now_ms);
    return static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(want), tokens_milli_ / 1000));
  }

  /// Records `n` events taken (n <= the last allowance).
  void take(size_t n) {
    if (limited()) tokens_milli_ -= static_cast<int64_t>(n) * 1000;
  }

  /// Milliseconds from `now_ms` until a full bucket, the next batch, is allowed (>= 1).
  int64_t wait_ms(int64_t now_ms) {
    if (!limited()) return 1;
    refill(now_ms);
    const int64_t missing_milli = capacity_ * 1000 - tokens_milli_;
    return std::max<int64_t>(1, (missing_milli + per_second_ - 1) / per_second_);
  }

private:
  void refill(int64_t now_ms) {
    if (last_ms_ < 0) {
      tokens_milli_ = capacity_ * 1000;  // a reader starts with a full bucket
    } else if (now_ms > last_ms_) {
      const int64_t elapsed =
        std::min<int64_t>(now_ms - last_ms_, 1000);  // the bucket fills in 100 ms
      tokens_milli_ = std::min(capacity_ * 1000, tokens_milli_ + elapsed * per_second_);
    }
    last_ms_ = std::max(last_ms_, now_ms);
  }

  int64_t per_second_;
  int64_t capacity_;          // events
  int64_t tokens_milli_ = 0;  // thousandths of an event: 1 ms at per_second adds per_second
  int64_t last_ms_ = -1;
};

}  // namespace rtfeat
