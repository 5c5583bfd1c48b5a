// Snapshot writer (see snapshot_writer.hpp).
#include "actors/snapshot_writer.hpp"

#include "caf/all.hpp"
#include "actors/messages.hpp"

namespace rtfeat {

caf::behavior snapshot_writer(caf::stateful_actor<snapshot_writer_state>* self,
                              std::shared_ptr<const checkpoint_store> store, uint64_t catalogue_hash,
                              caf::actor coordinator) {
  return {
    [=](shard_snapshot& snap) {
      snapshot_written done{snap.id, true, {}, {}};
      for (const auto& [kg, body] : snap.bodies) {
        snapshot_entry entry;
        if (!store->write_snapshot(snap.id, catalogue_hash, kg, body, entry, done.error)) {
          done.ok = false;
          break;
        }
        done.entries.push_back(std::move(entry));
      }
      self->send(coordinator, std::move(done));
    },
  };
}

}  // namespace rtfeat
