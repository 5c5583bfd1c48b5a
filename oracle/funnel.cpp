// The oracle's funnel (SPEC §3 #7): per key, walk the kept events of the
// first_after_seen window in (ts, log order) with a step pointer; the field
// holds the number of steps reached and is absent when none was.

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

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
  // F itself is found by feature_events, ignoring the filter.
  for (const auto& [sl, idx] : sequences_by_slot(s)) {
    if (size_t reached = steps_reached(f, s.events(), idx); reached > 0)
      put_field(out, sl.first, sl.second, std::to_string(reached), f.output.ttl_s);
  }
}

}  // namespace rtfeat::oracle
