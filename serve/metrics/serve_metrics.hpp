// What `rtfeat serve` counts, per event loop (each loop updates only its own
// counters; a scrape adds the loops up). Names and meanings: docs/serving.md
// "Metrics". Lock-free: relaxed atomics, read by whichever loop serves /metrics.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/metrics/atomic_histogram.hpp"
#include "serve/catalogue/served_catalogue.hpp"

namespace rtfeat::serve {

enum class route : uint8_t { users, items, categories, batch, predict, healthz, readyz, metrics, other };
inline constexpr size_t route_count = 9;
std::string_view to_string(route r);

/// The statuses serve answers with; anything else is counted as "other".
inline constexpr std::array<int, 10> counted_statuses{200, 400, 404, 405, 408, 413, 431, 500, 503, 0};

/// Latency buckets in microseconds: 50 us .. 5 s.
inline constexpr std::array<uint64_t, 16> latency_bounds_us{50,    100,   250,    500,    1000,   2000,
                                                            5000,  10000, 20000,  50000,  100000, 200000,
                                                            500000, 1000000, 2000000, 5000000};
/// Freshness (age of an entity's newest event) buckets in milliseconds: 10 ms .. 1 day.
inline constexpr std::array<uint64_t, 14> freshness_bounds_ms{10,     50,      100,     250,     500,
                                                              1000,   5000,    10000,   60000,   300000,
                                                              900000, 3600000, 21600000, 86400000};

struct loop_metrics {
  explicit loop_metrics(const served_catalogue& c);

  void count_request(route r, int status, uint64_t micros);

  std::array<std::array<std::atomic<uint64_t>, counted_statuses.size()>, route_count> requests{};
  std::vector<std::unique_ptr<atomic_histogram<latency_bounds_us.size()>>> latency;  // per route
  std::atomic<uint64_t> redis_round_trips{0};
  std::atomic<uint64_t> redis_errors{0};      // batches failed: connection down or lost
  std::atomic<uint64_t> redis_deadlines{0};   // batches answered 503 at the deadline
  atomic_histogram<latency_bounds_us.size()> redis_round_trip_us{latency_bounds_us};
  std::atomic<uint64_t> cluster_moved{0};    // Redis Cluster: MOVED followed
  std::atomic<uint64_t> cluster_ask{0};      // ASK followed
  std::atomic<uint64_t> cluster_retries{0};  // TRYAGAIN, CLUSTERDOWN, LOADING or a lost reply, sent again
  std::atomic<uint64_t> cache_hits{0};
  std::atomic<uint64_t> cache_misses{0};
  std::atomic<uint64_t> render_memo_hits{0};
  std::atomic<uint64_t> cache_invalidations{0};
  std::atomic<uint64_t> cache_flushes{0};
  std::atomic<int64_t> cache_entries{0};
  std::atomic<uint64_t> bad_values{0};
  /// Per entity type, per served feature: requested and absent.
  std::array<std::vector<std::atomic<uint64_t>>, entity_type_count> feature_requested;
  std::array<std::vector<std::atomic<uint64_t>>, entity_type_count> feature_absent;
  atomic_histogram<freshness_bounds_ms.size()> freshness_ms{freshness_bounds_ms};
  atomic_histogram<latency_bounds_us.size()> predict_us{latency_bounds_us};
  std::atomic<uint64_t> predict_candidates{0};
  std::atomic<uint64_t> predict_defaults{0};  // model inputs that were absent and took their default
  std::atomic<uint64_t> predict_inputs{0};
  std::vector<std::atomic<uint64_t>> predict_input_absent;  // per model input: took its default

  /// Sizes the per-input counters. REQUIRES: before the loop runs.
  void set_model_inputs(size_t n) { predict_input_absent = std::vector<std::atomic<uint64_t>>(n); }
};

/// Process-wide gauges that no loop owns.
struct process_metrics {
  std::atomic<int64_t> connections{0};
  std::atomic<uint64_t> connections_rejected{0};
  std::atomic<uint64_t> connections_timed_out{0};
  std::atomic<int> redis_up{0};  // loops whose Redis connection is up
  std::atomic<int> model_loaded{0};
};

/// The Prometheus text of every loop added up.
/// `model_inputs`: the names of the model's inputs, in order (empty: no model).
std::string serve_metrics_text(const served_catalogue& c, const std::vector<const loop_metrics*>& loops,
                               const process_metrics& p, const std::vector<std::string>& model_inputs);

}  // namespace rtfeat::serve
