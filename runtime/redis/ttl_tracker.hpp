// Which keys need an EXPIRE: a key's TTL is set when a write may have created
// it and refreshed once a tenth of the TTL has passed, instead of with every
// write (EXPIRE was a quarter of all commands). Assumes this sink is the only
// writer of its keys: keys are routed to one sink by their name.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/flat_map.hpp"

namespace rtfeat {

class ttl_tracker {
public:
  /// A write that leaves `key` existing is about to be sent at `now_ms` (a
  /// steady clock). True when it must carry EXPIRE `ttl_s`; records that it does.
  /// `recreated`: the write deletes the key first (whole-value replace).
  /// `sets_kept_field`: the write sets a field that is never deleted (a hash's
  /// `_ts`), so removing other fields cannot empty the key afterwards.
  bool needs_expire(const std::string& key, int64_t ttl_s, int64_t now_ms, bool recreated,
                    bool sets_kept_field = false);
  /// A write may delete `key`: the next write that creates it again must set the TTL.
  void may_delete(const std::string& key) { keys_.erase(key); }
  /// A write removes fields or members of `key`: it may delete the key, unless
  /// the key holds a field that is never deleted. Keeping the TTL record then
  /// spares the EXPIRE that every hash write after a window's HDEL carried.
  void fields_removed(const std::string& key);
  /// The connection failed or Redis may have restarted: trust nothing.
  void clear() { keys_.clear(); }
  size_t size() const { return keys_.size(); }

private:
  struct tracked {
    int64_t set_at = 0;           // ms of the last EXPIRE sent
    bool has_kept_field = false;  // a never-deleted field was written since: the key cannot be emptied
  };
  string_map<tracked> keys_;
};

}  // namespace rtfeat
