// What a shard asks Redis to hold for one key after a flush: absolute values
// only (SPEC §3: never increments), so a replay after recovery is harmless.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace rtfeat {

enum class redis_type : uint8_t { hash, zset, list, string, hyperloglog };

// Every member has an initialiser, so a designated initialiser names only what it sets
// (-Wmissing-field-initializers would flag the rest).
struct key_update {
  std::string key{};
  std::vector<std::pair<std::string, std::string>> set{};  // hash: field, value; zset: member, score
  std::vector<std::string> del{};                          // hash fields / zset members to remove
  int64_t ttl_s = 0;                                     // 0 = no TTL
  redis_type type = redis_type::hash;
  /// list: the whole list, head first; string: values[0]; hyperloglog: members.
  /// An empty list/string value deletes the key.
  std::vector<std::string> values{};
  /// hyperloglog: `values` is the whole member set; zset/hash: `set` is the
  /// whole content. Either way the key is deleted first (in MULTI/EXEC).
  bool replace = false;
  /// hyperloglog: when set, Redis's own HLL bytes (hll_sketch::redis_dense) that
  /// replace the key (SET) before `values` are added: a rewrite without members.
  std::string registers{};
};

/// The update that deletes `key`, a key of Redis type `type` (command_plan
/// writes DEL): an empty list or string, an empty whole hash, zset or HLL. A
/// later update of the same key coalesced into it keeps the delete's meaning.
key_update delete_of(std::string key, redis_type type);

}  // namespace rtfeat
