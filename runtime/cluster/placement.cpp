// Placement arithmetic (see placement.hpp). Shards use the same split over all
// nodes * per_node shards as the nodes over the key groups, and
// floor(floor(g * n * s / G) / s) = floor(g * n / G), so a shard's key groups
// always lie inside its node's range: node ranges and shard ranges nest.
#include "runtime/cluster/placement.hpp"

#include <cassert>

namespace rtfeat {

uint32_t owner_of(uint64_t i, uint64_t parts, uint64_t total) {
  assert(parts >= 1 && i < total);
  return static_cast<uint32_t>(i * parts / total);
}

std::pair<uint64_t, uint64_t> range_of(uint64_t part, uint64_t parts, uint64_t total) {
  // First item i with floor(i * parts / total) >= part is ceil(part * total / parts).
  auto first = [&](uint64_t p) { return (p * total + parts - 1) / parts; };
  return {first(part), first(part + 1)};
}

placement::placement(uint32_t nodes, uint32_t partitions, uint32_t max_parallelism, uint32_t user_shards_per_node,
                     uint32_t category_shards_per_node)
  : nodes_(nodes),
    partitions_(partitions),
    max_parallelism_(max_parallelism),
    user_shards_(user_shards_per_node),
    category_shards_(category_shards_per_node) {
  assert(nodes >= 1 && partitions >= 1 && max_parallelism >= 1 && user_shards_per_node >= 1
         && category_shards_per_node >= 1);
}

std::vector<int32_t> placement::partitions_of(uint32_t node) const {
  auto [first, last] = range_of(node, nodes_, partitions_);
  std::vector<int32_t> out;
  for (auto p = first; p < last; ++p) out.push_back(static_cast<int32_t>(p));
  return out;
}

uint32_t placement::node_of_partition(int32_t partition) const {
  return owner_of(static_cast<uint64_t>(partition), nodes_, partitions_);
}

std::pair<uint32_t, uint32_t> placement::key_groups_of(uint32_t node) const {
  auto [first, last] = range_of(node, nodes_, max_parallelism_);
  return {static_cast<uint32_t>(first), static_cast<uint32_t>(last)};
}

uint32_t placement::node_of_key_group(uint32_t key_group) const {
  return owner_of(key_group, nodes_, max_parallelism_);
}

std::vector<uint32_t> placement::key_groups_of_shard(uint32_t shard, uint32_t per_node) const {
  auto [first, last] = range_of(shard, uint64_t{nodes_} * per_node, max_parallelism_);
  std::vector<uint32_t> out;
  for (auto g = first; g < last; ++g) out.push_back(static_cast<uint32_t>(g));
  return out;
}

uint32_t placement::shard_of_key_group(uint32_t key_group, uint32_t per_node) const {
  return owner_of(key_group, uint64_t{nodes_} * per_node, max_parallelism_);
}

}  // namespace rtfeat
