// checkpoint_store::find_restorable as most tests read it: the manifest
// (nullopt: none, or an error) and the error's message ("" when none).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/checkpoint/checkpoint_store.hpp"

namespace rtfeat::test {

inline std::optional<checkpoint_manifest> restorable(const checkpoint_store& store,
                                                     std::optional<uint64_t> id,
                                                     std::vector<std::string>& log,
                                                     std::string& error) {
  auto found = store.find_restorable(id, log);
  error = found.error().message();
  return found ? *found : std::nullopt;
}

}  // namespace rtfeat::test
