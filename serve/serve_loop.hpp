// One event loop of `rtfeat serve` and what it owns: its thread's io_context,
// its Redis connection (or, on a Redis Cluster, its connections to every
// master) and its metrics. Connections accepted onto a loop are
// served by it alone, so nothing here is shared between threads (metrics are
// read by a scrape from any loop, hence atomics).
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>

#include "serve/cache/near_cache.hpp"
#include "serve/cache/render_memo.hpp"
#include "serve/metrics/serve_metrics.hpp"
#include "serve/redis/cluster_nodes.hpp"
#include "serve/redis/cluster_request.hpp"
#include "serve/redis/redis_connection.hpp"

namespace rtfeat::serve {

struct serve_loop {
  serve_loop(size_t i, const served_catalogue& catalogue) : index(i), metrics(catalogue) {}

  /// Sends a batch of single-key reads to Redis (redis_connection::execute's
  /// contract), through the cluster's masters when redis.cluster is on.
  void read(std::string_view commands, size_t count, steady_clock::time_point deadline, batch_completion done) {
    if (cluster) return execute_on_cluster(*cluster, commands, count, deadline, std::move(done));
    redis->execute(commands, count, deadline, std::move(done));
  }

  size_t index;
  // One thread runs it and only that thread touches its sockets (other threads
  // only post): Asio may skip the per-socket locks, not the scheduler's.
  boost::asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  std::unique_ptr<redis_connection> redis;     // one Redis (redis.host, redis.port)
  std::unique_ptr<cluster_nodes> cluster;      // or a Redis Cluster (redis.cluster = true)
  loop_metrics metrics;
  std::unique_ptr<near_cache> cache;  // null when serve.cache.max_entries = 0
  std::unique_ptr<render_memo> memo;  // with the cache: renderings of cached replies
  int64_t tracking_redirect = 0;      // the invalidation connection's client id, 0 = none
  const std::atomic<int64_t>* tracking_alive_ms = nullptr;  // invalidation_listener::alive_ms()
  bool redis_up = false;
};

}  // namespace rtfeat::serve
