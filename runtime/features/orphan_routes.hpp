// Which of this node's shards a key found in Redis belongs to, for a resync's
// orphan sweep (docs/exactly-once.md "When Redis loses data"): the key's family
// names its owner entity, the entity's key group names the shard. Keys of other
// nodes' key groups, of other families or of no single owner are not routed.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "runtime/features/key_families.hpp"

namespace rtfeat {

/// A key for a shard to check: its position among the node's shards and the
/// Redis type of its family (a delete is written as an update of that type).
struct orphan_route {
  size_t shard = 0;
  redis_type type = redis_type::hash;
};

class orphan_routes {
public:
  /// REQUIRES: `plan` came from a validated catalogue; max_parallelism >= 1.
  orphan_routes(const feature_plan& plan, uint32_t max_parallelism);

  /// The next shard of the node, in the order the sink is given them: it owns
  /// `key_groups` of user scope (`user`) or of every other scope.
  void add_shard(bool user, const std::vector<uint32_t>& key_groups);

  /// The local shard that owns `key`, or nullopt (see the file comment).
  std::optional<orphan_route> route(std::string_view key) const;

  const key_families& families() const { return families_; }

private:
  static constexpr int32_t not_here = -1;
  key_families families_;
  uint32_t max_parallelism_;
  std::vector<int32_t> user_shard_;      // by key group: local shard, or not_here
  std::vector<int32_t> category_shard_;  // the same for every other scope
  size_t shards_ = 0;
};

}  // namespace rtfeat
