// The Redis keys a shard's state holds while a resync's orphan sweep runs
// (docs/exactly-once.md "When Redis loses data"). The resync's rewrite flushes
// every key the state holds, so the keys of that flush and of every flush after
// it are exactly the keys the state wrote since Redis lost data; a key a sweep
// finds that is not among them is one the state no longer holds, and the shard
// deletes it through its own update path (ordered with its writes to that key).
// Keys are kept as 64-bit hashes: a collision keeps an orphan, never deletes a
// live key, and a shard of millions of keys costs megabytes, not its key text.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>

#include "runtime/key_update.hpp"

namespace rtfeat {

/// A key a sweep found in Redis, with its family's Redis type.
struct orphan_candidate {
  std::string key{};
  redis_type type = redis_type::hash;
};

class held_keys {
public:
  /// A resync starts a sweep: record from its rewrite on. What was recorded is
  /// forgotten (the rewrite records every held key again), so a sweep under way
  /// sees the keys held since the newest rewrite, which is all it needs. Sweeps
  /// of several sinks overlap; the keys are kept until the last one ends.
  void open() {
    keys_.clear();
    ++open_;
  }
  /// A sweep ended: with none left open, the keys are forgotten.
  void close();
  bool recording() const { return open_ > 0; }

  /// Notes the keys of flushed `updates` (deletes too: the state wrote them
  /// itself, in order). REQUIRES: called with every flush while recording().
  void record(const std::vector<key_update>& updates);
  bool holds(std::string_view key) const;

  /// Appends a delete of each candidate not held to `out`; returns how many.
  size_t deletes_for(const std::vector<orphan_candidate>& candidates,
                     std::vector<key_update>& out) const;

private:
  static uint64_t hash_of(std::string_view key);
  absl::flat_hash_set<uint64_t> keys_;
  uint32_t open_ = 0;
};

}  // namespace rtfeat
