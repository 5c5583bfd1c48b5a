// The feature catalogue (features.toml): what the engine computes and what the
// oracle recomputes. The schema covers SPEC §3's whole catalogue; this build
// computes the aggregations listed in `supported_aggregations`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/job_config.hpp"

namespace rtfeat {

enum class entity_kind : uint8_t { user, item, category, campaign_region };
enum class aggregation_kind : uint8_t {
  count, sum, avg, min, max, histogram, percentile_rank, last_k, distinct, funnel, intervals
};
enum class window_kind : uint8_t { sliding, tumbling, first_after_seen, unbounded };

struct window_def {
  window_kind kind = window_kind::sliding;
  int64_t size_ms = 0;       // sliding, tumbling (= slide), first_after_seen
  int64_t slide_ms = 0;      // sliding; tumbling: = size
  int64_t lateness_ms = 0;
  int64_t retention_ms = 0;  // unbounded: how long Redis keeps the value (TTL)
};

/// A histogram band [lo, hi); `label` is "lo-hi" with the edges as written in the TOML.
struct band_def {
  double lo = 0;
  double hi = 0;  // +inf for the last band when the last edge is inf
  std::string label;
};

/// Where a feature lands in Redis. Templates use ${var}; literal braces are hash tags.
struct output_def {
  std::string type = "hash";  // hash | list | zset | string | hyperloglog
  std::string key;     // e.g. "user:feature:{${user_id}}"
  std::string field;   // hash: e.g. "cat:${category_id}", "price:${band}", "p${k}", "purchase_gap_${n}"
  std::string member;  // zset: e.g. "${behavior}:${item_id}"
  int64_t ttl_s = 0;   // 0 = no TTL
};

struct feature_def {
  std::string name;
  int line = 0;  // in the TOML file, for messages
  entity_kind entity = entity_kind::user;
  std::vector<uint8_t> behaviors;  // rtfeat::behavior values; empty = every behaviour
  aggregation_kind aggregation = aggregation_kind::count;
  std::string group_by;            // "" or "category_id"
  std::string value;               // numeric field for histogram/sum/...: "price" | "amount"
  std::vector<band_def> bands;     // histogram
  std::string rank_within;         // percentile_rank: "category_id"
  std::string count_field = "clicks";
  std::string rank_field = "click_pct";
  int64_t k = 0;                   // last_k: events kept; intervals: gaps written
  std::vector<uint8_t> steps;      // funnel: behaviours in order
  std::vector<int64_t> weights;    // sum without value: weight per behaviour (6 entries)
  window_def window;
  output_def output;
  output_def deciles;              // percentile_rank: group decile edges, field "p${k}"
  std::string tier_within;         // "" or "all": decile tier of the value among all entities
  output_def tier;                 // where the tier goes (hash field)
  int64_t trend_previous_ms = 0;   // > 0: trend against the window before the current one
  std::string trend_field;
  /// > 0: the feature's changes go to Redis at most this often (and at every
  /// checkpoint and at the end), for features where one event rewrites many keys.
  int64_t emit_interval_ms = 0;
};

struct feature_catalogue {
  std::vector<feature_def> features;
  std::string path;
  uint64_t hash = 0;  // FNV-1a of the file bytes; checkpoints refuse a different one
};

/// Loads and validates `path`. Errors read "features.toml:12: unknown aggregation 'cout'".
bool load_feature_catalogue(const std::string& path, feature_catalogue& out, std::string& error);

std::string_view to_string(aggregation_kind a);
std::string_view to_string(entity_kind e);

}  // namespace rtfeat
