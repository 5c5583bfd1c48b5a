// Hash-tag rules from the Redis Cluster specification: only the first `{` counts,
// and only the first `}` after it; an empty tag hashes the whole key.
#include "runtime/redis/cluster/key_slot.hpp"

#include "runtime/redis/cluster/crc16.hpp"

namespace rtfeat {

std::string_view hash_tag_of(std::string_view key) {
  const auto open = key.find('{');
  if (open == std::string_view::npos) return key;
  const auto close = key.find('}', open + 1);
  if (close == std::string_view::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

uint16_t key_slot(std::string_view key) {
  // 16384 is a power of two: the mod is a mask, as in Redis.
  return static_cast<uint16_t>(crc16(hash_tag_of(key)) & (cluster_slot_count - 1));
}

}  // namespace rtfeat
