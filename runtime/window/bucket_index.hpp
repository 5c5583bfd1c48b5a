// Which entities have state in which slide bucket, so that moving event time
// visits only the entities whose buckets leave (or change role), not all.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtfeat {

/// Key: an entity's routing key, or its interned id (entity_interner).
template <class Key>
class basic_bucket_index {
public:
  void add(int64_t bucket, const Key& key) { index_[bucket].push_back(key); }

  /// Calls fn(bucket, key) for every entry with bucket < `bound` and removes them.
  /// A key may come more than once, or no longer exist: callers look it up.
  /// fn may add entries (at buckets >= bound): they are kept, not visited.
  template <class Fn>
  void pop_before(int64_t bound, Fn&& fn) {
    std::map<int64_t, std::vector<Key>> popped;
    for (auto end = index_.lower_bound(bound); index_.begin() != end;)
      popped.insert(index_.extract(index_.begin()));
    for (const auto& [bucket, keys] : popped)
      for (const auto& key : keys) fn(bucket, key);
  }

  bool empty() const { return index_.empty(); }

private:
  std::map<int64_t, std::vector<Key>> index_;
};

using bucket_index = basic_bucket_index<std::string>;

}  // namespace rtfeat
