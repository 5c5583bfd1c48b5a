// Who does what in a cluster (SPEC §5, docs/cluster.md): from the ordered node
// list, Kafka partitions and key groups go to nodes in contiguous ranges, and
// a node's key groups to its local shards. Pure arithmetic, the same on every
// node, so no node has to be told what it owns. One node = the single-node job.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace rtfeat {

/// Which of `parts` contiguous ranges item `i` of `total` falls in, the ranges
/// as even as possible (sizes differ by at most 1): floor(i * parts / total).
/// The existing single-node shard split (job_graph, routing) is the same formula.
/// REQUIRES: parts >= 1, i < total.
uint32_t owner_of(uint64_t i, uint64_t parts, uint64_t total);

/// The range [first, last) of items that owner_of() gives to `part`.
std::pair<uint64_t, uint64_t> range_of(uint64_t part, uint64_t parts, uint64_t total);

class placement {
public:
  /// REQUIRES: every argument >= 1.
  placement(uint32_t nodes, uint32_t partitions, uint32_t max_parallelism, uint32_t user_shards_per_node,
            uint32_t category_shards_per_node);

  uint32_t nodes() const { return nodes_; }
  uint32_t partitions() const { return partitions_; }
  uint32_t max_parallelism() const { return max_parallelism_; }

  /// Kafka (or file) partitions read by `node`, ascending and contiguous; empty
  /// when there are more nodes than partitions.
  std::vector<int32_t> partitions_of(uint32_t node) const;
  uint32_t node_of_partition(int32_t partition) const;

  /// Key groups owned by `node` (user and group scopes alike): [first, last).
  std::pair<uint32_t, uint32_t> key_groups_of(uint32_t node) const;
  uint32_t node_of_key_group(uint32_t key_group) const;

  /// Shards are numbered over the whole job, node-major: node n's user shards are
  /// n * user_shards_per_node + 0..user_shards_per_node-1 (the same for category shards).
  uint32_t user_shards() const { return nodes_ * user_shards_; }
  uint32_t category_shards() const { return nodes_ * category_shards_; }
  /// Key groups of job-wide shard `shard` when `per_node` shards run on each node:
  /// a contiguous sub-range of its node's key groups.
  std::vector<uint32_t> key_groups_of_shard(uint32_t shard, uint32_t per_node) const;
  /// The job-wide shard owning `key_group` when `per_node` shards run on each node.
  uint32_t shard_of_key_group(uint32_t key_group, uint32_t per_node) const;

private:
  uint32_t nodes_;
  uint32_t partitions_;
  uint32_t max_parallelism_;
  uint32_t user_shards_;
  uint32_t category_shards_;
};

}  // namespace rtfeat
