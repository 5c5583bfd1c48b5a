// Prometheus endpoint (see metrics_server.hpp).
#include "cmd/metrics_server.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <chrono>

#include "runtime/metrics/prometheus_text.hpp"

namespace rtfeat::cmd {

metrics_server::metrics_server() = default;

metrics_server::~metrics_server() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

bool metrics_server::start(const std::string& host, int port, std::string node, std::string& error) {
  node_ = std::move(node);
  server_ = std::make_unique<httplib::Server>();
  // One worker: a scraper every few seconds, not a web site.
  server_->new_task_queue = [] { return new httplib::ThreadPool(1); };
  // httplib's default adds SO_REUSEPORT: a second node on the same port would then
  // bind too and take half the scrapes. SO_REUSEADDR alone still allows a quick restart.
  server_->set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    std::shared_ptr<const node_metrics> m;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      m = current_;
    }
    if (!m) {
      res.status = 503;
      res.set_content("the node is starting\n", "text/plain");
      return;
    }
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
    res.set_content(prometheus_text(*m, node_, now), "text/plain; version=0.0.4; charset=utf-8");
  });
  if (!server_->bind_to_port(host.c_str(), port)) {
    error = "metrics: cannot listen on " + host + ":" + std::to_string(port)
            + " (port in use or no such interface; set metrics.port, 0 = off)";
    server_.reset();
    return false;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return true;
}

void metrics_server::publish(std::shared_ptr<const node_metrics> m) {
  std::lock_guard<std::mutex> lock(mutex_);
  current_ = std::move(m);
}

std::unique_ptr<node::metrics_endpoint> start_metrics_server(const std::string& host, int port,
                                                             const std::string& node_name, std::string& error) {
  auto server = std::make_unique<metrics_server>();
  if (!server->start(host, port, node_name, error)) return nullptr;
  return server;
}

}  // namespace rtfeat::cmd
