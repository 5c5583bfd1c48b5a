// The expected `_ts` of every hash (docs/semantics.md "Freshness"), from the
// definition: per hash key template, its owners (the features of the template's
// entity scope that write it), and per rendered key the newest ts of an event an
// owner keeps, over the whole log. Nothing here knows the engine's states.
#include <algorithm>
#include <map>
#include <set>

#include "config/freshness.hpp"
#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

namespace {

/// Where the engine keeps a feature's state (SPEC §5's shards): a tier ranks
/// among all users, a percentile rank among the items of a category.
enum class shard_scope : uint8_t { user, item, category, campaign_region, all };

shard_scope shard_scope_of(const feature_def& f) {
  if (!f.tier_within.empty()) return shard_scope::all;
  if (f.aggregation == aggregation_kind::percentile_rank) return shard_scope::category;
  switch (f.entity) {
    case entity_kind::user: return shard_scope::user;
    case entity_kind::item: return shard_scope::item;
    case entity_kind::category: return shard_scope::category;
    case entity_kind::campaign_region: return shard_scope::campaign_region;
  }
  return shard_scope::all;
}

shard_scope scope_of_entity(entity_kind e) {
  switch (e) {
    case entity_kind::user: return shard_scope::user;
    case entity_kind::item: return shard_scope::item;
    case entity_kind::category: return shard_scope::category;
    case entity_kind::campaign_region: return shard_scope::campaign_region;
  }
  return shard_scope::all;
}

/// The hash key templates `f` writes: a hash output's key, the deciles' key, the tier's key.
std::vector<std::string> hash_templates(const feature_def& f) {
  std::vector<std::string> out;
  if (f.output.type == "hash") out.push_back(f.output.key);
  if (f.aggregation == aggregation_kind::percentile_rank) out.push_back(f.deciles.key);
  if (!f.tier_within.empty()) out.push_back(f.tier.key);
  return out;
}

bool writes_hash(const feature_def& f, const std::string& tmpl) {
  auto all = hash_templates(f);
  return std::find(all.begin(), all.end(), tmpl) != all.end();
}

/// A key's TTL: the largest of every feature writing its template, owner or not.
int64_t key_ttl_s(const feature_catalogue& cat, const std::string& tmpl) {
  int64_t ttl = 0;
  for (const auto& f : cat.features) {
    if (f.output.key == tmpl) ttl = std::max(ttl, f.output.ttl_s);
    if (f.aggregation == aggregation_kind::percentile_rank && f.deciles.key == tmpl) ttl = std::max(ttl, f.deciles.ttl_s);
    if (!f.tier_within.empty() && f.tier.key == tmpl) ttl = std::max(ttl, f.tier.ttl_s);
  }
  return ttl;
}

/// Rendered key -> newest ts of an event an owner of `tmpl` keeps.
std::map<std::string, int64_t> newest_by_key(const feature_catalogue& cat, const std::vector<kept_event>& events,
                                             int64_t w, const std::string& tmpl, entity_kind entity) {
  auto t = compile_template(tmpl);
  std::map<std::string, int64_t> newest;
  std::string key;
  for (const auto& owner : cat.features) {
    if (shard_scope_of(owner) != scope_of_entity(entity) || !writes_hash(owner, tmpl)) continue;
    feature_events s(owner, events, w);
    for (const auto& ev : events) {
      if (!s.is_kept(ev) || !render(t, [&](std::string_view name) { return event_var(ev, name); }, key)) continue;
      auto [it, fresh] = newest.try_emplace(key, ev.ts);
      if (!fresh) it->second = std::max(it->second, ev.ts);
    }
  }
  return newest;
}

}  // namespace

void eval_freshness(const feature_catalogue& cat, const std::vector<kept_event>& events, int64_t w,
                    expected_state& out) {
  std::set<std::string> seen;
  for (const auto& f : cat.features) {
    for (const auto& tmpl : hash_templates(f)) {
      if (!seen.insert(tmpl).second) continue;
      auto entity = entity_of_template(compile_template(tmpl));
      if (!entity) continue;  // names no entity: no owner, no `_ts`
      auto ttl = key_ttl_s(cat, tmpl);
      for (const auto& [key, ts] : newest_by_key(cat, events, w, tmpl, *entity))
        put_field(out, key, std::string(freshness_field), std::to_string(ts), ttl);
    }
  }
}

}  // namespace rtfeat::oracle
