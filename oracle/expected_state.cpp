// compute_expected_state: read the log, then evaluate each feature at the final
// watermark. Also the helpers every evaluator shares (window tail, the
// "is this event counted" test, template variables, merging fields into keys).
#include "oracle/expected_state.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

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

bool is_counted(const feature_def& f, const kept_event& ev, int64_t tail) {
  auto kind = static_cast<uint8_t>(ev.kind);
  if (!f.behaviors.empty()
      && std::find(f.behaviors.begin(), f.behaviors.end(), kind) == f.behaviors.end())
    return false;
  // Late for this feature (only possible when its lateness is below L).
  if (ev.wm_at_read && ev.ts < *ev.wm_at_read - f.window.lateness_ms) return false;
  return ev.ts >= tail;
}

key_template compile_template(const std::string& text) {
  key_template t;
  std::string error;
  if (!parse_key_template(text, t, error)) {
    std::fprintf(stderr, "oracle: invalid template '%s' after validation: %s\n", text.c_str(),
                 error.c_str());
    std::abort();
  }
  return t;
}

std::optional<std::string> event_var(const kept_event& ev, std::string_view name) {
  if (name == "user_id") return ev.user_id;
  if (name == "item_id" && !ev.item_id.empty()) return ev.item_id;
  if (name == "category_id" && ev.has_category) return std::to_string(ev.category_id);
  return std::nullopt;
}

void put_field(expected_state& out, const std::string& key, const std::string& field,
               std::string value, int64_t ttl_s) {
  out.keys[key][field] = std::move(value);
  if (ttl_s > 0) {
    auto& t = out.ttl_s[key];
    t = std::max(t, ttl_s);
  }
}

void evaluate_features(const feature_catalogue& cat, const std::vector<kept_event>& events,
                       int64_t w, expected_state& out) {
  for (const auto& f : cat.features) {
    int64_t tail = window_tail(w, f.window.size_ms, f.window.slide_ms);
    switch (f.aggregation) {
      case aggregation_kind::count:
        eval_count(f, events, tail, out);
        break;
      case aggregation_kind::histogram:
        eval_histogram(f, events, tail, out);
        break;
      case aggregation_kind::percentile_rank:
        eval_percentile_rank(f, events, tail, out);
        break;
      default:
        // load_feature_catalogue rejects every other aggregation in this build.
        std::fprintf(stderr, "oracle: aggregation '%s' is not supported\n",
                     std::string(to_string(f.aggregation)).c_str());
        std::abort();
    }
  }
}

bool compute_expected_state(const job_config& cfg, const feature_catalogue& cat,
                            const std::string& events_path, int64_t now_ms,
                            const std::function<void(uint64_t)>& progress, expected_state& out,
                            std::string& error) {
  out = expected_state{};
  event_log_options opts;
  opts.partitions = static_cast<int32_t>(cfg.source_partitions);
  opts.out_of_orderness_ms = cfg.out_of_orderness_ms;
  opts.max_lateness_ms = max_lateness_ms(cat);
  opts.now_ms = now_ms;
  opts.progress = progress;
  std::vector<kept_event> kept;
  if (!read_event_log(events_path, opts, kept, out.stats, error)) return false;
  // No partition with data: no watermark, so nothing is written.
  if (out.stats.final_watermark) evaluate_features(cat, kept, *out.stats.final_watermark, out);
  return true;
}

}  // namespace rtfeat::oracle
