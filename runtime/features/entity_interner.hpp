// Dense ids for the entities of one scope in one shard: the shard renders an
// event's routing key once and looks it up once, and every feature state of
// that scope then finds its entity by a small integer instead of hashing and
// comparing the key string again. An id lives while a feature holds state for
// it (a reference each), so a long-running shard does not grow with entities
// that left every window.
#pragma once

#include <cassert>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>

namespace rtfeat {

using entity_id = uint32_t;
inline constexpr entity_id no_entity = UINT32_MAX;

class entity_interner {
public:
  /// The id of `key`; a new one when unknown, held by no one until acquire().
  /// A new id that no feature acquires must be given back (release_if_unused).
  entity_id intern(std::string_view key) {
    if (auto it = ids_.find(key); it != ids_.end()) return it->second;
    entity_id id;
    if (!free_.empty()) {
      id = free_.back();
      free_.pop_back();
      keys_[id].assign(key.data(), key.size());
    } else {
      id = static_cast<entity_id>(keys_.size());
      keys_.emplace_back(key);
      refs_.push_back(0);
    }
    ids_.emplace(std::string_view(keys_[id]), id);  // deque elements never move: the view stays valid
    return id;
  }

  /// Room for `n` live ids without rehashing (a restore: see feature_state::reserve).
  void reserve(size_t n) {
    ids_.reserve(n);
    refs_.reserve(n);
  }

  /// The routing key of a live id.
  const std::string& key(entity_id id) const { return keys_[id]; }

  /// A feature state starts holding `id`.
  void acquire(entity_id id) { ++refs_[id]; }
  /// A feature state stops holding `id`; the last one frees it for reuse.
  void release(entity_id id) {
    assert(refs_[id] > 0);
    if (--refs_[id] == 0) drop(id);
  }
  /// Frees `id` when no feature holds it: after an event no feature kept.
  void release_if_unused(entity_id id) {
    if (id != no_entity && refs_[id] == 0) drop(id);
  }

  /// Live ids (held, or interned for the current event).
  size_t size() const { return ids_.size(); }

private:
  void drop(entity_id id) {
    ids_.erase(std::string_view(keys_[id]));
    keys_[id].clear();  // keeps its capacity for the next key given this id
    free_.push_back(id);
  }

  absl::flat_hash_map<std::string_view, entity_id> ids_;  // views into keys_
  std::deque<std::string> keys_;                          // by id; "" when free
  std::vector<uint32_t> refs_;                            // by id: feature states holding it
  std::vector<entity_id> free_;
};

}  // namespace rtfeat
