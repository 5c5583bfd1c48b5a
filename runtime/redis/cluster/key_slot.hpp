// The hash slot of a key, exactly as a Redis Cluster node computes it: CRC16 of
// the key, or of its hash tag, mod 16384. Hash tags let one entity's keys share
// a slot (one master, one pipeline, MULTI/EXEC allowed across them).
#pragma once

#include <cstdint>
#include <string_view>

namespace rtfeat {

/// Slots in a Redis Cluster; every one must have a master for the cluster to be usable.
inline constexpr uint16_t cluster_slot_count = 16384;

/// The part of `key` that is hashed: the content of the first `{...}` when the
/// first `{` is followed by a `}` with at least one byte between them, else the
/// whole key (so `{}`, a lone `{` and `foo{}{bar}` hash the whole key).
std::string_view hash_tag_of(std::string_view key);

/// crc16(hash_tag_of(key)) mod 16384: the slot a cluster node reports for
/// CLUSTER KEYSLOT key.
uint16_t key_slot(std::string_view key);

}  // namespace rtfeat
