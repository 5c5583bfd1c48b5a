// Compiles a validated catalogue into a feature_plan.
#include "runtime/features/feature_plan.hpp"

#include <algorithm>

namespace rtfeat {

namespace {

key_template must_parse(const std::string& text) {
  key_template t;
  std::string err;
  parse_key_template(text, t, err);  // validated at catalogue load
  return t;
}

uint32_t mask_of(const feature_def& f) {
  if (f.behaviors.empty()) return 0x3f;
  uint32_t m = 0;
  for (auto b : f.behaviors) m |= 1U << b;
  return m;
}

size_t window_slot(feature_plan& plan, const window_def& w) {
  for (size_t i = 0; i < plan.windows.size(); ++i)
    if (plan.windows[i].size_ms == w.size_ms && plan.windows[i].slide_ms == w.slide_ms) return i;
  plan.windows.push_back({w.size_ms, w.slide_ms});
  return plan.windows.size() - 1;
}

size_t user_key_slot(feature_plan& plan, std::vector<std::string>& texts, const output_def& o) {
  auto it = std::find(texts.begin(), texts.end(), o.key);
  if (it != texts.end()) {
    auto slot = static_cast<size_t>(it - texts.begin());
    plan.user_key_ttl_s[slot] = std::max(plan.user_key_ttl_s[slot], o.ttl_s);
    return slot;
  }
  texts.push_back(o.key);
  plan.user_keys.push_back(must_parse(o.key));
  plan.user_key_ttl_s.push_back(o.ttl_s);
  return texts.size() - 1;
}

}  // namespace

feature_plan build_feature_plan(const feature_catalogue& catalogue) {
  feature_plan plan;
  std::vector<std::string> key_texts;
  for (const auto& f : catalogue.features) {
    plan.max_lateness_ms = std::max(plan.max_lateness_ms, f.window.lateness_ms);
    if (f.aggregation == aggregation_kind::percentile_rank) {
      rank_rule r;
      r.behaviors = mask_of(f);
      r.item_key = must_parse(f.output.key);
      r.count_field = f.count_field;
      r.rank_field = f.rank_field;
      r.item_ttl_s = f.output.ttl_s;
      r.decile_key = must_parse(f.deciles.key);
      r.decile_field = must_parse(f.deciles.field);
      r.decile_ttl_s = f.deciles.ttl_s;
      r.window_slot = window_slot(plan, f.window);
      r.lateness_ms = f.window.lateness_ms;
      plan.item_behaviors |= r.behaviors;
      plan.rank_rules.push_back(std::move(r));
      continue;
    }
    user_field_rule u;
    u.behaviors = mask_of(f);
    u.by_band = f.aggregation == aggregation_kind::histogram;
    u.band_on_amount = f.value == "amount";
    u.bands = f.bands;
    u.field = must_parse(f.output.field);
    u.key_slot = user_key_slot(plan, key_texts, f.output);
    u.window_slot = window_slot(plan, f.window);
    u.lateness_ms = f.window.lateness_ms;
    plan.user_behaviors |= u.behaviors;
    plan.user_rules.push_back(std::move(u));
  }
  return plan;
}

}  // namespace rtfeat
