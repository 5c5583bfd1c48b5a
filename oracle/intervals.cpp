// The oracle's intervals (SPEC §3 #3): per key, the kept purchases sorted by
// (ts, log order); purchase_gap_j is the j-th newest gap in seconds with exactly
// four decimals, for j = 1..min(k, m - 1). Gaps with no pair are absent.
#include <utility>

#include "oracle/decimal_text.hpp"
#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

void eval_intervals(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  const auto& events = s.events();
  auto field_t = compile_template(f.output.field);
  std::string field;
  for (const auto& [sl, idx] : sequences_by_slot(s, "n")) {
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
