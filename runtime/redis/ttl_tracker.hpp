// Which keys need an EXPIRE: a key's TTL is set when a write may have created
// it and refreshed once a tenth of the TTL has passed, instead of with every
// write (EXPIRE was a quarter of all commands). Assumes this sink is the only
// writer of its keys: keys are routed to one sink by their name.
// A key is tracked by a 128-bit hash of its name, not the name: a sink writes
// millions of keys, and a string per key was an allocation and a cache miss
// more per lookup (two names colliding would cost one key its EXPIRE; with two
// independent 64-bit hashes that takes ~2^64 keys).
#pragma once

#include <cstdint>
#include <string_view>

#include <absl/container/flat_hash_map.h>

namespace rtfeat {

class ttl_tracker {
public:
  /// A write that leaves `key` existing is about to be sent at `now_ms` (a
  /// steady clock). True when it must carry EXPIRE `ttl_s`; records that it does.
  /// `recreated`: the write deletes the key first (whole-value replace).
  /// `sets_kept_field`: the write sets a field that is never deleted (a hash's
  /// `_ts`), so removing other fields cannot empty the key afterwards.
  bool needs_expire(std::string_view key, int64_t ttl_s, int64_t now_ms, bool recreated,
                    bool sets_kept_field = false);
  /// A write may delete `key`: the next write that creates it again must set the TTL.
  void may_delete(std::string_view key) { keys_.erase(name_hash::of(key)); }
  /// A write removes fields or members of `key`: it may delete the key, unless
  /// the key holds a field that is never deleted. Keeping the TTL record then
  /// spares the EXPIRE that every hash write after a window's HDEL carried.
  void fields_removed(std::string_view key);
  /// The connection failed or Redis may have restarted: trust nothing.
  void clear() { keys_.clear(); }
  size_t size() const { return keys_.size(); }

private:
  struct name_hash {
    uint64_t a = 0, b = 0;
    static name_hash of(std::string_view key);
    bool operator==(const name_hash&) const = default;
  };
  struct by_first_half {  // `a` is a hash already: the map need not hash it again
    size_t operator()(const name_hash& h) const { return h.a; }
  };
  struct tracked {
    int64_t set_at = 0;           // ms of the last EXPIRE sent
    bool has_kept_field = false;  // a never-deleted field was written since: the key cannot be emptied
  };
  absl::flat_hash_map<name_hash, tracked, by_first_half> keys_;
};

}  // namespace rtfeat
