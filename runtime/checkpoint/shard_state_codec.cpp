// Shard snapshot bodies (see shard_state_codec.hpp):
//   "rtfeat.shard.3", watermark, seq, n, then n x (state name, entities, state section).
// Version 3 added the entity counts, so that a restore sizes each state's
// tables before it loads them; a version 2 body (no counts) restores the same
// state, only slower. Version 2 added the `_ts` freshness states
// ("_ts:<template>"); a version 1 body lacks them and is refused, not restored
// with every `_ts` short.
#include "runtime/checkpoint/shard_state_codec.hpp"

#include <algorithm>

namespace rtfeat {

namespace {
constexpr std::string_view body_tag = "rtfeat.shard.3";
constexpr std::string_view body_tag_without_counts = "rtfeat.shard.2";
constexpr std::string_view body_tag_before_freshness = "rtfeat.shard.1";

/// The format of `body` (2 or 3), 0 with why when it is refused.
int body_format(std::string_view body, std::string& error) {
  state_reader r(body);
  auto tag = r.str_view();
  if (r.ok() && tag == body_tag) return 3;
  if (r.ok() && tag == body_tag_without_counts) return 2;
  if (r.ok() && tag == body_tag_before_freshness)
    return error = "shard body format 1, written before the _ts freshness state: restoring it would leave the "
                   "_ts of every hash short of the events before the checkpoint. Replay the log from its "
                   "beginning (no --restore, or an empty checkpoint.dir), or restore with the build that "
                   "wrote it",
           0;
  return error = "not a shard snapshot body", 0;
}

/// Ends the interners' shortcut of one body (entity_interner::start_section) however its decode ends.
struct sections_of_one_body {
  const std::vector<named_state>& states;
  ~sections_of_one_body() {
    for (const auto& s : states) s.state->ids().end_sections();
  }
};

std::vector<named_state>::const_iterator find_state(const std::vector<named_state>& states, std::string_view name) {
  return std::find_if(states.begin(), states.end(), [&](const named_state& s) { return s.name == name; });
}
}  // namespace

bool check_shard_body_format(std::string_view body, std::string& error) { return body_format(body, error) != 0; }

void write_body_header(state_writer& w, int64_t watermark, uint64_t seq, size_t states) {
  w.str(body_tag).i64(watermark).u64(seq).u64(states);
}

void write_section_head(state_writer& w, std::string_view name, size_t entities) { w.str(name).u64(entities); }

void reserve_shard_state(const std::vector<std::string_view>& bodies, const std::vector<named_state>& states) {
  std::vector<size_t> entities(states.size(), 0);
  std::string ignored;
  for (auto body : bodies) {
    if (body_format(body, ignored) != 3) continue;
    state_reader r(body);
    r.str_view(), r.i64(), r.u64();
    for (auto n = r.u64(); r.ok() && n > 0; --n) {
      auto it = find_state(states, r.str_view());
      auto count = r.u64();
      auto section = r.str_view();
      // An entity takes a byte at least: a larger count is corrupt, and must not reserve gigabytes.
      if (r.ok() && it != states.end()) entities[it - states.begin()] += std::min<size_t>(count, section.size());
    }
  }
  for (size_t i = 0; i < states.size(); ++i)
    if (entities[i] > 0) states[i].state->reserve(entities[i]);
}

bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error) {
  auto format = body_format(body, error);
  if (format == 0) return false;
  state_reader r(body);
  r.str_view();
  watermark = std::max(watermark, r.i64());
  seq = std::max(seq, r.u64());
  sections_of_one_body sections{states};
  for (auto n = r.u64(); r.ok() && n > 0; --n) {
    auto name = r.str();
    if (format >= 3) r.u64();  // the entities: reserve_shard_state's
    auto section = r.str_view();
    auto it = find_state(states, name);
    if (it == states.end()) {
      if (std::find(dropped.begin(), dropped.end(), name) == dropped.end()) dropped.push_back(name);
      continue;
    }
    state_reader part(section);
    it->state->ids().start_section();
    if (!it->state->load(part)) return error = "feature '" + name + "': corrupt state", false;
  }
  if (!r.ok() || !r.at_end()) return error = "truncated or trailing bytes in shard snapshot body", false;
  return true;
}

}  // namespace rtfeat
