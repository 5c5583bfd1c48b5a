// The oracle's intervals (SPEC §3 #3): per key, the kept purchases sorted by
// (ts, log order); purchase_gap_j is the j-th newest gap in seconds with exactly
// four decimals, for j = 1..min(k, m - 1). Gaps with no pair are absent.
#include <algorithm>
#include <map>
#include <utility>

#include "oracle/decimal_text.hpp"
#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

// (key, field rendered with n = ""): events sharing it form one sequence.
using slot = std::pair<std::string, std::string>;

}  // namespace

void eval_intervals(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  const auto& events = s.events();
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  std::map<slot, std::vector<size_t>> by_slot;  // log indexes, in log order
  slot at;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& ev = events[i];
    if (!s.counts(ev)) continue;
    auto vars = [&ev](const std::string& n) -> std::optional<std::string> {
      return n == "n" ? std::string{} : event_var(ev, n);
    };
    if (render(key_t, vars, at.first) && render(field_t, vars, at.second)) by_slot[at].push_back(i);
  }
  std::string field;
  for (auto& [sl, idx] : by_slot) {
    // Log order already breaks ties, so a stable sort by ts is (ts, log order).
    std::stable_sort(idx.begin(), idx.end(),
                     [&events](size_t a, size_t b) { return events[a].ts < events[b].ts; });
    const size_t m = idx.size();
    for (size_t j = 1; j < m && std::cmp_less_equal(j, f.k); ++j) {
      int64_t gap = events[idx[m - j]].ts - events[idx[m - j - 1]].ts;
      const auto& ev = events[idx[m - 1]];
      auto vars = [&ev, j](const std::string& n) -> std::optional<std::string> {
        return n == "n" ? std::to_string(j) : event_var(ev, n);
      };
      if (render(field_t, vars, field))
        put_field(out, sl.first, field, ms_as_seconds_text(gap), f.output.ttl_s);
    }
  }
}

}  // namespace rtfeat::oracle
