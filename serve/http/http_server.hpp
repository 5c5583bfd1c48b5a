// The HTTP/1.1 server of `rtfeat serve` (Boost.Beast on Asio): one acceptor
// hands connections round-robin to N event loops; a connection lives on one
// loop for good, so a request, its Redis round trip and its response never
// cross threads. Keep-alive without a request cap; limits on connections,
// header time (slowloris), idle time, header and body size.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "serve/metrics/serve_metrics.hpp"

namespace rtfeat::serve {

class connection_sweep;

/// One request, valid during route::handle only.
struct http_request {
  std::string_view method;
  std::string_view target;  // path and query, as sent
  std::string_view body;
};

struct http_response {
  int status = 200;
  std::string body;
  std::string_view content_type = "application/json";
  int retry_after_s = 0;  // > 0: a Retry-After header
};

/// Answers a request; must be called exactly once, on the request's loop.
using respond_fn = std::function<void(http_response&&)>;

/// Decides what a request gets. Runs in: the loop `loop` of the connection.
class request_handler {
public:
  virtual ~request_handler() = default;
  virtual void handle(size_t loop, const http_request& request, respond_fn respond) = 0;
};

struct http_server_options {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = any free port
  int64_t max_connections = 10000;
  std::chrono::milliseconds header_timeout{5000};
  std::chrono::milliseconds idle_timeout{60000};
  uint64_t max_body_bytes = 1 << 20;
  uint32_t max_header_bytes = 16 * 1024;
};

class http_server {
public:
  /// REQUIRES: `loops` non-empty and outliving the server; `handler` too.
  http_server(http_server_options options, std::vector<boost::asio::io_context*> loops, request_handler& handler,
              process_metrics& metrics);
  ~http_server();

  /// Binds and listens (on loops[0]); false with "cannot listen on HOST:PORT: why".
  bool listen(std::string& error);
  /// The bound port (the chosen one when options.port was 0).
  uint16_t port() const { return port_; }
  /// Stops accepting; open connections end with their loops.
  void stop();

private:
  void accept();
  void sweep(size_t loop);

  http_server_options options_;
  std::vector<boost::asio::io_context*> loops_;
  request_handler& handler_;
  process_metrics& metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::unique_ptr<connection_sweep>> sweeps_;           // per loop
  std::vector<std::unique_ptr<boost::asio::steady_timer>> timers_;  // per loop: the sweep's cadence
  size_t next_loop_ = 0;
  uint16_t port_ = 0;
};

}  // namespace rtfeat::serve
