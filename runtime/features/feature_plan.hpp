// The catalogue compiled for the engine: which events feed which Redis fields,
// with parsed templates and deduplicated windows, so the hot path never looks
// at TOML structures or strings of feature definitions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "runtime/event.hpp"
#include "runtime/window/sliding_window.hpp"

namespace rtfeat {

/// A user feature whose value is a count per field label (category or band).
struct user_field_rule {
  uint32_t behaviors = 0;       // bit mask of behavior_bit()
  bool by_band = false;         // false: label = category_id
  bool band_on_amount = false;  // histogram value: amount instead of price
  std::vector<band_def> bands;
  key_template field;
  size_t key_slot = 0;     // index into feature_plan::user_keys
  size_t window_slot = 0;  // index into feature_plan::windows
  int64_t lateness_ms = 0;
};

/// An item count ranked within its category (SPEC §3 #4).
struct rank_rule {
  uint32_t behaviors = 0;
  key_template item_key;
  std::string count_field;
  std::string rank_field;
  int64_t item_ttl_s = 0;
  key_template decile_key;
  key_template decile_field;
  int64_t decile_ttl_s = 0;
  size_t window_slot = 0;
  int64_t lateness_ms = 0;
};

struct feature_plan {
  std::vector<sliding_spec> windows;
  std::vector<key_template> user_keys;
  std::vector<int64_t> user_key_ttl_s;  // max TTL of the features writing the key
  std::vector<user_field_rule> user_rules;
  std::vector<rank_rule> rank_rules;
  int64_t max_lateness_ms = 0;
  uint32_t user_behaviors = 0;  // events any user rule wants (routing filter)
  uint32_t item_behaviors = 0;  // events any rank rule wants
};

/// REQUIRES: `catalogue` passed load_feature_catalogue's validation.
feature_plan build_feature_plan(const feature_catalogue& catalogue);

}  // namespace rtfeat
