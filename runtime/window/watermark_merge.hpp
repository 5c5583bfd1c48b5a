// A shard's view of event time: the min over its readers' watermarks (SPEC §4a).
// Readers that will never deliver data (empty partitions, or partitions that
// ended with no accepted event) are excluded instead of holding time back.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

class watermark_merge {
public:
  explicit watermark_merge(size_t readers) : marks_(readers, no_watermark), excluded_(readers, false) {}

  /// Reader `r` reports its W_p (no_watermark while it has none yet).
  void update(size_t r, int64_t watermark) { marks_.at(r) = watermark; }
  /// Reader `r` no longer takes part (idle, empty, or finished without data).
  void exclude(size_t r, bool excluded = true) { excluded_.at(r) = excluded; }

  /// Min over participating readers, never decreasing; no_watermark while any
  /// participant has none yet or when no reader participates.
  int64_t current();

private:
  std::vector<int64_t> marks_;
  std::vector<bool> excluded_;
  int64_t last_ = no_watermark;
};

}  // namespace rtfeat
