// Internal to the oracle: one evaluator per supported aggregation, and the small
// template helpers they share. Each evaluator walks all kept events once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "oracle/expected_state.hpp"

namespace rtfeat::oracle {

/// Parses a template the catalogue loader already validated; aborts if it is not
/// valid (a broken invariant, not an input error).
key_template compile_template(const std::string& text);

/// Value of template variable `name` for `ev`: user_id, item_id, category_id;
/// nullopt when the event does not carry it (no item, no category) or it is unknown.
std::optional<std::string> event_var(const kept_event& ev, std::string_view name);

/// Renders `t` into `out` with `lookup(name) -> std::optional<std::string>`;
/// false when some variable has no value.
template <class Lookup>
bool render(const key_template& t, Lookup&& lookup, std::string& out) {
  out.clear();
  bool complete = true;
  t.render(out, [&](const std::string& name) {
    auto v = lookup(name);
    if (!v) complete = false;
    return v.value_or(std::string{});
  });
  return complete;
}

/// Sets key/field = value in `out` and records the key's TTL when ttl_s > 0.
void put_field(expected_state& out, const std::string& key, const std::string& field,
               std::string value, int64_t ttl_s);

/// count (SPEC §3 #1): number of counted events per rendered (key, field).
void eval_count(const feature_def& f, const std::vector<kept_event>& events, int64_t tail,
                expected_state& out);

/// histogram (SPEC §3 #5): counted events with a value, per band [lo, hi).
void eval_histogram(const feature_def& f, const std::vector<kept_event>& events, int64_t tail,
                    expected_state& out);

/// percentile_rank (SPEC §3 #4, §4a Feature 4): item counts, ranks and group deciles.
void eval_percentile_rank(const feature_def& f, const std::vector<kept_event>& events, int64_t tail,
                          expected_state& out);

}  // namespace rtfeat::oracle
