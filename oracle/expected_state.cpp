// compute_expected_state: read the log, then evaluate each feature at the final
// watermark into its own state and merge the states (a key may hold fields of
// several features), then every hash's `_ts`. Also the window tail every
// sliding evaluator shares.
#include "oracle/expected_state.hpp"

#include <algorithm>

#include "oracle/feature_values.hpp"

namespace rtfeat::oracle {

int64_t window_tail(int64_t w, int64_t size_ms, int64_t slide_ms) {
  int64_t a = w + 1 - size_ms;
  int64_t q = a / slide_ms;
  if (a % slide_ms != 0 && (a < 0) != (slide_ms < 0)) --q;  // C++ truncates; we want floor
  return q * slide_ms;
}

int64_t max_lateness_ms(const feature_catalogue& cat) {
  int64_t l = 0;
  for (const auto& f : cat.features) l = std::max(l, f.window.lateness_ms);
  return l;
}

bool check_oracle_support(const feature_catalogue& cat, std::string& error) {
  for (const auto& f : cat.features) {
    std::string why;
    if (!f.tier_within.empty() && !f.group_by.empty()) why = "a tier with group_by";
    if (f.trend_previous_ms > 0 && f.output.type != "hash") why = "a trend without a hash output";
    if (!why.empty())
      return error = "feature '" + f.name + "' (line " + std::to_string(f.line) + "): " + why
                     + " has no meaning in docs/semantics.md",
             false;
  }
  return true;
}

namespace {

void evaluate_one(const feature_events& s, expected_state& out) {
  switch (s.def().aggregation) {
    case aggregation_kind::count:
    case aggregation_kind::sum:
    case aggregation_kind::avg:
    case aggregation_kind::min:
    case aggregation_kind::max:
      return eval_numeric(s, out);
    case aggregation_kind::histogram:
      return eval_histogram(s, out);
    case aggregation_kind::percentile_rank:
      return eval_percentile_rank(s, out);
    case aggregation_kind::last_k:
      return eval_last_k(s, out);
    case aggregation_kind::distinct:
      return eval_distinct(s, out);
    case aggregation_kind::funnel:
      return eval_funnel(s, out);
    case aggregation_kind::intervals:
      return eval_intervals(s, out);
  }
}

}  // namespace

void evaluate_feature(const feature_def& f, const std::vector<kept_event>& events, int64_t w,
                      expected_state& out) {
  evaluate_one(feature_events(f, events, w), out);
}

bool evaluate_features(const feature_catalogue& cat, const std::vector<kept_event>& events,
                       int64_t w, expected_state& out, std::string& error) {
  if (!check_oracle_support(cat, error)) return false;
  for (const auto& f : cat.features) {
    expected_state part;
    evaluate_feature(f, events, w, part);
    merge_part(out, part, f.name);
    if (!out.conflict.empty()) return error = out.conflict, false;
  }
  expected_state freshness;
  eval_freshness(cat, events, w, freshness);
  merge_part(out, freshness, "_ts freshness");
  if (!out.conflict.empty()) return error = out.conflict, false;
  return true;
}

bool compute_expected_state(const job_config& cfg, const feature_catalogue& cat,
                            const std::string& events_path, int64_t now_ms,
                            const std::function<void(uint64_t)>& progress, expected_state& out,
                            std::string& error) {
  out = expected_state{};
  if (!check_oracle_support(cat, error)) return false;
  event_log_options opts;
  opts.partitions = static_cast<int32_t>(cfg.source_partitions);
  opts.out_of_orderness_ms = cfg.out_of_orderness_ms;
  opts.max_future_skew_ms = cfg.max_future_skew_ms;
  opts.max_lateness_ms = max_lateness_ms(cat);
  opts.now_ms = now_ms;
  opts.progress = progress;
  std::vector<kept_event> kept;
  if (!read_event_log(events_path, opts, kept, out.stats, error)) return false;
  // No partition with data: no watermark, so nothing is written.
  if (!out.stats.final_watermark) return true;
  return evaluate_features(cat, kept, *out.stats.final_watermark, out, error);
}

}  // namespace rtfeat::oracle
