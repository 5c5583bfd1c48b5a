// Shard snapshot bodies (see shard_state_codec.hpp):
//   "rtfeat.shard.2", watermark, seq, n, then n x (state name, state section).
// Version 2 added the `_ts` freshness states ("_ts:<template>"); a version 1
// body lacks them and is refused, not restored with every `_ts` short.
#include "runtime/checkpoint/shard_state_codec.hpp"

#include <algorithm>

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

void write_body_header(state_writer& w, int64_t watermark, uint64_t seq, size_t states) {
  w.str(body_tag).i64(watermark).u64(seq).u64(states);
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
