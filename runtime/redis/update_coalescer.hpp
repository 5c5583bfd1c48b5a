// Coalesces key updates between Redis flushes: for each key the latest value
// of each field wins and a delete cancels an earlier set (and vice versa), so
// a hot key costs one HSET per flush however often it changed.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_set.h>
#include <absl/hash/hash.h>

#include "runtime/key_update.hpp"

namespace rtfeat {

class update_coalescer {
public:
  update_coalescer() = default;
  // The index hashes through a pointer to pending_.
  update_coalescer(const update_coalescer&) = delete;
  update_coalescer& operator=(const update_coalescer&) = delete;

  void add(key_update&& u);
  bool empty() const { return pending_.empty(); }
  size_t keys() const { return pending_.size(); }
  /// Everything pending, in first-seen key order; leaves the coalescer empty.
  std::vector<key_update> take();

private:
  /// Positions in pending_, hashed and compared by the key there; looked up by
  /// the key itself, so no key is copied into the index.
  struct by_key {
    using is_transparent = void;
    const std::vector<key_update>* pending;
    std::string_view key(uint32_t i) const { return (*pending)[i].key; }
    static std::string_view key(std::string_view k) { return k; }
    size_t operator()(auto k) const { return absl::Hash<std::string_view>{}(key(k)); }
    bool operator()(auto a, auto b) const { return key(a) == key(b); }
  };

  std::vector<key_update> pending_;
  absl::flat_hash_set<uint32_t, by_key, by_key> index_{0, by_key{&pending_}, by_key{&pending_}};
};

}  // namespace rtfeat
