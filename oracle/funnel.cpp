// The oracle's funnel (SPEC §3 #7): per key, walk the kept events of the
// first_after_seen window in (ts, log order) with a step pointer; the field
// holds the number of steps reached and is absent when none was.
#include <algorithm>
#include <map>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

using slot = std::pair<std::string, std::string>;  // (key, field)

// Steps reached walking `idx` (log indexes sorted by (ts, log order)).
size_t steps_reached(const feature_def& f, const std::vector<kept_event>& events,
                     const std::vector<size_t>& idx) {
  size_t step = 0;
  for (size_t i : idx) {
    if (step == f.steps.size()) break;
    if (static_cast<uint8_t>(events[i].kind) == f.steps[step]) ++step;
  }
  return step;
}

}  // namespace

void eval_funnel(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  const auto& events = s.events();
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  std::map<slot, std::vector<size_t>> by_slot;  // log indexes, in log order
  slot at;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& ev = events[i];
    if (!s.counts(ev)) continue;  // F itself is found by feature_events, ignoring the filter
    auto vars = [&ev](const std::string& n) { return event_var(ev, n); };
    if (render(key_t, vars, at.first) && render(field_t, vars, at.second)) by_slot[at].push_back(i);
  }
  for (auto& [sl, idx] : by_slot) {
    std::stable_sort(idx.begin(), idx.end(),
                     [&events](size_t a, size_t b) { return events[a].ts < events[b].ts; });
    if (size_t reached = steps_reached(f, events, idx); reached > 0)
      put_field(out, sl.first, sl.second, std::to_string(reached), f.output.ttl_s);
  }
}

}  // namespace rtfeat::oracle
