// Held keys (see held_keys.hpp).
#include "runtime/features/held_keys.hpp"

#include <functional>

namespace rtfeat {

void held_keys::close() {
  if (open_ > 0 && --open_ == 0) keys_ = {};  // gives the memory back
}

uint64_t held_keys::hash_of(std::string_view key) { return std::hash<std::string_view>{}(key); }

void held_keys::record(const std::vector<key_update>& updates) {
  if (!recording()) return;
  for (const auto& u : updates) keys_.insert(hash_of(u.key));
}

bool held_keys::holds(std::string_view key) const { return keys_.contains(hash_of(key)); }

size_t held_keys::deletes_for(const std::vector<orphan_candidate>& candidates,
                              std::vector<key_update>& out) const {
  size_t n = 0;
  for (const auto& c : candidates) {
    if (holds(c.key)) continue;
    out.push_back(delete_of(c.key, c.type));
    ++n;
  }
  return n;
}

}  // namespace rtfeat
