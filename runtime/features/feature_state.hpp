// The interface every feature's state implements inside a keyed shard, and
// the scopes that decide which shard owns an event for a feature.
#pragma once

#include <cstdint>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/codec/state_codec.hpp"
#include "runtime/event.hpp"
#include "runtime/features/entity_interner.hpp"
#include "runtime/features/snapshot_sink.hpp"
#include "runtime/key_update.hpp"

namespace rtfeat {

/// Where a feature's state lives: the key its events are routed by.
enum class feature_scope : uint8_t {
  user,             // user shards, by user_id
  category,         // category shards, by category_id
  item,             // category shards, by item_id
  all,              // category shards, one global group
  campaign_region,  // category shards, by campaign_id + region
};
inline constexpr size_t feature_scope_count = 5;
inline uint32_t scope_bit(feature_scope s) { return 1U << static_cast<unsigned>(s); }

/// The routing key of `e` in `scope`; false when the event has none (no item, ...).
bool scope_key(feature_scope scope, const event& e, std::string& out);
/// The same without a copy: a view of `e`'s own field where the key is one
/// (user, item), else of `buffer` (category digits, campaign + region) or a
/// literal; nullopt when the event has none. Valid while `e` and `buffer` are.
std::optional<std::string_view> scope_key_view(feature_scope scope, const event& e, std::string& buffer);

/// The entity interners of one shard, one per scope: the shard interns an
/// event's routing keys once and hands each feature the id of its scope.
class scope_interners {
public:
  using ids = std::array<entity_id, feature_scope_count>;
  entity_interner& of(feature_scope s) { return interners_[static_cast<size_t>(s)]; }
  /// The ids of `e`'s routing keys in the scopes of `scope_mask` (scope_bit),
  /// no_entity in the others and where `e` has no key.
  void intern(const event& e, uint32_t scope_mask, ids& out);
  /// Frees the ids of `intern` that no feature state took.
  void release_unused(const ids& in);

private:
  std::array<entity_interner, feature_scope_count> interners_;
  std::string key_;  // reused: no allocation per event
};

/// One feature's state in one shard. Plain C++; the shard actor drives it.
class feature_state {
public:
  /// REQUIRES: `ids` (the interner of `scope` in the shard) outlives the state;
  /// null: the state interns into one of its own (tests, tools).
  feature_state(feature_scope scope, entity_interner* ids)
    : own_ids_(ids == nullptr ? std::make_unique<entity_interner>() : nullptr),
      ids_(ids == nullptr ? own_ids_.get() : ids), scope_(scope) {}
  virtual ~feature_state() = default;
  feature_state(const feature_state&) = delete;
  feature_state& operator=(const feature_state&) = delete;

  /// Counts `e` (already routed here for this feature's scope) for entity `id`:
  /// `e`'s routing key in scope(), interned in ids() (no_entity: `e` has none).
  /// `seq` grows with arrival, i.e. log order for events of one entity.
  /// `wm_at_read` is the reader's W_p before `e` (per-feature lateness).
  virtual void add_to(entity_id id, const event& e, int64_t wm_at_read, uint64_t seq) = 0;
  /// The same, interning `e`'s routing key here: for tests and tools.
  void add(const event& e, int64_t wm_at_read, uint64_t seq);
  /// Moves event time to `watermark` (the shard's merged watermark).
  virtual void advance(int64_t watermark) = 0;
  /// Appends the absolute Redis writes for everything changed since the last flush.
  virtual void flush(std::vector<key_update>& out) = 0;
  /// Entities with state, for metrics and tests.
  virtual size_t entities() const = 0;

  /// Snapshot: puts into `out` the entities whose saved state changed since
  /// the last save() and erases those gone since; the first save() puts every
  /// entity. Call right after flush() (nothing pending). Costs what changed,
  /// not the size of the state: it is a shard's pause at each checkpoint.
  virtual void save(snapshot_sink& out) = 0;
  /// Restore: reads the encodings save() put for one key group, back to back
  /// in any order; false on a bad stream.
  virtual bool load(state_reader& in) = 0;
  /// Before a restore's load()s: room for `entities` more, so that the tables
  /// grow once instead of by copies. Only a hint: loads may bring more or fewer.
  virtual void reserve(size_t /*entities*/) {}
  /// After a restore Redis may hold values newer than the state: forget what
  /// was written and rewrite every entity (whole values) at the next flush.
  virtual void rewrite_all() = 0;

  feature_scope scope() const { return scope_; }
  entity_interner& ids() const { return *ids_; }

private:
  std::unique_ptr<entity_interner> own_ids_;
  entity_interner* ids_;
  feature_scope scope_;
  std::string key_;  // add()'s routing key
};

}  // namespace rtfeat
