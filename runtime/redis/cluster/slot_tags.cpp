// Slot tags (see slot_tags.hpp): decimal numbers tried in order until every
// slot has one; about 170 000 numbers cover the 16384 slots.
#include "runtime/redis/cluster/slot_tags.hpp"

#include <vector>

#include "runtime/redis/cluster/key_slot.hpp"

namespace rtfeat {

const std::string& tag_for_slot(uint16_t slot) {
  static const std::vector<std::string> tags = [] {
    std::vector<std::string> out(cluster_slot_count);
    size_t missing = cluster_slot_count;
    for (uint64_t n = 0; missing > 0; ++n) {
      auto text = std::to_string(n);
      auto& tag = out[key_slot(text)];
      if (tag.empty()) tag = std::move(text), --missing;
    }
    return out;
  }();
  return tags[slot];
}

}  // namespace rtfeat
