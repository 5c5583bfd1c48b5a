// The snapshot writer's work (see shard_snapshots.hpp). The changes are applied
// before any file is written: a failed write leaves the bodies at this
// checkpoint's state, and the key groups not stored yet still changed.
#include "runtime/checkpoint/shard_snapshots.hpp"

namespace rtfeat {

status shard_snapshots::store(const checkpoint_store& store, uint64_t id, uint64_t catalogue_hash,
                              const shard_changes& changes, bool full,
                              std::vector<snapshot_entry>& entries, size_t& written) {
  bodies_.apply(changes, full);
  for (auto kg : changes.key_groups) {
    snapshot_entry entry;
    if (!bodies_.changed(kg) && files_.put_unchanged(store, id, kg, entry)) {
      entries.push_back(std::move(entry));
      continue;
    }
    bool referenced = false;
    if (auto put = files_.put(store, id, catalogue_hash, kg, bodies_.body(kg), entry, referenced);
        !put)
      return put;
    bodies_.stored(kg);
    if (!referenced) ++written;
    entries.push_back(std::move(entry));
  }
  return {};
}

}  // namespace rtfeat
