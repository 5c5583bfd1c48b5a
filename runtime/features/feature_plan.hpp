// The catalogue compiled for the engine: per feature its scope (which shard
// owns its state), behaviour mask, window and parsed templates, so the hot path
// never looks at TOML structures.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "runtime/event.hpp"
#include "runtime/features/feature_state.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

struct compiled_feature {
  feature_def def;
  feature_scope scope = feature_scope::user;
  uint32_t behaviors = 0;  // events this feature looks at (bit mask of behavior_bit)
  sliding_spec window;     // sliding/tumbling; first_after_seen: size only
  key_template key, field, member, deciles_key, deciles_field, tier_key;
  int64_t key_ttl_s = 0;   // largest TTL of all features writing this key template
  int64_t deciles_ttl_s = 0;
  int64_t tier_ttl_s = 0;
};

struct feature_plan {
  std::vector<compiled_feature> features;
  int64_t max_lateness_ms = 0;
  std::array<uint32_t, feature_scope_count> scope_behaviors{};  // routing filter per scope
};

/// REQUIRES: `catalogue` passed load_feature_catalogue's validation.
feature_plan build_feature_plan(const feature_catalogue& catalogue);

/// True when `f` counts an event read at `wm_at_read` with `ts` (per-feature lateness).
inline bool on_time_for(const compiled_feature& f, int64_t ts, int64_t wm_at_read) {
  return wm_at_read == no_watermark || ts >= wm_at_read - f.def.window.lateness_ms;
}

/// The state objects of one shard: user-scope features for a user shard, the
/// others for a group shard.
/// `scopes` and `names` receive each state's feature scope and name.
std::vector<std::unique_ptr<feature_state>> make_feature_states(const feature_plan& plan,
                                                                bool user_shard,
                                                                std::vector<feature_scope>& scopes,
                                                                std::vector<std::string>* names = nullptr);

}  // namespace rtfeat
