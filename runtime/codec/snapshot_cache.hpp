// An entity's encoded snapshot, kept from one checkpoint to the next: a
// checkpoint encodes again only the entities that changed since the last one
// and copies the bytes of the others, so the pause a checkpoint puts on its
// shard follows the rate of change, not the size of the state.
#pragma once

#include <string>
#include <utility>

#include "runtime/codec/state_codec.hpp"

namespace rtfeat {

class snapshot_cache {
public:
  /// The entity's saved state changed: encode it again at the next checkpoint.
  /// Every change of what a feature's save() writes for an entity must call it.
  void invalidate() { bytes_.clear(); }

  /// Appends the entity's encoding to `out`; `encode(state_writer&)` runs only
  /// when the entity changed since the bytes were kept (or never was encoded).
  /// It encodes straight into `out` and keeps a copy of exactly that size.
  template <class Encode>
  void write_to(state_writer& out, Encode&& encode) const {
    if (!bytes_.empty()) {
      out.raw(bytes_);
      return;
    }
    auto start = out.bytes().size();
    encode(out);
    bytes_.assign(out.bytes().substr(start));
  }

private:
  mutable std::string bytes_;  // empty: changed (every encoding has at least the entity id)
};

}  // namespace rtfeat
