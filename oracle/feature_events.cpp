// feature_events: docs/semantics.md "kept" and window kinds as plain tests on one
// event. What an event must carry is read once from the feature's templates;
// first_after_seen's F per entity is one pass over the log that ignores the filter.
#include "oracle/feature_events.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "oracle/expected_state.hpp"

namespace rtfeat::oracle {

key_template compile_template(const std::string& text) {
  key_template t;
  std::string error;
  if (text.empty()) return t;  // no field (string, list, ... outputs): renders ""
  if (!parse_key_template(text, t, error)) {
    std::fprintf(stderr, "oracle: invalid template '%s' after validation: %s\n", text.c_str(),
                 error.c_str());
    std::abort();
  }
  return t;
}

std::optional<std::string> event_var(const kept_event& ev, std::string_view name) {
  if (name == "user_id") return ev.user_id;
  if (name == "item_id" && !ev.item_id.empty()) return ev.item_id;
  if (name == "category_id" && ev.has_category) return std::to_string(ev.category_id);
  if (name == "region" && !ev.region.empty()) return ev.region;
  if (name == "campaign_id" && !ev.campaign_id.empty()) return ev.campaign_id;
  if (name == "behavior") return std::string(to_string(ev.kind));
  return std::nullopt;
}

namespace {

// Every template of `f` whose variables an event must carry (empty ones skipped).
std::vector<std::string> templates_of(const feature_def& f) {
  std::vector<std::string> out{f.output.key, f.output.field, f.output.member};
  if (f.aggregation == aggregation_kind::percentile_rank) out.push_back(f.deciles.key);
  if (!f.tier_within.empty()) {
    out.push_back(f.tier.key);
    out.push_back(f.tier.field);
  }
  return out;
}

}  // namespace

feature_events::feature_events(const feature_def& f, const std::vector<kept_event>& events, int64_t w)
    : f_(f), events_(events) {
  std::vector<std::string> names{f.group_by, f.value};
  for (const auto& text : templates_of(f))
    if (!text.empty())
      for (auto& v : compile_template(text).variables()) names.push_back(std::move(v));
  // An event without its entity's id belongs to no entity.
  if (f.entity == entity_kind::item) names.emplace_back("item_id");
  if (f.entity == entity_kind::category) names.emplace_back("category_id");
  if (f.entity == entity_kind::campaign_region)
    names.insert(names.end(), {"campaign_id", "region"});
  auto has = [&](std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  needs_item_ = has("item_id");
  needs_category_ = has("category_id");
  needs_region_ = has("region");
  needs_campaign_ = has("campaign_id");
  needs_price_ = has("price");
  needs_amount_ = has("amount");
  if (f.window.kind == window_kind::sliding || f.window.kind == window_kind::tumbling)
    tail_ = window_tail(w, f.window.size_ms, f.window.slide_ms);
  if (f.window.kind != window_kind::first_after_seen) return;
  for (const auto& ev : events) {
    if (!is_seen(ev)) continue;  // F ignores the behaviour filter
    auto [it, fresh] = first_seen_.try_emplace(entity_of(ev), ev.ts);
    if (!fresh) it->second = std::min(it->second, ev.ts);
  }
}

bool feature_events::passes_filter(const kept_event& ev) const {
  if (f_.behaviors.empty()) return true;
  auto kind = static_cast<uint8_t>(ev.kind);
  return std::find(f_.behaviors.begin(), f_.behaviors.end(), kind) != f_.behaviors.end();
}

bool feature_events::is_seen(const kept_event& ev) const {
  // Late for this feature (only possible when its lateness is below L).
  if (ev.wm_at_read && ev.ts < *ev.wm_at_read - f_.window.lateness_ms) return false;
  return (!needs_item_ || !ev.item_id.empty()) && (!needs_category_ || ev.has_category)
         && (!needs_region_ || !ev.region.empty()) && (!needs_campaign_ || !ev.campaign_id.empty())
         && (!needs_price_ || ev.has_price) && (!needs_amount_ || ev.has_amount);
}

std::string feature_events::entity_of(const kept_event& ev) const {
  switch (f_.entity) {
    case entity_kind::user:
      return ev.user_id;
    case entity_kind::item:
      return ev.item_id;
    case entity_kind::category:
      return std::to_string(ev.category_id);
    case entity_kind::campaign_region:
      return ev.campaign_id + '\x1f' + ev.region;
  }
  return {};
}

bool feature_events::in_window(const kept_event& ev) const {
  switch (f_.window.kind) {
    case window_kind::sliding:
    case window_kind::tumbling:
      return ev.ts >= tail_;
    case window_kind::unbounded:
      return true;
    case window_kind::first_after_seen: {
      auto it = first_seen_.find(entity_of(ev));
      return it != first_seen_.end() && ev.ts >= it->second
             && ev.ts < it->second + f_.window.size_ms;
    }
  }
  return false;
}

std::map<event_slot, std::vector<size_t>> sequences_by_slot(const feature_events& s,
                                                            std::string_view blank_var) {
  const auto& f = s.def();
  const auto& events = s.events();
  auto key_t = compile_template(f.output.key);
  auto field_t = compile_template(f.output.field);
  std::map<event_slot, std::vector<size_t>> by_slot;
  event_slot at;
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& ev = events[i];
    if (!s.counts(ev)) continue;
    auto vars = [&ev, blank_var](const std::string& n) -> std::optional<std::string> {
      if (!blank_var.empty() && n == blank_var) return std::string{};
      return event_var(ev, n);
    };
    if (render(key_t, vars, at.first) && render(field_t, vars, at.second)) by_slot[at].push_back(i);
  }
  // Log order already breaks ties, so a stable sort by ts is (ts, log order).
  for (auto& [sl, idx] : by_slot)
    std::stable_sort(idx.begin(), idx.end(),
                     [&events](size_t a, size_t b) { return events[a].ts < events[b].ts; });
  return by_slot;
}

}  // namespace rtfeat::oracle
