// Listener of the HTTP server (see http_server.hpp).
#include "serve/http/http_server.hpp"

#include <unistd.h>

#include <algorithm>
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
    acceptor_(*loops_.front()) {
  for (auto* io : loops_) {
    sweeps_.push_back(std::make_unique<connection_sweep>());
    timers_.push_back(std::make_unique<asio::steady_timer>(*io));
  }
}

http_server::~http_server() { stop(); }

void http_server::sweep(size_t loop) {
  // A quarter of the shortest timeout: a deadline is enforced within 25 % of it.
  auto every = std::max(std::chrono::milliseconds(10), std::min(options_.header_timeout, options_.idle_timeout) / 4);
  timers_[loop]->expires_after(every);
  timers_[loop]->async_wait([this, loop](const boost::system::error_code& ec) {
    if (ec) return;
    sweeps_[loop]->sweep(std::chrono::steady_clock::now());
    sweep(loop);
  });
}

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
  for (size_t i = 0; i < loops_.size(); ++i) sweep(i);
  accept();
  return true;
}

void http_server::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (auto& t : timers_) t->cancel();
}

void http_server::accept() {
  size_t loop = next_loop_++ % loops_.size();
  acceptor_.async_accept([this, loop](const boost::system::error_code& ec, tcp::socket socket) {
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
      // The connection is registered with loop `loop`'s reactor by that loop's
      // own thread (its reactor does not lock per-socket operations).
      boost::system::error_code rec;
      auto protocol = socket.local_endpoint(rec).protocol();
      auto fd = socket.release(rec);
      if (!rec)
        asio::post(*loops_[loop], [this, loop, protocol, fd] {
          tcp_socket s(loops_[loop]->get_executor());
          boost::system::error_code aec;
          s.assign(protocol, fd, aec);
          if (aec) return (void)::close(fd);
          start_http_session(std::move(s), loop, options_, handler_, metrics_, *sweeps_[loop]);
        });
    }
    accept();
  });
}

}  // namespace rtfeat::serve
