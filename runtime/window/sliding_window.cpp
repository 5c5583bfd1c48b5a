// Bucket bookkeeping for sliding windows (see sliding_window.hpp).
#include "runtime/window/sliding_window.hpp"

#include <algorithm>

namespace rtfeat {

bool bucket_counts::add(int64_t start, uint32_t n) {
  total_ += n;
  // Events mostly arrive in time order: the newest bucket is the usual hit.
  if (!buckets_.empty() && buckets_.back().first == start) {
    buckets_.back().second += n;
    return false;
  }
  auto it = std::lower_bound(buckets_.begin(), buckets_.end(), start,
                             [](const auto& b, int64_t s) { return b.first < s; });
  if (it != buckets_.end() && it->first == start) {
    it->second += n;
    return false;
  }
  buckets_.insert(it, {start, n});
  return true;
}

bool bucket_counts::evict_before(int64_t tail) {
  auto it = buckets_.begin();
  uint64_t removed = 0;
  while (it != buckets_.end() && it->first < tail) removed += (it++)->second;
  if (it == buckets_.begin()) return false;
  buckets_.erase(buckets_.begin(), it);
  total_ -= removed;
  return removed != 0;
}

}  // namespace rtfeat
