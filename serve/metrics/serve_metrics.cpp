// Serve metrics and their Prometheus text (see serve_metrics.hpp).
#include "serve/metrics/serve_metrics.hpp"

#include "runtime/metrics/exposition.hpp"
#include "runtime/metrics/prometheus_text.hpp"

namespace rtfeat::serve {

std::string_view to_string(route r) {
  static constexpr std::array<std::string_view, route_count> names{
    "users", "items", "categories", "batch", "predict", "healthz", "readyz", "metrics", "other"};
  return names[static_cast<size_t>(r)];
}

loop_metrics::loop_metrics(const served_catalogue& c) {
  for (size_t r = 0; r < route_count; ++r)
    latency.push_back(std::make_unique<atomic_histogram<latency_bounds_us.size()>>(latency_bounds_us));
  for (size_t e = 0; e < entity_type_count; ++e) {
    feature_requested[e] = std::vector<std::atomic<uint64_t>>(c.entities[e].features.size());
    feature_absent[e] = std::vector<std::atomic<uint64_t>>(c.entities[e].features.size());
  }
}

void loop_metrics::count_request(route r, int status, uint64_t micros) {
  size_t s = counted_statuses.size() - 1;  // "other"
  for (size_t i = 0; i + 1 < counted_statuses.size(); ++i)
    if (counted_statuses[i] == status) s = i;
  requests[static_cast<size_t>(r)][s].fetch_add(1, std::memory_order_relaxed);
  latency[static_cast<size_t>(r)]->observe(micros);
}

namespace {

template <class Get>
uint64_t total(const std::vector<const loop_metrics*>& loops, Get&& get) {
  uint64_t n = 0;
  for (const auto* l : loops) n += get(*l).load(std::memory_order_relaxed);
  return n;
}

template <size_t N, class Get>
void merged_histogram(exposition& x, std::string_view name, std::string_view labels,
                      const std::vector<const loop_metrics*>& loops, const std::array<uint64_t, N>& bounds,
                      double unit, Get&& get) {
  atomic_histogram<N> sum(bounds);
  for (const auto* l : loops) sum.merge(get(*l));
  x.histogram_samples(name, labels, sum, unit);
}

}  // namespace

std::string serve_metrics_text(const served_catalogue& c, const std::vector<const loop_metrics*>& loops,
                               const process_metrics& p, const std::vector<std::string>& model_inputs) {
  exposition x;
  x.family("rtfeat_serve_requests_total", "counter", "HTTP requests answered, by route and status code.");
  for (size_t r = 0; r < route_count; ++r)
    for (size_t s = 0; s < counted_statuses.size(); ++s) {
      uint64_t n = total(loops, [&](const loop_metrics& l) -> const auto& { return l.requests[r][s]; });
      if (n == 0) continue;
      std::string code = counted_statuses[s] == 0 ? "other" : std::to_string(counted_statuses[s]);
      x.sample("rtfeat_serve_requests_total",
               "route=\"" + std::string(to_string(static_cast<route>(r))) + "\",code=\"" + code + "\"",
               static_cast<double>(n));
    }
  x.family("rtfeat_serve_request_duration_seconds", "histogram",
           "Time from a request's last byte read to its response handed to the socket, by route.");
  for (size_t r = 0; r < route_count; ++r)
    merged_histogram(x, "rtfeat_serve_request_duration_seconds",
                     "route=\"" + std::string(to_string(static_cast<route>(r))) + "\"", loops,
                     latency_bounds_us, 1e6, [&](const loop_metrics& l) -> const auto& { return *l.latency[r]; });

  x.counter("rtfeat_serve_redis_round_trips_total", "Pipelined Redis batches answered (one per request or "
            "request group).", total(loops, [](const loop_metrics& l) -> const auto& { return l.redis_round_trips; }));
  x.family("rtfeat_serve_redis_round_trip_seconds", "histogram", "Redis batch sent to its last reply.");
  merged_histogram(x, "rtfeat_serve_redis_round_trip_seconds", "", loops, latency_bounds_us, 1e6,
                   [](const loop_metrics& l) -> const auto& { return l.redis_round_trip_us; });
  x.counter("rtfeat_serve_redis_errors_total", "Requests answered 503 because Redis was down or the connection failed.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.redis_errors; }));
  x.counter("rtfeat_serve_redis_deadline_exceeded_total",
            "Requests answered 503 because Redis did not answer within serve.deadline_ms.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.redis_deadlines; }));
  x.gauge("rtfeat_serve_redis_up", "Event loops whose Redis connection is up (on a cluster: the slot map read and "
          "every master connected).", p.redis_up.load());
  x.counter("rtfeat_serve_redis_cluster_moved_total", "Redis Cluster reads resent after MOVED (a slot changed master).",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cluster_moved; }));
  x.counter("rtfeat_serve_redis_cluster_ask_total", "Redis Cluster reads resent after ASK (a slot being migrated).",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cluster_ask; }));
  x.counter("rtfeat_serve_redis_cluster_retries_total",
            "Redis Cluster reads sent again after TRYAGAIN, CLUSTERDOWN, LOADING or a lost connection.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cluster_retries; }));

  x.counter("rtfeat_serve_cache_hits_total", "Redis keys answered from the near cache.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cache_hits; }));
  x.counter("rtfeat_serve_cache_misses_total", "Redis keys read from Redis with the near cache on.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cache_misses; }));
  x.counter("rtfeat_serve_render_memo_hits_total",
            "Entities whose JSON was copied from the render memo: every reply a cache hit, rendered before.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.render_memo_hits; }));
  x.counter("rtfeat_serve_cache_invalidations_total", "Cached keys dropped because Redis reported a write.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cache_invalidations; }));
  x.counter("rtfeat_serve_cache_flushes_total",
            "Whole-cache flushes (invalidation connection lost, Redis flushed, tracking reset).",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.cache_flushes; }));
  int64_t entries = 0;
  for (const auto* l : loops) entries += l->cache_entries.load(std::memory_order_relaxed);
  x.gauge("rtfeat_serve_cache_entries", "Redis keys held in the near cache.", static_cast<double>(entries));

  x.family("rtfeat_serve_feature_requested_total", "counter",
           "Features asked for, by entity and feature (null rate = absent / requested).");
  x.family("rtfeat_serve_feature_absent_total", "counter", "Features asked for that had no value.");
  for (size_t e = 0; e < entity_type_count; ++e)
    for (size_t f = 0; f < c.entities[e].features.size(); ++f) {
      std::string labels = "entity=\"" + std::string(to_string(static_cast<entity_type>(e))) + "\",feature=\""
                           + prometheus_label_value(c.entities[e].features[f].name) + "\"";
      x.sample("rtfeat_serve_feature_requested_total", labels,
               static_cast<double>(total(loops, [&](const loop_metrics& l) -> const auto& {
                 return l.feature_requested[e][f];
               })));
      x.sample("rtfeat_serve_feature_absent_total", labels,
               static_cast<double>(total(loops, [&](const loop_metrics& l) -> const auto& {
                 return l.feature_absent[e][f];
               })));
    }
  x.counter("rtfeat_serve_bad_values_total", "Redis values whose text did not fit their feature's type (served as absent).",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.bad_values; }));
  x.family("rtfeat_serve_freshness_seconds", "histogram",
           "Age of an entity's newest event (wall clock minus its _ts) when it was served.");
  merged_histogram(x, "rtfeat_serve_freshness_seconds", "", loops, freshness_bounds_ms, 1e3,
                   [](const loop_metrics& l) -> const auto& { return l.freshness_ms; });

  x.family("rtfeat_serve_predict_duration_seconds", "histogram", "POST /v1/predict: request read to scores written.");
  merged_histogram(x, "rtfeat_serve_predict_duration_seconds", "", loops, latency_bounds_us, 1e6,
                   [](const loop_metrics& l) -> const auto& { return l.predict_us; });
  x.counter("rtfeat_serve_predict_candidates_total", "Candidates scored.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.predict_candidates; }));
  x.counter("rtfeat_serve_predict_inputs_total", "Model inputs built (candidates x vector length).",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.predict_inputs; }));
  x.counter("rtfeat_serve_predict_defaults_total", "Model inputs that were absent and took their default.",
            total(loops, [](const loop_metrics& l) -> const auto& { return l.predict_defaults; }));
  if (!model_inputs.empty()) {
    x.family("rtfeat_serve_predict_input_absent_total", "counter",
             "Model inputs that had no value and took their default, by input (null rate = this / candidates).");
    for (size_t i = 0; i < model_inputs.size(); ++i)
      x.sample("rtfeat_serve_predict_input_absent_total", "input=\"" + prometheus_label_value(model_inputs[i]) + "\"",
               static_cast<double>(total(loops, [&](const loop_metrics& l) -> const auto& {
                 return l.predict_input_absent[i];
               })));
  }
  x.gauge("rtfeat_serve_model_loaded", "1 when a model is loaded for /v1/predict.", p.model_loaded.load());

  x.gauge("rtfeat_serve_connections", "Open client connections.", static_cast<double>(p.connections.load()));
  x.counter("rtfeat_serve_connections_rejected_total", "Connections closed at accept: serve.max_connections reached.",
            p.connections_rejected.load());
  x.counter("rtfeat_serve_connections_timed_out_total",
            "Connections closed because a request did not arrive within serve.header_timeout_ms or the idle timeout.",
            p.connections_timed_out.load());
  return x.take();
}

}  // namespace rtfeat::serve
