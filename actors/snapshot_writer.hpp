// Snapshot writer actor: merges the shards' changes into the key-group bodies
// it keeps, writes those that changed to the checkpoint store (the others as
// references to their older files) and tells the coordinator. Detached: it
// blocks on disk I/O, and merging is work the shards do not wait for.
#pragma once

#include <cstdint>
#include <memory>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/shard_snapshots.hpp"

namespace rtfeat {

struct snapshot_writer_state {
  static inline const char* name = "snapshot_writer";
  shard_snapshots snapshots;  // the bodies, and what it wrote last per key group
};

caf::behavior snapshot_writer(caf::stateful_actor<snapshot_writer_state>* self,
                              const std::shared_ptr<const checkpoint_store>& store, uint64_t catalogue_hash,
                              const caf::actor& coordinator);

}  // namespace rtfeat
