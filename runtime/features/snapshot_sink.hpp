// Where a feature state's save() puts what changed since its last save(): the
// new encoding of each changed entity, and the entities that are gone. The
// sink files each under the key group of its routing key; the checkpoint
// side (runtime/checkpoint/state_changes.hpp) keeps the rest of the state.
#pragma once

#include <string_view>

#include <absl/functional/function_ref.h>

#include "runtime/codec/state_codec.hpp"

namespace rtfeat {

class snapshot_sink {
public:
  using encoder = absl::FunctionRef<void(state_writer&)>;
  virtual ~snapshot_sink() = default;

  /// Entity `identity` (unique in its feature state) now saves as what `encode`
  /// writes, in the key group of `routing_key`. REQUIRES: `encode` writes at
  /// least one value (a save stream is a sequence of entities, see load()).
  virtual void put(std::string_view routing_key, std::string_view identity, encoder encode) = 0;
  /// Entity `identity`, put() at an earlier save, has no state any more.
  virtual void erase(std::string_view routing_key, std::string_view identity) = 0;
};

}  // namespace rtfeat
