// Incremental checkpoints (Flink's incremental snapshots, by content): remembers
// the last body a writer stored for each key group and, when the next
// checkpoint's body is the same, references the older file instead of writing
// it again. Known unchanged (put_unchanged: snapshot_bodies saw no change) or
// found unchanged by content (put: same size, CRC and hash).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "runtime/checkpoint/checkpoint_store.hpp"

namespace rtfeat {

class incremental_snapshots {
public:
  /// Stores `body` as key group `key_group` of checkpoint `id`: a reference to the
  /// previous file when the body is unchanged and that file is still there, else a
  /// new file. `out` is the manifest entry; `referenced` says which it was.
  /// Blocks: one stat, or one file write. Runs in: the writer's thread only.
  /// An error is write_snapshot's.
  status put(const checkpoint_store& store, uint64_t id, uint64_t catalogue_hash,
             uint32_t key_group, std::string_view body, snapshot_entry& out, bool& referenced);
  /// Stores key group `key_group` of checkpoint `id` as a reference to the last
  /// body put() for it, which the caller knows is unchanged (snapshot_bodies):
  /// no hashing. False when there is none or its file is gone: put() the body.
  bool put_unchanged(const checkpoint_store& store, uint64_t id, uint32_t key_group, snapshot_entry& out) const;

private:
  struct stored {
    snapshot_entry entry;  // as written, stored_in = 0
    uint64_t home = 0;     // the checkpoint whose directory holds it
    uint64_t hash = 0;     // a second, independent fingerprint next to the body CRC
  };
  absl::flat_hash_map<uint32_t, stored> last_;
};

}  // namespace rtfeat
