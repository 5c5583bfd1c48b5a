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
  bool needs_expire(const std::string& key, int64_t ttl_s, int64_t now_ms, bool recreated);
  /// A write may delete `key` (fields or members removed): the next write that
  /// creates it again must set the TTL.
  void may_delete(const std::string& key) { set_at_.erase(key); }
  /// The connection failed or Redis may have restarted: trust nothing.
  void clear() { set_at_.clear(); }
  size_t size() const { return set_at_.size(); }

private:
  string_map<int64_t> set_at_;  // key -> ms of the last EXPIRE sent
};

}  // namespace rtfeat
