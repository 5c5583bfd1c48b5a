// The oracle's count, sum, avg, min and max: one accumulator per rendered
// (key, field) over the window, exact integers of 1/10 000 for prices and
// amounts, and the decile tier within "all" (SPEC §3 #6) when configured.
#include <algorithm>
#include <map>
#include <optional>

#include "oracle/decimal_text.hpp"
#include "oracle/feature_values.hpp"
#include "oracle/numeric_value.hpp"

namespace rtfeat::oracle {

namespace {

using slot = numeric_slot;
using accumulator = numeric_accumulator;
using accumulators = numeric_accumulators;

std::string text_of(const feature_def& f, const accumulator& a) {
  switch (f.aggregation) {
    case aggregation_kind::count:
      return std::to_string(a.count);
    case aggregation_kind::sum:
      return numeric_text(f, a.sum);
    case aggregation_kind::avg:
      return ratio_text(a.sum, exact_int{a.count} * 10000);
    case aggregation_kind::min:
      return units_text(a.min.value_or(0));
    default:
      return units_text(a.max.value_or(0));
  }
}

void put_numeric(const feature_def& f, const slot& s, std::string text, expected_state& out) {
  if (f.output.type == "string")
    put_value(out, s.first, string_value{std::move(text)}, f.output.ttl_s);
  else
    put_field(out, s.first, s.second, std::move(text), f.output.ttl_s);
}

// Tier within "all": among the slots with sum > 0 (n), 1 + floor(10 * less / n).
// Only those slots are written, the value and the tier alike.
void put_tiers(const feature_def& f, const accumulators& accs, expected_state& out) {
  std::vector<exact_int> sums;
  for (const auto& [s, a] : accs)
    if (a.sum > 0) sums.push_back(a.sum);
  std::sort(sums.begin(), sums.end());
  auto n = static_cast<int64_t>(sums.size());
  auto key_t = compile_template(f.tier.key);
  auto field_t = compile_template(f.tier.field);
  std::string key;
  std::string field;
  for (const auto& [s, a] : accs) {
    if (a.sum <= 0) continue;
    put_numeric(f, s, text_of(f, a), out);
    int64_t less = std::lower_bound(sums.begin(), sums.end(), a.sum) - sums.begin();
    const kept_event& last = *a.last;  // a lambda cannot capture a structured binding (clang 14)
    auto vars = [&last](const std::string& name) { return event_var(last, name); };
    if (render(key_t, vars, key) && render(field_t, vars, field))
      put_field(out, key, field, std::to_string(1 + 10 * less / n), f.tier.ttl_s);
  }
}

}  // namespace

void eval_numeric(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  if (f.trend_previous_ms > 0) return eval_trend(s, out);
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  accumulators accs;
  slot at;
  for (const auto& ev : s.events()) {
    if (!s.counts(ev)) continue;
    auto vars = [&ev](const std::string& name) { return event_var(ev, name); };
    if (!render(key_t, vars, at.first) || !render(field_t, vars, at.second)) continue;
    accs[at].add(f, ev);
  }
  write_numeric(f, accs, out);
}

void write_numeric(const feature_def& f, const numeric_accumulators& accs, expected_state& out) {
  if (!f.tier_within.empty()) return put_tiers(f, accs, out);
  for (const auto& [slot_of, a] : accs) put_numeric(f, slot_of, text_of(f, a), out);
}

}  // namespace rtfeat::oracle
