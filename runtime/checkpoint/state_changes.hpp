// What a shard hands the snapshot writer at a checkpoint: per feature state,
// the encodings of the entities changed since the previous checkpoint and the
// entities gone since, filed by key group. Only these are encoded on the
// shard's thread; the writer merges them into the bodies it keeps
// (snapshot_bodies.hpp), so a checkpoint's pause follows the rate of change.
// A shard saves after each flush too, while what changed is still in its
// caches; the barrier then finds little left (docs/checkpoints.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/checkpoint/shard_state_codec.hpp"

namespace rtfeat {

/// One entity of a state_changes: its identity, then its encoding (none when erased).
struct entity_change {
  uint64_t offset = 0;         // of the identity in state_changes::bytes
  uint32_t identity_size = 0;  // the encoding follows it
  uint32_t size = 0;           // of the encoding; 0 = erased
  uint32_t key_group = 0;      // as snapshot files number them (file offset included)
};

struct state_changes {
  std::string name;                     // the state's name in bodies
  std::vector<entity_change> entities;  // in save order: apply in this order
  std::string bytes;

  std::string_view identity(const entity_change& c) const { return {bytes.data() + c.offset, c.identity_size}; }
  std::string_view encoding(const entity_change& c) const {
    return {bytes.data() + c.offset + c.identity_size, c.size};
  }
};

/// One shard's changes at one checkpoint.
struct shard_changes {
  std::vector<uint32_t> key_groups;   // the shard's, as snapshot files number them
  int64_t watermark = 0;
  uint64_t seq = 0;
  std::vector<state_changes> states;  // every state of the shard, in the same order each time

  size_t bytes() const;  // of the encodings and identities held
};

/// Appends to `into` what changed in `states` since their last save (every
/// entity at their first): an empty `into`, or one holding earlier saves since
/// the last checkpoint (applied in order, a later put of an entity replaces an
/// earlier one). `key_groups` (0..max_parallelism-1) are the shard's;
/// `file_offset` makes them snapshot file key groups. An entity of another key
/// group is a bug: aborts. Runs in: the shard's thread.
void save_shard_changes(const std::vector<named_state>& states, const std::vector<uint32_t>& key_groups,
                        uint32_t max_parallelism, uint32_t file_offset, shard_changes& into);

}  // namespace rtfeat
