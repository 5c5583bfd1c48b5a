// The additive sliding features kept as sums per slide bucket, so that a value
// at any tail is a sum over at most (size + previous) / slide buckets instead of
// a pass over the window's events: how point_in_time answers labels of hot
// items and categories fast. Only the summing is new; what an event adds, which
// (key, field) it goes to and how values are written are the oracle's own
// (numeric_value.hpp, feature_values.hpp), and a test holds the result equal to
// the plain evaluators at every cut of a log.
#pragma once

#include <cstdint>
#include <map>

#include "config/feature_catalogue.hpp"
#include "config/key_template.hpp"
#include "oracle/expected_state.hpp"
#include "oracle/feature_values.hpp"
#include "oracle/numeric_value.hpp"

namespace rtfeat::oracle {

class bucket_sums {
public:
  /// Sliding or tumbling count, sum, avg, min, max (no tier; a trend's previous
  /// span a whole number of slides) and percentile_rank.
  static bool applies(const feature_def& f);

  /// REQUIRES: applies(f); `f` outlives this.
  explicit bucket_sums(const feature_def& f);

  /// Adds an event the feature keeps (feature_events::is_kept).
  void add(const kept_event& ev);

  /// Forgets the buckets that end at or before `ts`.
  void drop_before(int64_t ts);

  /// The feature's writes at window tail `tail`, as evaluate_feature's; for a
  /// percentile_rank with `only_item`, that item's key alone.
  void evaluate(int64_t tail, expected_state& out, const std::string* only_item = nullptr) const;

  /// percentile_rank: adds each (category, item) count of the window at `tail` to `into`.
  void window_pairs(int64_t tail, std::map<category_item, int64_t>& into) const;

private:
  int64_t bucket_of(int64_t ts) const;

  const feature_def& f_;
  key_template key_t_, field_t_;
  std::map<numeric_slot, std::map<int64_t, numeric_accumulator>> slots_;  // numeric, trend
  std::map<category_item, std::map<int64_t, int64_t>> pairs_;             // percentile_rank
  int64_t dropped_before_ = INT64_MIN;  // drop_before's last bound: nothing older is left
};

}  // namespace rtfeat::oracle
