// Who owns which key group: readers use it to send each event to the shard
// that owns its user's (or its category's) key group.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "caf/actor.hpp"
#include "runtime/murmur2.hpp"

namespace rtfeat {

struct shard_table {
  std::vector<caf::actor> shards;
  std::vector<uint32_t> shard_of_group;  // key group -> index into shards

  /// Contiguous key-group ranges, as even as possible (SPEC §5).
  void assign(std::vector<caf::actor> actors, uint32_t max_parallelism) {
    shards = std::move(actors);
    shard_of_group.resize(max_parallelism);
    auto n = static_cast<uint64_t>(shards.size());
    for (uint32_t g = 0; g < max_parallelism; ++g)
      shard_of_group[g] = static_cast<uint32_t>(g * n / max_parallelism);
  }
  uint32_t index_of(std::string_view key) const {
    return shard_of_group[key_group_of(key, static_cast<uint32_t>(shard_of_group.size()))];
  }
};

struct routing {
  shard_table users;   // user scope
  shard_table categories;  // every other scope (category, item, all, campaign_region)
};

}  // namespace rtfeat
