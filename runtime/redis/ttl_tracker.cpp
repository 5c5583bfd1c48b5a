// TTL tracking for the sink (see ttl_tracker.hpp).
#include "runtime/redis/ttl_tracker.hpp"

#include <functional>

#include <absl/hash/hash.h>

namespace rtfeat {

// Two unrelated hash functions (absl's, seeded per process; libstdc++'s murmur):
// their outputs are independent, so the pair collides as a 128-bit hash would.
ttl_tracker::name_hash ttl_tracker::name_hash::of(std::string_view key) {
  return {absl::Hash<std::string_view>{}(key), std::hash<std::string_view>{}(key)};
}

bool ttl_tracker::needs_expire(std::string_view key, int64_t ttl_s, int64_t now_ms, bool recreated,
                               bool sets_kept_field) {
  if (ttl_s <= 0) return false;
  auto [it, fresh] = keys_.try_emplace(name_hash::of(key), tracked{now_ms, sets_kept_field});
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

void ttl_tracker::fields_removed(std::string_view key) {
  auto it = keys_.find(name_hash::of(key));
  if (it != keys_.end() && !it->second.has_kept_field) keys_.erase(it);
}

}  // namespace rtfeat
