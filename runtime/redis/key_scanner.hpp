// Every key of a Redis, page by page (SCAN ... COUNT), on every master of a
// cluster: what a resync's orphan sweep reads (docs/exactly-once.md). A page
// at a time keeps the sweep's memory bounded and lets the sink write between
// pages. SCAN may return a key twice or, while slots move, miss one; a sweep
// tolerates both (deleting twice is harmless, a missed orphan stays).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/redis/cluster/cluster_connections.hpp"

namespace rtfeat {

/// Not thread-safe. Runs in: the sink actor (blocking I/O).
class key_scanner {
public:
  /// `cluster`: `nodes` are a Redis Cluster's seeds; else `nodes` is the one redis-server.
  key_scanner(std::vector<node_address> nodes, bool cluster, redis_credentials credentials,
              int timeout_ms = 2000);

  /// Starts a pass over every key (the cluster's masters as they are now);
  /// false with `error` when the slot map cannot be read.
  bool start(std::string& error);
  /// The pass has read every page.
  bool done() const { return node_ >= masters_.size(); }
  /// Replaces `keys` with the next page; false with `error` on a connection or
  /// reply failure (the pass must be started again).
  bool next(std::vector<std::string>& keys, std::string& error);

private:
  static constexpr const char* page_size = "1000";
  std::vector<node_address> nodes_;
  bool cluster_;
  cluster_connections conns_;
  std::vector<node_address> masters_;
  size_t node_ = 0;
  std::string cursor_ = "0";
};

}  // namespace rtfeat
