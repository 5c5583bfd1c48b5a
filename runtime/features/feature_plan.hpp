// The catalogue compiled for the engine: per feature its scope (which shard
// owns its state), behaviour mask, window and parsed templates, so the hot path
// never looks at TOML structures.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "runtime/event.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/features/template_vars.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

struct compiled_feature {
  feature_def def;
  feature_scope scope = feature_scope::user;
  uint32_t behaviors = 0;  // events this feature looks at (bit mask of behavior_bit)
  sliding_spec window;     // sliding/tumbling; first_after_seen: size only
  event_template key, field, member, tier_key;  // rendered from events
  key_template deciles_key, deciles_field;      // rendered from a category and k
  int64_t key_ttl_s = 0;   // largest TTL of all features writing this key template
  int64_t deciles_ttl_s = 0;
  int64_t tier_ttl_s = 0;
};

/// A hash key template that carries `_ts` (docs/semantics.md "Freshness"): the
/// features of its entity's scope that write it (its owners) feed one
/// hash_freshness state in the shards that own those entities.
struct compiled_freshness {
  std::string name;  // the state's name in snapshots: "_ts:" + the template
  key_template key;
  feature_scope scope = feature_scope::user;  // the template's entity: its owners' scope
  std::vector<size_t> owners;                 // positions in feature_plan::features
  int64_t ttl_s = 0;                          // the key's largest TTL (every feature writing it)
  int64_t emit_interval_ms = 0;               // the owners' shortest emit; 0 when one has none
};

struct feature_plan {
  std::vector<compiled_feature> features;
  std::vector<compiled_freshness> freshness;  // the hash templates with owners
  int64_t max_lateness_ms = 0;
  std::array<uint32_t, feature_scope_count> scope_behaviors{};  // routing filter per scope
};

/// REQUIRES: `catalogue` passed load_feature_catalogue's validation.
feature_plan build_feature_plan(const feature_catalogue& catalogue);

/// True when `f` counts an event read at `wm_at_read` with `ts` (per-feature lateness).
inline bool on_time_for(const compiled_feature& f, int64_t ts, int64_t wm_at_read) {
  return wm_at_read == no_watermark || ts >= wm_at_read - f.def.window.lateness_ms;
}

/// How often the state named `name` (a feature's, or a freshness's `_ts:...`)
/// reaches Redis: its `emit` in ms, 0 for every flush (and for unknown names).
int64_t emit_interval_of(const feature_plan& plan, std::string_view name);

/// The state objects of one shard: user-scope features for a user shard, the
/// others for a category shard; then the freshness of the hash templates those
/// shards own.
/// `scopes` and `names` receive each state's feature scope and name. States
/// intern their entities in `interners` (the shard's, which must outlive
/// them), or each in its own when null.
std::vector<std::unique_ptr<feature_state>> make_feature_states(const feature_plan& plan,
                                                                bool user_shard,
                                                                std::vector<feature_scope>& scopes,
                                                                std::vector<std::string>* names = nullptr,
                                                                scope_interners* interners = nullptr);

}  // namespace rtfeat
