// The interface every feature's state implements inside a keyed shard, and
// the scopes that decide which shard owns an event for a feature.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "runtime/codec/snapshot_cache.hpp"
#include "runtime/codec/state_codec.hpp"
#include "runtime/event.hpp"
#include "runtime/features/key_update.hpp"

namespace rtfeat {

/// Where a feature's state lives: the key its events are routed by.
enum class feature_scope : uint8_t {
  user,             // user shards, by user_id
  category,         // group shards, by category_id
  item,             // group shards, by item_id
  all,              // group shards, one global group
  campaign_region,  // group shards, by campaign_id + region
};
inline constexpr size_t feature_scope_count = 5;
inline uint32_t scope_bit(feature_scope s) { return 1U << static_cast<unsigned>(s); }

/// The routing key of `e` in `scope`; false when the event has none (no item, ...).
bool scope_key(feature_scope scope, const event& e, std::string& out);

/// One feature's state in one shard. Plain C++; the shard actor drives it.
class feature_state {
public:
  virtual ~feature_state() = default;
  /// Counts `e` (already routed here for this feature's scope). `seq` grows with
  /// arrival, i.e. log order for events of one entity. `wm_at_read` is the
  /// reader's W_p before `e` (per-feature lateness).
  virtual void add(const event& e, int64_t wm_at_read, uint64_t seq) = 0;
  /// Moves event time to `watermark` (the shard's merged watermark).
  virtual void advance(int64_t watermark) = 0;
  /// Appends the absolute Redis writes for everything changed since the last flush.
  virtual void flush(std::vector<key_update>& out) = 0;
  /// Entities with state, for metrics and tests.
  virtual size_t entities() const = 0;

  using writer_for = std::function<state_writer&(const std::string& scope_key)>;
  /// Snapshot: writes every entity's state to the writer of the key group of
  /// its scope key. Call right after flush() (nothing pending). Entities keep
  /// their encoding in a snapshot_cache that every change invalidates, so an
  /// unchanged entity costs a copy.
  virtual void save(const writer_for& out) const = 0;
  /// Restore: reads what save() wrote into one writer; false on a bad stream.
  virtual bool load(state_reader& in) = 0;
  /// After a restore Redis may hold values newer than the state: forget what
  /// was written and rewrite every entity (whole values) at the next flush.
  virtual void rewrite_all() = 0;
};

}  // namespace rtfeat
