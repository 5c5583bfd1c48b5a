// The oracle's count (SPEC §3 #1) and histogram (SPEC §3 #5) evaluators: count
// the events in the window per rendered Redis key and field. Only counts > 0
// are produced, since a field whose window emptied is deleted (SPEC §3).
#include <map>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

using counts_by_key = std::map<std::string, std::map<std::string, int64_t>>;

void put_counts(const counts_by_key& counts, int64_t ttl_s, expected_state& out) {
  for (const auto& [key, fields] : counts)
    for (const auto& [field, n] : fields) put_field(out, key, field, std::to_string(n), ttl_s);
}

// Index of the band [lo, hi) holding v, or -1 when v is in no band.
int band_of(const std::vector<band_def>& bands, double v) {
  for (size_t i = 0; i < bands.size(); ++i)
    if (v >= bands[i].lo && v < bands[i].hi) return static_cast<int>(i);
  return -1;
}

// The histogram's value of `ev` ("price" or "amount"), if the event has one.
std::optional<double> value_of(const feature_def& f, const kept_event& ev) {
  if (f.value == "price" && ev.has_price) return ev.price;
  if (f.value == "amount" && ev.has_amount) return ev.amount;
  return std::nullopt;
}

// group_by = category_id needs a category even if the templates do not name it.
bool has_group(const feature_def& f, const kept_event& ev) {
  return f.group_by != "category_id" || ev.has_category;
}

}  // namespace

void eval_count(const feature_def& f, const std::vector<kept_event>& events, int64_t tail,
                expected_state& out) {
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  counts_by_key counts;
  std::string key;
  std::string field;
  for (const auto& ev : events) {
    if (!is_counted(f, ev, tail) || !has_group(f, ev)) continue;
    auto vars = [&ev](const std::string& name) { return event_var(ev, name); };
    if (!render(key_t, vars, key) || !render(field_t, vars, field)) continue;
    ++counts[key][field];
  }
  put_counts(counts, f.output.ttl_s, out);
}

void eval_histogram(const feature_def& f, const std::vector<kept_event>& events, int64_t tail,
                    expected_state& out) {
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  counts_by_key counts;
  std::string key;
  std::string field;
  for (const auto& ev : events) {
    if (!is_counted(f, ev, tail) || !has_group(f, ev)) continue;
    auto v = value_of(f, ev);
    if (!v) continue;
    int band = band_of(f.bands, *v);
    if (band < 0) continue;
    auto vars = [&](const std::string& name) -> std::optional<std::string> {
      if (name == "band") return f.bands[static_cast<size_t>(band)].label;
      return event_var(ev, name);
    };
    if (!render(key_t, vars, key) || !render(field_t, vars, field)) continue;
    ++counts[key][field];
  }
  put_counts(counts, f.output.ttl_s, out);
}

}  // namespace rtfeat::oracle
