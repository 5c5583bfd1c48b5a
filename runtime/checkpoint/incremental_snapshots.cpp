// Incremental snapshots (see incremental_snapshots.hpp). "Unchanged" means same
// size, same CRC32C and same 64-bit hash: a CRC alone would, over years of
// checkpoints, let a changed body pass for its predecessor.
#include "runtime/checkpoint/incremental_snapshots.hpp"

#include "absl/hash/hash.h"
#include "runtime/checkpoint/crc32c.hpp"
#include "runtime/checkpoint/snapshot_file.hpp"

namespace rtfeat {

status incremental_snapshots::put(const checkpoint_store& store, uint64_t id,
                                  uint64_t catalogue_hash, uint32_t key_group,
                                  std::string_view body, snapshot_entry& out, bool& referenced) {
  const uint64_t hash = absl::HashOf(body);
  auto it = last_.find(key_group);
  referenced = it != last_.end() && it->second.home < id && it->second.hash == hash
               && it->second.entry.size == snapshot_header_size + body.size()
               && it->second.entry.crc == crc32c(body)
               && store.reference_snapshot(id, it->second.home, it->second.entry, out);
  if (referenced) return {};
  if (auto written = store.write_snapshot(id, catalogue_hash, key_group, body, out); !written) {
    last_.erase(key_group);  // what is on disk for it is unknown now
    return written;
  }
  last_[key_group] = stored{out, id, hash};
  return {};
}

bool incremental_snapshots::put_unchanged(const checkpoint_store& store, uint64_t id, uint32_t key_group,
                                          snapshot_entry& out) const {
  auto it = last_.find(key_group);
  return it != last_.end() && it->second.home < id && store.reference_snapshot(id, it->second.home, it->second.entry, out);
}

}  // namespace rtfeat
