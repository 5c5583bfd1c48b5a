// The node's Prometheus endpoint: GET /metrics on metrics.host:metrics.port,
// served by cpp-httplib on a thread of its own, outside CAF's scheduler.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/metrics/node_metrics.hpp"

namespace httplib {
class Server;
}

namespace rtfeat::cmd {

class metrics_server {
public:
  metrics_server();
  ~metrics_server();  // stops serving and joins the thread
  metrics_server(const metrics_server&) = delete;
  metrics_server& operator=(const metrics_server&) = delete;

  /// Binds host:port and serves in the background; false with a message when the
  /// port cannot be bound (in use, no such interface).
  bool start(const std::string& host, int port, std::string node, std::string& error);

  /// The counters of the run in progress: a cluster node's rollback starts a new
  /// run with fresh counters (Prometheus takes a counter reset in its stride).
  void publish(std::shared_ptr<const node_metrics> m);

private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  std::string node_;
  std::mutex mutex_;
  std::shared_ptr<const node_metrics> current_;
};

}  // namespace rtfeat::cmd
