// One client connection of the HTTP server (internal to serve/http): reads
// requests one at a time, hands each to the request_handler and writes its
// response, on the connection's own event loop; and the per-loop sweep that
// closes connections past their deadline.
#pragma once

#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "serve/http/http_server.hpp"

namespace rtfeat::serve {

using steady_clock = std::chrono::steady_clock;

/// A socket bound to its io_context's executor directly (no type-erased executor).
using tcp_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

/// A connection with a deadline, closed by its loop's sweep once past it.
class swept_connection {
public:
  virtual ~swept_connection() = default;
  virtual void expire(std::chrono::steady_clock::time_point now) = 0;

private:
  friend class connection_sweep;
  size_t sweep_index_ = 0;
};

/// The connections of one loop. Runs in: that loop's thread only.
class connection_sweep {
public:
  void add(swept_connection* c);
  void remove(swept_connection* c);
  /// Closes every connection past its deadline.
  void sweep(std::chrono::steady_clock::time_point now);
  size_t size() const { return connections_.size(); }

private:
  std::vector<swept_connection*> connections_;
};

/// Starts serving `socket`; the session keeps itself alive until it closes.
void start_http_session(tcp_socket socket, size_t loop, const http_server_options& options, request_handler& handler,
                        process_metrics& metrics, connection_sweep& sweep);

}  // namespace rtfeat::serve
