// Shard snapshot bodies (see shard_state_codec.hpp):
//   "rtfeat.shard.2", watermark, seq, n, then n x (state name, state section).
// Version 2 added the `_ts` freshness states ("_ts:<template>"); a version 1
// body lacks them and is refused, not restored with every `_ts` short.
#include "runtime/checkpoint/shard_state_codec.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {
constexpr std::string_view body_tag = "rtfeat.shard.2";
constexpr std::string_view body_tag_before_freshness = "rtfeat.shard.1";
}  // namespace

bool check_shard_body_format(std::string_view body, std::string& error) {
  state_reader r(body);
  auto tag = r.str_view();
  if (r.ok() && tag == body_tag) return true;
  if (r.ok() && tag == body_tag_before_freshness)
    return error = "shard body format 1, written before the _ts freshness state: restoring it would leave the "
                   "_ts of every hash short of the events before the checkpoint. Replay the log from its "
                   "beginning (no --restore, or an empty checkpoint.dir), or restore with the build that "
                   "wrote it",
           false;
  return error = "not a shard snapshot body", false;
}

// Each key group's body is written in place: feature by feature, a nested
// section per key group that the feature's save() appends to directly (one
// copy of the state, not three).
std::vector<std::pair<uint32_t, std::string>> encode_shard_state(const std::vector<named_state>& states,
                                                                 const std::vector<uint32_t>& key_groups,
                                                                 uint32_t max_parallelism, int64_t watermark,
                                                                 uint64_t seq, const std::vector<size_t>& size_hints) {
  std::vector<state_writer> bodies(max_parallelism);
  std::vector<size_t> marks(max_parallelism, 0);
  for (auto kg : key_groups) {
    if (kg < size_hints.size()) bodies[kg].reserve(size_hints[kg] + size_hints[kg] / 8);  // room to grow
    bodies[kg].str(body_tag).i64(watermark).u64(seq).u64(states.size());
  }
  state_writer foreign;  // an entity of a key group this shard does not own: a bug, kept out of the bodies
  for (const auto& s : states) {
    for (auto kg : key_groups) marks[kg] = bodies[kg].str(s.name).begin_nested();
    s.state->save([&](const std::string& key) -> state_writer& {
      auto kg = key_group_of(key, max_parallelism);
      return marks[kg] != 0 ? bodies[kg] : foreign;
    });
    for (auto kg : key_groups) bodies[kg].end_nested(marks[kg]);
  }
  if (!foreign.empty()) {  // a broken invariant: a bug, not an error to handle
    std::fputs("rtfeat: bug: a shard holds state of a key group it does not own\n", stderr);
    std::abort();
  }
  std::vector<std::pair<uint32_t, std::string>> out;
  out.reserve(key_groups.size());
  for (auto kg : key_groups) out.emplace_back(kg, bodies[kg].take());
  return out;
}

bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error) {
  if (!check_shard_body_format(body, error)) return false;
  state_reader r(body);
  r.str_view();
  watermark = std::max(watermark, r.i64());
  seq = std::max(seq, r.u64());
  for (auto n = r.u64(); r.ok() && n > 0; --n) {
    auto name = r.str();
    auto section = r.str_view();
    auto it = std::find_if(states.begin(), states.end(), [&](const named_state& s) { return s.name == name; });
    if (it == states.end()) {
      if (std::find(dropped.begin(), dropped.end(), name) == dropped.end()) dropped.push_back(name);
      continue;
    }
    state_reader part(section);
    if (!it->state->load(part)) return error = "feature '" + name + "': corrupt state", false;
  }
  if (!r.ok() || !r.at_end()) return error = "truncated or trailing bytes in shard snapshot body", false;
  return true;
}

}  // namespace rtfeat
