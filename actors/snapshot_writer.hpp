// Snapshot writer actor: writes the shards' key-group bodies to the checkpoint
// store (an unchanged key group as a reference to its older file) and tells the
// coordinator. Detached: it blocks on disk I/O.
#pragma once

#include <cstdint>
#include <memory>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/checkpoint/incremental_snapshots.hpp"

namespace rtfeat {

struct snapshot_writer_state {
  static inline const char* name = "snapshot_writer";
  incremental_snapshots files;  // what it wrote last, per key group
};

caf::behavior snapshot_writer(caf::stateful_actor<snapshot_writer_state>* self,
                              const std::shared_ptr<const checkpoint_store>& store, uint64_t catalogue_hash,
                              const caf::actor& coordinator);

}  // namespace rtfeat
