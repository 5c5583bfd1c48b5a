// The oracle's answer to "what must Redis contain?" (SPEC §4 determinism
// contract): read the events file, then evaluate every feature of the catalogue
// at the final watermark with plain loops. Independent of the engine's windows.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "oracle/event_log.hpp"

namespace rtfeat::oracle {

using field_map = std::map<std::string, std::string>;  // hash field -> value
using key_map = std::map<std::string, field_map>;      // Redis key -> its hash

struct expected_state {
  key_map keys;                          // only keys with at least one field
  std::map<std::string, int64_t> ttl_s;  // keys written by a feature with a TTL: largest TTL
  event_log_stats stats;
};

/// Tail of a sliding window at watermark w: floor((w + 1 - size) / slide) * slide,
/// with true (towards -inf) division. The window is [tail, +inf).
/// REQUIRES: slide_ms > 0.
int64_t window_tail(int64_t w, int64_t size_ms, int64_t slide_ms);

/// The largest window lateness over the catalogue (L of SPEC §4a).
int64_t max_lateness_ms(const feature_catalogue& cat);

/// True when `ev` counts for `f` in the window [tail, +inf): behaviour filter,
/// the feature's own lateness against the event's wm_at_read, and ts >= tail.
bool is_counted(const feature_def& f, const kept_event& ev, int64_t tail);

/// Reads `events_path` and computes the expected Redis state at the final watermark.
/// `now_ms` is the parser's "now"; `progress(lines)` may be empty.
/// Returns false only when the events file cannot be read.
bool compute_expected_state(const job_config& cfg, const feature_catalogue& cat,
                            const std::string& events_path, int64_t now_ms,
                            const std::function<void(uint64_t)>& progress, expected_state& out,
                            std::string& error);

/// Evaluates the catalogue on already-kept events at watermark w, into `out`.
/// Fields of several features that share a key are merged.
void evaluate_features(const feature_catalogue& cat, const std::vector<kept_event>& events,
                       int64_t w, expected_state& out);

}  // namespace rtfeat::oracle
