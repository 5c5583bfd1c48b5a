// The snapshot writer's work as plain C++: merges each shard's changes into the
// bodies it keeps (snapshot_bodies.hpp) and stores the shard's key groups, a
// key group whose body did not change as a reference to its older file
// (incremental_snapshots.hpp). Used by the snapshot writer actor and the bench.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/incremental_snapshots.hpp"
#include "runtime/checkpoint/snapshot_bodies.hpp"
#include "runtime/checkpoint/state_changes.hpp"

namespace rtfeat {

class shard_snapshots {
public:
  /// Applies `changes` (`full`: a shard's first save) and stores every key group
  /// of the shard in checkpoint `id`, appending their manifest entries to
  /// `entries`. `written` counts the files written, the rest are references.
  /// An error is write_snapshot's. Blocks: file writes. Runs in: the writer's thread only.
  status store(const checkpoint_store& store, uint64_t id, uint64_t catalogue_hash,
               const shard_changes& changes, bool full, std::vector<snapshot_entry>& entries,
               size_t& written);

  const snapshot_bodies& bodies() const { return bodies_; }

private:
  snapshot_bodies bodies_;
  incremental_snapshots files_;
};

}  // namespace rtfeat
