// A shard's feature state <-> one snapshot body per key group. The body names
// each state (features by name, `_ts:<template>` for freshness), so a restore
// with a changed catalogue knows what it drops.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/features/feature_state.hpp"

namespace rtfeat {

struct named_state {
  std::string name;  // the feature's name in the catalogue
  feature_state* state = nullptr;
};

/// One body per key group in `key_groups` (empty groups too: restore reads every one).
/// `size_hints` (by key group; empty = none): the sizes of the last bodies, kept by the
/// caller, so that a body is allocated once instead of growing by copies.
std::vector<std::pair<uint32_t, std::string>> encode_shard_state(const std::vector<named_state>& states,
                                                                 const std::vector<uint32_t>& key_groups,
                                                                 uint32_t max_parallelism, int64_t watermark,
                                                                 uint64_t seq,
                                                                 const std::vector<size_t>& size_hints = {});

/// False, saying why, unless `body` is a shard body of this build's format (an
/// older format is refused with what to do instead). Cheap: reads the tag only.
bool check_shard_body_format(std::string_view body, std::string& error);

/// Loads one body into `states`. Features of the body missing from `states` are
/// appended to `dropped`. `watermark`/`seq` become the max of theirs and the body's.
bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error);

}  // namespace rtfeat
