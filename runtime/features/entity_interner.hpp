// Dense ids for the entities of one scope in one shard: the shard renders an
// event's routing key once and looks it up once, and every feature state of
// that scope then finds its entity by a small integer instead of hashing and
// comparing the key string again. An id lives while a feature holds state for
// it (a reference each), so a long-running shard does not grow with entities
// that left every window. A restore interns each entity once per state: see
// start_section() for how it avoids most of those lookups.
#pragma once

#include <algorithm>
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
    if (!following_) return lookup(key);
    auto id = next_in_order(key);
    if (id == no_entity) id = lookup(key);
    order_.push_back(id);
    return id;
  }

  /// A restore's states load a body's sections one after another, each listing
  /// its entities of the key group mostly in the same order (the writer's: first
  /// seen, or its slots once compacted). Until end_sections(), intern() first
  /// tries the next ids of the largest section of the body so far: a compare of
  /// keys read in order instead of a lookup in a large map, whose cache misses
  /// were a fifth of a restore. Only a shortcut: every key still gets its own id.
  void start_section() {
    if (order_.size() > reference_.size()) reference_.swap(order_);
    order_.clear();
    cursor_ = 0;
    following_ = true;
  }
  /// The body is done: intern() looks every key up again.
  void end_sections() {
    following_ = false;
    reference_.clear();
    order_.clear();
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
  entity_id lookup(std::string_view key) {
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

  /// The id of `key` when it is among the next few of the reference section:
  /// a section of fewer entities (buyers only) skips some of a larger one's.
  entity_id next_in_order(std::string_view key) {
    if (key.empty()) return no_entity;  // a freed id's key is empty too
    auto end = std::min(cursor_ + lookahead, reference_.size());
    for (auto k = cursor_; k < end; ++k)
      if (keys_[reference_[k]] == key) return cursor_ = k + 1, reference_[k];
    return no_entity;
  }

  void drop(entity_id id) {
    ids_.erase(std::string_view(keys_[id]));
    keys_[id].clear();  // keeps its capacity for the next key given this id
    free_.push_back(id);
  }

  absl::flat_hash_map<std::string_view, entity_id> ids_;  // views into keys_
  std::deque<std::string> keys_;                          // by id; "" when free
  std::vector<uint32_t> refs_;                            // by id: feature states holding it
  std::vector<entity_id> free_;
  // A restore's shortcut (start_section): ids in the order the body's largest
  // section so far and the current one interned them.
  static constexpr size_t lookahead = 16;
  bool following_ = false;
  std::vector<entity_id> reference_, order_;
  size_t cursor_ = 0;
};

}  // namespace rtfeat
