// A Prometheus-style histogram that threads update without a lock: fixed
// upper bounds, one relaxed counter per bucket. Values are integers in the
// caller's unit (microseconds, commands); the exposition scales them.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace rtfeat {

template <size_t Buckets>
class atomic_histogram {
public:
  /// `bounds`: increasing upper bounds ("le"); values above the last go to +Inf.
  explicit constexpr atomic_histogram(const std::array<uint64_t, Buckets>& bounds) : bounds_(bounds) {}

  /// `n` observations of `v` (a batch of events that waited alike).
  void observe(uint64_t v, uint64_t n = 1) {
    size_t i = 0;
    while (i < Buckets && v > bounds_[i]) ++i;
    counts_[i].fetch_add(n, std::memory_order_relaxed);
    sum_.fetch_add(v * n, std::memory_order_relaxed);
  }

  /// Adds `o`'s observations (same bounds) to this one: a sum over threads.
  void merge(const atomic_histogram& o) {
    for (size_t i = 0; i <= Buckets; ++i)
      counts_[i].fetch_add(o.in_bucket(i), std::memory_order_relaxed);
    sum_.fetch_add(o.sum(), std::memory_order_relaxed);
  }

  /// Adds a thread's own tally: observations per bucket (not cumulative, [Buckets] is
  /// +Inf) and their sum.
  void add(const std::array<uint64_t, Buckets + 1>& counts, uint64_t sum) {
    for (size_t i = 0; i <= Buckets; ++i)
      if (counts[i] > 0) counts_[i].fetch_add(counts[i], std::memory_order_relaxed);
    sum_.fetch_add(sum, std::memory_order_relaxed);
  }

  const std::array<uint64_t, Buckets>& bounds() const { return bounds_; }
  /// Observations in bucket `i` alone (not cumulative); i == Buckets is +Inf.
  uint64_t in_bucket(size_t i) const { return counts_[i].load(std::memory_order_relaxed); }
  uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }

private:
  std::array<uint64_t, Buckets> bounds_;
  std::array<std::atomic<uint64_t>, Buckets + 1> counts_{};
  std::atomic<uint64_t> sum_{0};
};

}  // namespace rtfeat
