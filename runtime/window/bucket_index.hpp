// Which entities have state in which slide bucket, so that moving event time
// visits only the entities whose buckets leave (or change role), not all.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rtfeat {

class bucket_index {
public:
  void add(int64_t bucket, const std::string& key) { index_[bucket].push_back(key); }

  /// Calls fn(key) for every entry with bucket < `bound` and removes them.
  /// A key may come more than once, or no longer exist: callers look it up.
  template <class Fn>
  void pop_before(int64_t bound, Fn&& fn) {
    auto end = index_.lower_bound(bound);
    for (auto it = index_.begin(); it != end; ++it)
      for (const auto& key : it->second) fn(it->first, key);
    index_.erase(index_.begin(), end);
  }

  bool empty() const { return index_.empty(); }

private:
  std::map<int64_t, std::vector<std::string>> index_;
};

}  // namespace rtfeat
