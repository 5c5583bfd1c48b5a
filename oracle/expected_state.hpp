// The oracle's answer to "what must Redis contain?" (SPEC §4 determinism
// contract): read the events file, then evaluate every feature of the catalogue
// at the final watermark with plain loops. Independent of the engine's windows.
// The answer is typed: each expected key is a hash, list, zset, string or HLL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "oracle/event_log.hpp"

namespace rtfeat::oracle {

/// A hash: field -> value, only present fields.
using field_map = std::map<std::string, std::string>;

/// A list as LRANGE 0 -1 returns it: index 0 = head = newest.
struct list_value {
  std::vector<std::string> items;
  bool operator==(const list_value&) const = default;
};

/// A sorted set: member -> score (integer ms).
struct zset_value {
  std::map<std::string, int64_t> scores;
  bool operator==(const zset_value&) const = default;
};

/// A plain string as GET returns it.
struct string_value {
  std::string text;
  bool operator==(const string_value&) const = default;
};

/// A HyperLogLog, given as the exact set of members PFADDed into it.
struct hll_value {
  std::set<std::string> members;
  bool operator==(const hll_value&) const = default;
};

/// One expected key; the alternative's index is its value_type.
using expected_value = std::variant<field_map, list_value, zset_value, string_value, hll_value>;

enum class value_type : uint8_t { hash, list, zset, string, hyperloglog };
inline constexpr size_t value_type_count = 5;

/// "hash", "list", "zset", "string", "hyperloglog".
std::string_view to_string(value_type t);
inline value_type type_of(const expected_value& v) { return static_cast<value_type>(v.index()); }

using key_map = std::map<std::string, expected_value>;  // Redis key -> its value

struct expected_state {
  key_map keys;                          // only keys that exist (a value with something in it)
  std::map<std::string, int64_t> ttl_s;  // keys written by a feature with a TTL: largest TTL
  event_log_stats stats;
  std::string conflict;  // first write that clashed with another (see evaluate_features)
  /// Hash fields SPEC §4a leaves undefined, not compared with Redis: the `clicks` and
  /// `click_pct` of an item ranked in several categories when the key has no category
  /// (docs/semantics.md "An item in several categories"). Key -> fields.
  std::map<std::string, std::set<std::string>> undefined_fields;
};

/// Tail of a sliding window at watermark w: floor((w + 1 - size) / slide) * slide,
/// with true (towards -inf) division. The window is [tail, +inf).
/// REQUIRES: slide_ms > 0.
int64_t window_tail(int64_t w, int64_t size_ms, int64_t slide_ms);

/// The largest window lateness over the catalogue (L of SPEC §4a).
int64_t max_lateness_ms(const feature_catalogue& cat);

/// False, with a message naming the feature, for the few combinations the loader
/// accepts but docs/semantics.md gives no meaning to (tier with group_by, trend
/// without a hash output).
bool check_oracle_support(const feature_catalogue& cat, std::string& error);

/// Reads `events_path` and computes the expected Redis state at the final watermark.
/// `now_ms` is the parser's "now"; `progress(lines)` may be empty.
/// Returns false when the events file cannot be read or the catalogue cannot be
/// evaluated (see check_oracle_support and evaluate_features).
bool compute_expected_state(const job_config& cfg, const feature_catalogue& cat,
                            const std::string& events_path, int64_t now_ms,
                            const std::function<void(uint64_t)>& progress, expected_state& out,
                            std::string& error);

/// Evaluates the catalogue on already-kept events at watermark w, into `out`,
/// then the `_ts` freshness field of every owned hash (docs/semantics.md).
/// Fields of several features that share a hash key are merged; two features
/// writing the same hash field, or the same key with another type (or twice a
/// non-hash key), are an error.
bool evaluate_features(const feature_catalogue& cat, const std::vector<kept_event>& events,
                       int64_t w, expected_state& out, std::string& error);

/// One feature on already-kept events at watermark w, into `out` (no `_ts`): the
/// building block of evaluate_features and of point-in-time values (point_in_time.hpp).
void evaluate_feature(const feature_def& f, const std::vector<kept_event>& events, int64_t w,
                      expected_state& out);

}  // namespace rtfeat::oracle
