// Listener of the HTTP server (see http_server.hpp).
#include "serve/http/http_server.hpp"

#include <iostream>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>

#include "serve/http/http_session.hpp"

namespace rtfeat::serve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

http_server::http_server(http_server_options options, std::vector<asio::io_context*> loops, request_handler& handler,
                         process_metrics& metrics)
  : options_(std::move(options)), loops_(std::move(loops)), handler_(handler), metrics_(metrics),
    acceptor_(*loops_.front()) {}

http_server::~http_server() { stop(); }

bool http_server::listen(std::string& error) {
  auto where = options_.host + ":" + std::to_string(options_.port);
  boost::system::error_code ec;
  auto address = asio::ip::make_address(options_.host, ec);
  if (ec) return error = "cannot listen on " + where + ": '" + options_.host + "' is not an IP address", false;
  tcp::endpoint endpoint(address, options_.port);
  // No SO_REUSEPORT: a second server on the same port must fail, not share it.
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return error = "cannot listen on " + where + ": " + ec.message(), false;
  port_ = acceptor_.local_endpoint().port();
  accept();
  return true;
}

void http_server::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void http_server::accept() {
  size_t loop = next_loop_++ % loops_.size();
  acceptor_.async_accept(*loops_[loop], [this, loop](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;  // stopped
    if (ec) {
      // EMFILE and the like: say so, wait a little and go on accepting.
      std::cerr << "serve: accept: " << ec.message() << "\n";
      auto timer = std::make_shared<asio::steady_timer>(*loops_.front(), std::chrono::milliseconds(50));
      timer->async_wait([this, timer](const boost::system::error_code&) { accept(); });
      return;
    }
    if (metrics_.connections.load(std::memory_order_relaxed) >= options_.max_connections) {
      metrics_.connections_rejected.fetch_add(1, std::memory_order_relaxed);
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      // The socket belongs to loop `loop`: start it there.
      asio::post(*loops_[loop], [this, loop, s = std::move(socket)]() mutable {
        start_http_session(std::move(s), loop, options_, handler_, metrics_);
      });
    }
    accept();
  });
}

}  // namespace rtfeat::serve
