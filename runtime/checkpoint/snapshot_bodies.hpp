// The snapshot bodies of a node's key groups, kept by the snapshot writer
// between checkpoints as each state's entity encodings per key group: a
// checkpoint's changes (state_changes.hpp) are merged in (a changed entity's
// old bytes dropped, its new ones appended), and a body is assembled only for
// a key group that changed. This is the work the shards no longer do while
// their events wait; the bodies are those shard_state_codec.hpp decodes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "runtime/checkpoint/state_changes.hpp"

namespace rtfeat {

class snapshot_bodies {
public:
  /// Merges one shard's changes at one checkpoint: its key groups then hold its
  /// state at that barrier. `full`: the changes are the whole state (a shard's
  /// first save), replacing whatever the key groups held.
  /// REQUIRES: a shard's changes in checkpoint order, its states in the same order each time.
  void apply(const shard_changes& changes, bool full);
  /// False when key group `key_group`'s body is the one last marked stored().
  bool changed(uint32_t key_group) const;
  /// The body of `key_group` (of a shard applied before). Runs in: the writer's thread only.
  std::string body(uint32_t key_group);
  /// body(key_group) is on disk: until the next change, a checkpoint may reference
  /// it. Only after a successful write, so a failed one (disk full) is redone.
  void stored(uint32_t key_group);
  /// Bytes of entity encodings held, for tests and metrics.
  size_t bytes() const;

private:
  struct span {
    uint32_t offset = 0;
    uint32_t size = 0;  // 0: no state in this segment
  };
  /// One state's entities in one key group: their encodings back to back, in no order.
  struct segment {
    std::string bytes;
    std::vector<span> spans;  // by slot
    size_t dead = 0;          // bytes of dropped encodings still in `bytes`
    size_t live = 0;          // spans in use: the entities of the body's section
  };
  struct group {
    std::vector<std::string> names;  // of the states, in body order
    std::vector<segment> segments;   // by state
    absl::flat_hash_map<std::string, uint32_t> slots;  // identity -> slot, shared by the states
    std::vector<uint32_t> free_slots;
    int64_t watermark = 0;
    uint64_t seq = 0;
    bool changed = true;
  };

  /// One state's changes by key group (their position in the shard's key_groups).
  struct sorted_changes {
    std::vector<uint32_t> starts;  // of each key group's changes in `order`, and the end
    std::vector<uint32_t> order;   // indices into the state's entities
    std::vector<size_t> bytes;     // of encodings, by key group
  };
  static std::vector<sorted_changes> by_key_group(const shard_changes& changes);
  static void put(group& g, size_t state, std::string_view identity, std::string_view encoding);
  static void erase(group& g, size_t state, std::string_view identity);
  static void compact(segment& s);

  absl::flat_hash_map<uint32_t, group> groups_;  // by snapshot file key group
};

}  // namespace rtfeat
