// Compiles a validated catalogue into a feature_plan (features, and the hash
// templates that carry `_ts`) and builds shard states.
#include "runtime/features/feature_plan.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "config/freshness.hpp"
#include "runtime/features/distinct_users.hpp"
#include "runtime/features/first_hour_funnel.hpp"
#include "runtime/features/hash_freshness.hpp"
#include "runtime/features/item_ranks.hpp"
#include "runtime/features/last_k.hpp"
#include "runtime/features/purchase_intervals.hpp"
#include "runtime/features/user_tiers.hpp"
#include "runtime/features/windowed_stats.hpp"

namespace rtfeat {

namespace {

key_template compile(const std::string& text) {
  key_template t;
  std::string err;
  if (!text.empty()) parse_key_template(text, t, err);  // validated at catalogue load
  return t;
}

feature_scope scope_of(const feature_def& f) {
  if (!f.tier_within.empty()) return feature_scope::all;
  switch (f.entity) {
    case entity_kind::user: return feature_scope::user;
    case entity_kind::item:
      return f.aggregation == aggregation_kind::percentile_rank ? feature_scope::category : feature_scope::item;
    case entity_kind::category: return feature_scope::category;
    case entity_kind::campaign_region: return feature_scope::campaign_region;
  }
  return feature_scope::user;
}

feature_scope scope_of_entity(entity_kind e) {
  switch (e) {
    case entity_kind::user: return feature_scope::user;
    case entity_kind::item: return feature_scope::item;
    case entity_kind::category: return feature_scope::category;
    case entity_kind::campaign_region: return feature_scope::campaign_region;
  }
  return feature_scope::user;
}

/// The hash key templates `f` writes: a hash output's key, its deciles' and its
/// tier's (both always hashes).
std::vector<std::string> hash_keys_of(const feature_def& f) {
  std::vector<std::string> out;
  if (f.output.type == "hash") out.push_back(f.output.key);
  if (f.aggregation == aggregation_kind::percentile_rank) out.push_back(f.deciles.key);
  if (!f.tier_within.empty()) out.push_back(f.tier.key);
  return out;
}

/// docs/semantics.md "Freshness": `text`'s owners are the features of its
/// entity's scope that write it; no entity or no owner, no `_ts`.
std::optional<compiled_freshness> freshness_of(const feature_plan& plan, const std::string& text, int64_t ttl_s) {
  compiled_freshness fr{"_ts:" + text, compile(text), feature_scope::user, {}, ttl_s, 0};
  auto entity = entity_of_template(fr.key);
  if (!entity) return std::nullopt;
  fr.scope = scope_of_entity(*entity);
  bool every_flush = false;
  for (size_t i = 0; i < plan.features.size(); ++i) {
    const auto& c = plan.features[i];
    auto keys = hash_keys_of(c.def);
    if (c.scope != fr.scope || std::find(keys.begin(), keys.end(), text) == keys.end()) continue;
    every_flush |= c.def.emit_interval_ms == 0;
    fr.emit_interval_ms = fr.owners.empty() ? c.def.emit_interval_ms : std::min(fr.emit_interval_ms, c.def.emit_interval_ms);
    fr.owners.push_back(i);
  }
  if (fr.owners.empty()) return std::nullopt;
  if (every_flush) fr.emit_interval_ms = 0;
  return fr;
}

uint32_t mask_of(const feature_def& f) {
  // A funnel's first-seen time looks at every behaviour, whatever the filter.
  if (f.behaviors.empty() || f.aggregation == aggregation_kind::funnel) return 0x3f;
  uint32_t m = 0;
  for (auto b : f.behaviors) m |= 1U << b;
  return m;
}

}  // namespace

feature_plan build_feature_plan(const feature_catalogue& catalogue) {
  feature_plan plan;
  std::map<std::string, int64_t> ttl_of_key;
  for (const auto& f : catalogue.features) {
    auto bump = [&](const output_def& o) { ttl_of_key[o.key] = std::max(ttl_of_key[o.key], o.ttl_s); };
    bump(f.output);
    if (!f.deciles.key.empty()) bump(f.deciles);
    if (!f.tier.key.empty()) bump(f.tier);
  }
  for (const auto& f : catalogue.features) {
    compiled_feature c;
    c.def = f;
    c.scope = scope_of(f);
    c.behaviors = mask_of(f);
    c.window = {f.window.size_ms, f.window.slide_ms};
    c.key = event_template(compile(f.output.key));
    c.field = event_template(compile(f.output.field));
    c.member = event_template(compile(f.output.member));
    c.deciles_key = compile(f.deciles.key);
    c.deciles_field = compile(f.deciles.field);
    c.tier_key = event_template(compile(f.tier.key));
    c.key_ttl_s = ttl_of_key[f.output.key];
    c.deciles_ttl_s = f.deciles.key.empty() ? 0 : ttl_of_key[f.deciles.key];
    c.tier_ttl_s = f.tier.key.empty() ? 0 : ttl_of_key[f.tier.key];
    plan.max_lateness_ms = std::max(plan.max_lateness_ms, f.window.lateness_ms);
    plan.scope_behaviors[static_cast<size_t>(c.scope)] |= c.behaviors;
    plan.features.push_back(std::move(c));
  }
  std::set<std::string> seen;
  for (const auto& f : catalogue.features)
    for (const auto& text : hash_keys_of(f))
      if (seen.insert(text).second)
        if (auto fr = freshness_of(plan, text, ttl_of_key[text])) plan.freshness.push_back(std::move(*fr));
  return plan;
}

int64_t emit_interval_of(const feature_plan& plan, std::string_view name) {
  for (const auto& f : plan.features)
    if (f.def.name == name) return f.def.emit_interval_ms;
  for (const auto& fr : plan.freshness)
    if (fr.name == name) return fr.emit_interval_ms;
  return 0;
}

std::vector<std::unique_ptr<feature_state>> make_feature_states(const feature_plan& plan,
                                                                bool user_shard,
                                                                std::vector<feature_scope>& scopes,
                                                                std::vector<std::string>* names,
                                                                scope_interners* interners) {
  std::vector<std::unique_ptr<feature_state>> out;
  scopes.clear();
  if (names != nullptr) names->clear();
  for (const auto& f : plan.features) {
    if ((f.scope == feature_scope::user) != user_shard) continue;
    using a = aggregation_kind;
    auto* ids = interners == nullptr ? nullptr : &interners->of(f.scope);
    switch (f.def.aggregation) {
      case a::percentile_rank: out.push_back(std::make_unique<item_ranks>(f, ids)); break;
      case a::last_k: out.push_back(std::make_unique<last_k>(f, ids)); break;
      case a::intervals: out.push_back(std::make_unique<purchase_intervals>(f, ids)); break;
      case a::funnel: out.push_back(std::make_unique<first_hour_funnel>(f, ids)); break;
      case a::distinct: out.push_back(std::make_unique<distinct_users>(f, ids)); break;
      default:
        if (!f.def.tier_within.empty()) out.push_back(std::make_unique<user_tiers>(f, ids));
        else out.push_back(std::make_unique<windowed_stats>(f, ids));
    }
    scopes.push_back(f.scope);
    if (names != nullptr) names->push_back(f.def.name);
  }
  for (const auto& fr : plan.freshness) {
    if ((fr.scope == feature_scope::user) != user_shard) continue;
    out.push_back(std::make_unique<hash_freshness>(plan, fr, interners == nullptr ? nullptr : &interners->of(fr.scope)));
    scopes.push_back(fr.scope);
    if (names != nullptr) names->push_back(fr.name);
  }
  return out;
}

}  // namespace rtfeat
