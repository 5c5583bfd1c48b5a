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

/// Starts a body: the format tag, `watermark`, `seq`, then the count of the
/// sections that follow, each the state's name and a nested stream of what its
/// save() put for the body's key group (runtime/checkpoint/snapshot_bodies.cpp).
void write_body_header(state_writer& w, int64_t watermark, uint64_t seq, size_t states);

/// False, saying why, unless `body` is a shard body of this build's format (an
/// older format is refused with what to do instead). Cheap: reads the tag only.
bool check_shard_body_format(std::string_view body, std::string& error);

/// Loads one body into `states`. Features of the body missing from `states` are
/// appended to `dropped`. `watermark`/`seq` become the max of theirs and the body's.
bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error);

}  // namespace rtfeat
