// Where a node's counters are served (GET /metrics). The runtime only publishes
// the counters of each run; the HTTP server is the program's (cmd/metrics_server.cpp,
// cpp-httplib), handed in through node_options so that actors/ links no HTTP library.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runtime/metrics/node_metrics.hpp"

namespace rtfeat::node {

class metrics_endpoint {
public:
  virtual ~metrics_endpoint() = default;
  /// The counters of the run in progress: a cluster node's rollback starts a new
  /// run with fresh counters. Runs in: the node's main thread.
  virtual void publish(std::shared_ptr<const node_metrics> m) = 0;
};

/// Starts serving on host:port for node `node_name` ("local" outside a cluster);
/// null with `error` when it cannot (port in use, no such interface).
using metrics_endpoint_factory = std::function<std::unique_ptr<metrics_endpoint>(
  const std::string& host, int port, const std::string& node_name, std::string& error)>;

}  // namespace rtfeat::node
