// Snapshot writer (see snapshot_writer.hpp).
#include "actors/snapshot_writer.hpp"

#include <chrono>

#include "caf/all.hpp"
#include "actors/messages.hpp"

namespace rtfeat {

caf::behavior snapshot_writer(caf::stateful_actor<snapshot_writer_state>* self,
                              const std::shared_ptr<const checkpoint_store>& store, uint64_t catalogue_hash,
                              const caf::actor& coordinator) {
  return {
    [=](shard_snapshot& snap) {
      auto started = std::chrono::steady_clock::now();
      snapshot_written done{snap.id, true, {}, {}, snap.phases};
      size_t written = 0;
      auto stored = self->state.snapshots.store(*store, snap.id, catalogue_hash, snap.changes,
                                                snap.full, done.entries, written);
      done.ok = stored.ok();
      done.error = stored.message();
      done.phases.write_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started).count();
      self->send(coordinator, std::move(done));
    },
  };
}

}  // namespace rtfeat
