// HTTP/1.1 connection handling (see http_session.hpp): Beast parses requests;
// responses are one formatted head plus the body in a single gather write.
// Timeouts are not a timer per operation (Beast's tcp_stream re-arms one on
// every read and write, which cost more than the parse): each connection has
// a deadline and its loop's sweep closes the ones past it. Waiting for a
// request's first byte is bounded by the idle timeout; once it started, its
// header and body must arrive within the header timeout (a slowloris client
// is closed, others are not slowed by it).
#include "serve/http/http_session.hpp"

#include <array>
#include <charconv>
#include <optional>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rtfeat::serve {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

std::string_view reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

void append_number(std::string& out, uint64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 chars hold any uint64
  out.append(buf, end);
}

class http_session final : public std::enable_shared_from_this<http_session>, public swept_connection {
public:
  http_session(tcp_socket socket, size_t loop, const http_server_options& options, request_handler& handler,
               process_metrics& metrics, connection_sweep& sweep)
    : socket_(std::move(socket)), loop_(loop), options_(options), handler_(handler), metrics_(metrics),
      sweep_(sweep) {
    metrics_.connections.fetch_add(1, std::memory_order_relaxed);
    sweep_.add(this);
  }
  ~http_session() override {
    sweep_.remove(this);
    metrics_.connections.fetch_sub(1, std::memory_order_relaxed);
  }
  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  void start() {
    boost::system::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    wait_for_request();
  }

  /// Runs in: the loop's sweep. Closing cancels the pending read or write.
  void expire(steady_clock::time_point now) override {
    if (now < deadline_) return;
    timed_out_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

private:
  void wait_for_request() {
    if (buffer_.size() > 0) return read_request();  // the next request is already here
    deadline_ = steady_clock::now() + options_.idle_timeout;
    socket_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->closed();
      self->buffer_.commit(n);
      self->read_request();
    });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(options_.max_header_bytes);
    parser_->body_limit(options_.max_body_bytes);
    deadline_ = steady_clock::now() + options_.header_timeout;
    http::async_read(socket_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_request(ec);
    });
  }

  void on_request(beast::error_code ec) {
    if (ec == http::error::body_limit) return fail(413, "request body over serve.max_body_bytes");
    if (ec == http::error::header_limit) return fail(431, "request header too large");
    if (timed_out_) {
      metrics_.connections_timed_out.fetch_add(1, std::memory_order_relaxed);
      return;  // the socket is closed: no 408 can be written
    }
    if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset) return;
    if (ec) return fail(400, "malformed HTTP request");
    deadline_ = steady_clock::time_point::max();  // the handler's Redis deadline bounds what follows
    const auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    http_request view{std::string_view(req.method_string().data(), req.method_string().size()),
                      std::string_view(req.target().data(), req.target().size()),
                      std::string_view(req.body())};
    handler_.handle(loop_, view, [self = shared_from_this()](http_response&& r) { self->write(std::move(r)); });
  }

  /// Answers a request that cannot be read to its end, then closes.
  void fail(int status, std::string_view why) {
    keep_alive_ = false;
    http_response r;
    r.status = status;
    r.body = std::string("{\"error\":\"") + std::string(why) + "\"}";
    write(std::move(r));
  }

  void write(http_response&& r) {
    head_.clear();
    head_ += "HTTP/1.1 ";
    append_number(head_, static_cast<uint64_t>(r.status));
    head_ += ' ';
    head_ += reason(r.status);
    head_ += "\r\nContent-Type: ";
    head_ += r.content_type;
    head_ += "\r\nContent-Length: ";
    append_number(head_, r.body.size());
    if (r.retry_after_s > 0) {
      head_ += "\r\nRetry-After: ";
      append_number(head_, static_cast<uint64_t>(r.retry_after_s));
    }
    if (!keep_alive_) head_ += "\r\nConnection: close";
    head_ += "\r\n\r\n";
    body_ = std::move(r.body);
    deadline_ = steady_clock::now() + options_.header_timeout;  // a client that does not read is closed too
    std::array<asio::const_buffer, 2> buffers{asio::buffer(head_), asio::buffer(body_)};
    asio::async_write(socket_, buffers, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->closed();
      if (!self->keep_alive_) return self->shutdown();
      self->wait_for_request();
    });
  }

  void closed() {
    if (timed_out_) metrics_.connections_timed_out.fetch_add(1, std::memory_order_relaxed);
    shutdown();
  }

  void shutdown() {
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    socket_.close(ignored);
  }

  tcp_socket socket_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string head_, body_;
  size_t loop_;
  const http_server_options& options_;
  request_handler& handler_;
  process_metrics& metrics_;
  connection_sweep& sweep_;
  steady_clock::time_point deadline_ = steady_clock::time_point::max();
  bool keep_alive_ = true;
  bool timed_out_ = false;
};

}  // namespace

void connection_sweep::add(swept_connection* c) {
  c->sweep_index_ = connections_.size();
  connections_.push_back(c);
}

void connection_sweep::remove(swept_connection* c) {
  size_t i = c->sweep_index_;
  connections_[i] = connections_.back();
  connections_[i]->sweep_index_ = i;
  connections_.pop_back();
}

void connection_sweep::sweep(steady_clock::time_point now) {
  // expire() only closes sockets: nothing is added or removed meanwhile.
  for (auto* c : connections_) c->expire(now);
}

void start_http_session(tcp_socket socket, size_t loop, const http_server_options& options, request_handler& handler,
                        process_metrics& metrics, connection_sweep& sweep) {
  std::make_shared<http_session>(std::move(socket), loop, options, handler, metrics, sweep)->start();
}

}  // namespace rtfeat::serve
