// Kafka's Java-compatible murmur2 and the partition/key-group functions built on
// it (SPEC §4a): the producer, the file source and the oracle must agree on them.
#pragma once

#include <cstdint>
#include <string_view>

namespace rtfeat {

/// murmur2 as in org.apache.kafka.common.utils.Utils.murmur2 (seed 0x9747b28c).
uint32_t murmur2(std::string_view data);

/// Partition of a keyed message: (murmur2(key) & 0x7fffffff) mod partitions.
/// REQUIRES: partitions > 0.
inline int32_t partition_of(std::string_view key, int32_t partitions) {
  return static_cast<int32_t>((murmur2(key) & 0x7fffffffU) % static_cast<uint32_t>(partitions));
}

/// Key group of an entity key: the unit of state ownership and of snapshots.
/// A different seed than partitioning so key groups do not mirror partitions.
uint32_t key_group_of(std::string_view key, uint32_t max_parallelism);

}  // namespace rtfeat
