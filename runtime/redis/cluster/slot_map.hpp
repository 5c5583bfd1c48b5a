// Which master serves each of the 16384 slots, read from a CLUSTER SLOTS reply
// and corrected slot by slot on MOVED. A reply that leaves a slot without a
// master is refused rather than guessed: writing a slot to a node that does not
// own it only earns MOVED (or, mid-failover, CLUSTERDOWN).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "runtime/redis/cluster/node_address.hpp"

struct redisReply;

namespace rtfeat {

/// One range of a CLUSTER SLOTS reply.
struct slot_range {
  uint16_t first = 0;
  uint16_t last = 0;  // inclusive, as Redis reports it
  node_address master;
  std::vector<node_address> replicas;
};

enum class slot_map_error_kind {
  malformed,   ///< not a CLUSTER SLOTS reply (an error reply, bad shape, overlapping
               ///< ranges): fatal, the other side is not the Redis Cluster we expect
  incomplete,  ///< a slot has no master: retriable, the cluster is forming or a shard is down
};

struct slot_map_error {
  slot_map_error_kind kind;
  std::string detail;  // "slots 0-5460 have no master"
};

/// Not thread-safe; one per sink connection set.
class slot_map {
public:
  /// Parses a CLUSTER SLOTS reply that came from a node reached at `connected_host`
  /// (the host of a node Redis lists with a NULL or empty endpoint, which means
  /// "the host you asked"). REQUIRES: `reply` is not null.
  static std::variant<slot_map, slot_map_error> from_cluster_slots(const redisReply* reply,
                                                                    std::string_view connected_host);
  /// A map from ranges that must cover every slot exactly once.
  static std::variant<slot_map, slot_map_error> from_ranges(const std::vector<slot_range>& ranges);

  /// REQUIRES: slot < cluster_slot_count.
  const node_address& master_of(uint16_t slot) const { return shards_[owner_[slot]].master; }
  /// Replicas of a master as the last CLUSTER SLOTS listed them (none for a
  /// master only learnt from MOVED).
  const std::vector<node_address>& replicas_of(const node_address& master) const;
  /// After MOVED: `slot` is now served by `master`.
  void set_master(uint16_t slot, const node_address& master);
  /// The masters that serve at least one slot, in order of their lowest slot.
  std::vector<node_address> masters() const;
  /// The lowest slot of each master, in the order of masters().
  std::vector<uint16_t> first_slots() const;
  /// The highest slot of `master`, or nullopt when it serves none.
  std::optional<uint16_t> last_slot_of(const node_address& master) const;

private:
  struct shard {
    node_address master;
    std::vector<node_address> replicas;
  };
  slot_map() = default;
  uint16_t index_of(const node_address& master);  // adds the master if new

  std::vector<shard> shards_;
  std::vector<uint16_t> owner_;  // slot -> index into shards_
};

}  // namespace rtfeat
