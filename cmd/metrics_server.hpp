// The node's Prometheus endpoint: GET /metrics on metrics.host:metrics.port,
// served by cpp-httplib on a thread of its own, outside CAF's scheduler. The
// node runtime gets it as a metrics_endpoint (actors/node/metrics_endpoint.hpp),
// so that only the program links an HTTP server.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "actors/node/metrics_endpoint.hpp"
#include "runtime/metrics/node_metrics.hpp"

namespace httplib {
class Server;
}

namespace rtfeat::cmd {

class metrics_server final : public node::metrics_endpoint {
public:
  metrics_server();
  ~metrics_server() override;  // stops serving and joins the thread
  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;

  /// Binds host:port and serves in the background; false with a message when the
  /// port cannot be bound (in use, no such interface).
  bool start(const std::string& host, int port, std::string node, std::string& error);

  /// The counters of the run in progress: a cluster node's rollback starts a new
  /// run with fresh counters (Prometheus takes a counter reset in its stride).
  void publish(std::shared_ptr<const node_metrics> m) override;

private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string node_;
  std::mutex mutex_;
  std::shared_ptr<const node_metrics> current_;
};

/// node_options::metrics for `rtfeat node`: a started metrics_server, or null with `error`.
std::unique_ptr<node::metrics_endpoint> start_metrics_server(const std::string& host, int port,
                                                             const std::string& node_name, std::string& error);

}  // namespace rtfeat::cmd
