// The oracle's histogram (SPEC §3 #5, §4a Feature 5): count the events in the
// window per rendered key and band [lo, hi) of the raw value. Only counts > 0
// are produced, since a field whose window emptied is deleted.
#include <map>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

// Index of the band [lo, hi) holding v, or -1 when v is in no band.
int band_of(const std::vector<band_def>& bands, double v) {
  for (size_t i = 0; i < bands.size(); ++i)
    if (v >= bands[i].lo && v < bands[i].hi) return static_cast<int>(i);
  return -1;
}

// The histogram's value of a kept event: the raw double, compared with the
// edges as configured (not rounded to 1/10 000).
double value_of(const feature_def& f, const kept_event& ev) {
  return f.value == "amount" ? ev.amount : ev.price;
}

}  // namespace

void eval_histogram(const feature_events& s, expected_state& out) {
  const auto& f = s.def();
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  std::map<std::string, std::map<std::string, int64_t>> counts;
  std::string key;
  std::string field;
  for (const auto& ev : s.events()) {
    if (!s.counts(ev)) continue;  // kept implies the event has the value
    int band = band_of(f.bands, value_of(f, ev));
    if (band < 0) continue;
    auto vars = [&](const std::string& name) -> std::optional<std::string> {
      if (name == "band") return f.bands[static_cast<size_t>(band)].label;
      return event_var(ev, name);
    };
    if (!render(key_t, vars, key) || !render(field_t, vars, field)) continue;
    ++counts[key][field];
  }
  for (const auto& [k, fields] : counts)
    for (const auto& [fl, n] : fields) put_field(out, k, fl, std::to_string(n), f.output.ttl_s);
}

}  // namespace rtfeat::oracle
