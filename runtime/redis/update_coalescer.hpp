// Coalesces key updates between Redis flushes: for each key the latest value
// of each field wins and a delete cancels an earlier set (and vice versa), so
// a hot key costs one HSET per flush however often it changed.
#pragma once

#include <string>
#include "runtime/flat_map.hpp"
#include <vector>

#include "runtime/key_update.hpp"

namespace rtfeat {

class update_coalescer {
public:
  void add(key_update&& u);
  bool empty() const { return pending_.empty(); }
  size_t keys() const { return pending_.size(); }
  /// Everything pending, in first-seen key order; leaves the coalescer empty.
  std::vector<key_update> take();

private:
  std::vector<key_update> pending_;
  string_map<size_t> index_;  // key -> position in pending_
};

}  // namespace rtfeat
