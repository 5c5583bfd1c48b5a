// The oracle's distinct (SPEC §3 #8, #9): per key, the exact set of values
// (user_id) of the kept events in the window. Redis compares it as the
// registers of a HyperLogLog built from this set (see redis_diff.hpp).
#include <map>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

void eval_distinct(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  auto key_t = compile_template(f.output.key);
  std::map<std::string, hll_value> by_key;
  std::string key;
  for (const auto& ev : s.events()) {
    if (!s.counts(ev)) continue;
    auto member = event_var(ev, f.value);
    if (member
        && render(
          key_t, [&ev](const std::string& n) { return event_var(ev, n); }, key))
      by_key[key].members.insert(std::move(*member));
  }
  for (auto& [k, v] : by_key) put_value(out, k, std::move(v), f.output.ttl_s);
}

}  // namespace rtfeat::oracle
