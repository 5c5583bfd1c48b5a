// Shard snapshot bodies (see shard_state_codec.hpp):
//   "rtfeat.shard.1", watermark, seq, n, then n x (feature name, feature section).
#include "runtime/checkpoint/shard_state_codec.hpp"

#include <algorithm>
#include <map>

#include "runtime/murmur2.hpp"

namespace rtfeat {

namespace {
constexpr std::string_view body_tag = "rtfeat.shard.1";
}  // namespace

std::vector<std::pair<uint32_t, std::string>> encode_shard_state(const std::vector<named_state>& states,
                                                                 const std::vector<uint32_t>& key_groups,
                                                                 uint32_t max_parallelism, int64_t watermark,
                                                                 uint64_t seq) {
  std::vector<std::map<uint32_t, state_writer>> sections(states.size());
  for (size_t i = 0; i < states.size(); ++i)
    states[i].state->save([&](const std::string& key) -> state_writer& {
      return sections[i][key_group_of(key, max_parallelism)];
    });
  std::vector<std::pair<uint32_t, std::string>> out;
  for (auto kg : key_groups) {
    state_writer w;
    w.str(body_tag).i64(watermark).u64(seq).u64(states.size());
    for (size_t i = 0; i < states.size(); ++i) {
      auto it = sections[i].find(kg);
      w.str(states[i].name).str(it == sections[i].end() ? std::string_view{} : it->second.bytes());
    }
    out.emplace_back(kg, std::string(w.bytes()));
  }
  return out;
}

bool decode_shard_state(std::string_view body, const std::vector<named_state>& states, int64_t& watermark,
                        uint64_t& seq, std::vector<std::string>& dropped, std::string& error) {
  state_reader r(body);
  if (r.str() != body_tag || !r.ok()) return error = "not a shard snapshot body", false;
  watermark = std::max(watermark, r.i64());
  seq = std::max(seq, r.u64());
  for (auto n = r.u64(); r.ok() && n > 0; --n) {
    auto name = r.str();
    auto section = r.str();
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
