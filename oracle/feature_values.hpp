// Internal to the oracle: one evaluator per aggregation family, and the writes
// they share. Each evaluator walks the kept events with plain loops and writes
// only values that exist (docs/semantics.md "Writes") into its own state.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "oracle/expected_state.hpp"
#include "oracle/feature_events.hpp"

namespace rtfeat::oracle {

/// Sets hash key/field = value and records the key's TTL when ttl_s > 0.
void put_field(expected_state& out, const std::string& key, const std::string& field,
               std::string value, int64_t ttl_s);

/// Sets a whole list/zset/string/HLL key and records its TTL when ttl_s > 0.
void put_value(expected_state& out, const std::string& key, expected_value value, int64_t ttl_s);

/// Moves one feature's state `part` into `into`, merging hash fields; the first
/// clash (same hash field, or same non-hash key, written twice) goes to into.conflict.
void merge_part(expected_state& into, expected_state& part, const std::string& feature);

/// count, sum, avg, min, max (optionally group_by, weights, tier, trend).
void eval_numeric(const feature_events& s, expected_state& out);

/// histogram (SPEC §3 #5): counted events with a value, per band [lo, hi).
void eval_histogram(const feature_events& s, expected_state& out);

/// percentile_rank (SPEC §3 #4, §4a Feature 4): item counts, ranks and group deciles.
void eval_percentile_rank(const feature_events& s, expected_state& out);

using category_item = std::pair<int64_t, std::string>;  // (category_id, item_id)

/// percentile_rank's writes from each (category, item) pair's count in the window
/// (pairs with a count > 0 only). With `only_item`, just that item's key (no deciles).
void write_percentile_rank(const feature_def& f, const std::map<category_item, int64_t>& pairs,
                           expected_state& out, const std::string* only_item = nullptr);

/// last_k (SPEC §3 #2 list, #10 sorted set).
void eval_last_k(const feature_events& s, expected_state& out);

/// intervals (SPEC §3 #3): gaps between the newest purchases, in seconds.
void eval_intervals(const feature_events& s, expected_state& out);

/// funnel (SPEC §3 #7): ordered steps reached in the first_after_seen window.
void eval_funnel(const feature_events& s, expected_state& out);

/// distinct (SPEC §3 #8, #9): the exact member set of each HyperLogLog.
void eval_distinct(const feature_events& s, expected_state& out);

/// The `_ts` field of every owned hash (docs/semantics.md "Freshness"): the newest
/// ts of an event one of its template's owners keeps, over the whole log.
void eval_freshness(const feature_catalogue& cat, const std::vector<kept_event>& events, int64_t w,
                    expected_state& out);

}  // namespace rtfeat::oracle
