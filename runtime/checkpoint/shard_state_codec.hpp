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
/// sections that follow, each begun by write_section_head() and followed by a
/// nested stream of what its state's save() put for the body's key group
/// (runtime/checkpoint/snapshot_bodies.cpp).
void write_body_header(state_writer& w, int64_t watermark, uint64_t seq, size_t states);
/// Begins one state's section: its name and the entities the stream holds.
void write_section_head(state_writer& w, std::string_view name, size_t entities);

/// False, saying why, unless `body` is a shard body this build restores (the
/// current format, or format 2 without entity counts; older ones are refused
/// with what to do instead). Cheap: reads the tag only.
bool check_shard_body_format(std::string_view body, std::string& error);

/// Before decoding `bodies` (all a shard restores): lets each state reserve room
/// for the entities they hold, from their sections' counts, so that its tables
/// grow once. Bodies without counts (format 2) or that do not parse add nothing.
void reserve_shard_state(const std::vector<std::string_view>& bodies, const std::vector<named_state>& states);

/// Loads one body into `states`. Features of the body missing from `states` are
/// appended to `dropped`. `watermark`/`seq` become the max of theirs and the body's.
bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error);

}  // namespace rtfeat
