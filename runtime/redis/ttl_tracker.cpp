// TTL tracking for the sink (see ttl_tracker.hpp).
#include "runtime/redis/ttl_tracker.hpp"

#include <string>

namespace rtfeat {

bool ttl_tracker::needs_expire(const std::string& key, int64_t ttl_s, int64_t now_ms, bool recreated) {
  if (ttl_s <= 0) return false;
  auto it = set_at_.find(key);
  if (it == set_at_.end()) {
    set_at_.emplace(key, now_ms);
    return true;
  }
  // A refresh after a tenth of the TTL keeps every written key above 90 % of it.
  if (recreated || now_ms - it->second >= ttl_s * 100) {
    it->second = now_ms;
    return true;
  }
  return false;
}

}  // namespace rtfeat
