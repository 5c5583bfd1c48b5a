// The oracle's last_k (SPEC §3 #2 and #10): per key, the k newest kept events
// of the window. A list holds their value newest first (ties on ts: later in
// the log first); a sorted set holds members scored by their newest ts.
#include <algorithm>
#include <map>
#include <utility>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

void put_lists(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  const auto& events = s.events();
  auto key_t = compile_template(f.output.key);
  std::map<std::string, std::vector<size_t>> by_key;  // key -> log indexes
  std::string key;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& ev = events[i];
    if (!s.counts(ev)) continue;
    if (render(
          key_t, [&ev](const std::string& n) { return event_var(ev, n); }, key))
      by_key[key].push_back(i);
  }
  auto newer = [&events](size_t a, size_t b) {
    return events[a].ts != events[b].ts ? events[a].ts > events[b].ts : a > b;
  };
  for (auto& [k, idx] : by_key) {
    std::sort(idx.begin(), idx.end(), newer);
    list_value list;
    for (size_t j = 0; j < idx.size() && std::cmp_less(j, f.k); ++j)
      list.items.push_back(event_var(events[idx[j]], f.value).value_or(""));
    put_value(out, k, std::move(list), f.output.ttl_s);
  }
}

void put_zsets(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  auto key_t = compile_template(f.output.key);
  auto member_t = compile_template(f.output.member);
  std::map<std::string, std::map<std::string, int64_t>> by_key;  // key -> member -> max ts
  std::string key;
  std::string member;
  for (const auto& ev : s.events()) {
    if (!s.counts(ev)) continue;
    auto vars = [&ev](const std::string& n) { return event_var(ev, n); };
    if (!render(key_t, vars, key) || !render(member_t, vars, member)) continue;
    auto [it, fresh] = by_key[key].try_emplace(member, ev.ts);
    if (!fresh) it->second = std::max(it->second, ev.ts);
  }
  for (const auto& [k, scores] : by_key) {
    std::vector<std::pair<int64_t, std::string>> ranked;  // (score, member)
    for (const auto& [m, ts] : scores) ranked.emplace_back(ts, m);
    // Largest score first; among equal scores the smaller member string first.
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    zset_value z;
    for (size_t j = 0; j < ranked.size() && std::cmp_less(j, f.k); ++j)
      z.scores.emplace(ranked[j].second, ranked[j].first);
    put_value(out, k, std::move(z), f.output.ttl_s);
  }
}

}  // namespace

void eval_last_k(const feature_events& s, expected_state& out) {
  if (s.def().output.type == "zset")
    put_zsets(s, out);
  else
    put_lists(s, out);
}

}  // namespace rtfeat::oracle
