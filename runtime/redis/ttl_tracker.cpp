// TTL tracking for the sink (see ttl_tracker.hpp).
#include "runtime/redis/ttl_tracker.hpp"

#include <string>

namespace rtfeat {

bool ttl_tracker::needs_expire(const std::string& key, int64_t ttl_s, int64_t now_ms, bool recreated,
                               bool sets_kept_field) {
  if (ttl_s <= 0) return false;
  auto [it, fresh] = keys_.try_emplace(key, tracked{now_ms, sets_kept_field});
  if (fresh) return true;
  auto& t = it->second;
  // A refresh after a tenth of the TTL keeps every written key above 90 % of it.
  // Then the key may have expired and been created again by this write, so it
  // holds the kept field only if this write sets it.
  if (recreated || now_ms - t.set_at >= ttl_s * 100) {
    t = tracked{now_ms, sets_kept_field};
    return true;
  }
  t.has_kept_field = t.has_kept_field || sets_kept_field;
  return false;
}

void ttl_tracker::fields_removed(const std::string& key) {
  auto it = keys_.find(key);
  if (it != keys_.end() && !it->second.has_kept_field) keys_.erase(it);
}

}  // namespace rtfeat
