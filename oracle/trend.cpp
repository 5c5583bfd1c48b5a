// The oracle's trend (SPEC §3 #11, docs/semantics.md): per key, `cur` over the
// sliding window [tail, +inf) and `prev` over [tail - previous, tail); both
// fields exist iff cur + prev > 0, trend = r * (cur + 1) / (prev + r).
#include <map>

#include "oracle/decimal_text.hpp"
#include "oracle/feature_values.hpp"
#include "oracle/numeric_value.hpp"

namespace rtfeat::oracle {

void eval_trend(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  const int64_t tail = s.tail();
  const int64_t start = tail - f.trend_previous_ms;
  std::map<numeric_slot, trend_spans> by_slot;
  numeric_slot at;
  for (const auto& ev : s.events()) {
    if (ev.ts < start || !s.is_kept(ev)) continue;
    auto vars = [&ev](const std::string& name) { return event_var(ev, name); };
    if (!render(key_t, vars, at.first) || !render(field_t, vars, at.second)) continue;
    auto& sp = by_slot[at];
    (ev.ts >= tail ? sp.cur : sp.prev) += contribution(f, ev);
  }
  write_trend(f, by_slot, out);
}

void write_trend(const feature_def& f, const std::map<numeric_slot, trend_spans>& by_slot,
                 expected_state& out) {
  // r = previous / size; "+ 1" is one unit of the value: 1, or 10 000 for decimals.
  const exact_int r = f.trend_previous_ms / f.window.size_ms;
  const exact_int one = is_decimal(f) && f.aggregation == aggregation_kind::sum ? 10000 : 1;
  for (const auto& [sl, sp] : by_slot) {
    if (sp.cur + sp.prev <= 0) continue;
    put_field(out, sl.first, sl.second, numeric_text(f, sp.cur), f.output.ttl_s);
    put_field(out, sl.first, f.trend_field, ratio_text(r * (sp.cur + one), sp.prev + r * one),
              f.output.ttl_s);
  }
}

}  // namespace rtfeat::oracle
