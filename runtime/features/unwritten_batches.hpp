// The update batches a shard sent to each of its sinks and has no credit for
// yet (the sink answers each batch once its pipeline was tried). A shard's
// flush waits while any sink holds `limit` of them: changes keep coalescing in
// the state, so the flush rate follows what Redis takes. A limit of 2 lets the
// next batch wait in the sink's mailbox during a write, where the sink merges it
// with the other shards' batches, instead of the shard waiting a round trip.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace rtfeat {

class unwritten_batches {
public:
  unwritten_batches() = default;
  /// REQUIRES: limit >= 1.
  unwritten_batches(size_t sinks, size_t limit) : per_sink_(sinks, 0), limit_(limit) {}

  /// True while every sink holds fewer than the limit.
  bool may_flush() const {
    return std::all_of(per_sink_.begin(), per_sink_.end(), [&](size_t n) { return n < limit_; });
  }
  /// A batch went to sink `i` (forced flushes too: they count, they just do not wait).
  void sent(size_t i) { ++per_sink_[i]; }
  /// Sink `i` credited one batch; false when it had none (the credit is ignored).
  bool credited(size_t i) {
    if (i >= per_sink_.size() || per_sink_[i] == 0) return false;
    --per_sink_[i];
    return true;
  }

private:
  std::vector<size_t> per_sink_;
  size_t limit_ = 1;
};

}  // namespace rtfeat
