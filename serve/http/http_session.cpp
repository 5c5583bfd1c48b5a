// HTTP/1.1 connection handling with Boost.Beast (see http_session.hpp).
// Timeouts: waiting for a request's first byte is bounded by the idle
// timeout; once it started, its header and body must arrive within the header
// timeout (a slowloris client is closed, others are not slowed by it).
#include "serve/http/http_session.hpp"

#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace rtfeat::serve {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(boost::asio::ip::tcp::socket socket, size_t loop, const http_server_options& options,
               request_handler& handler, process_metrics& metrics)
    : stream_(std::move(socket)), loop_(loop), options_(options), handler_(handler), metrics_(metrics) {
    metrics_.connections.fetch_add(1, std::memory_order_relaxed);
  }
  ~http_session() { metrics_.connections.fetch_sub(1, std::memory_order_relaxed); }
  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  void start() {
    boost::system::error_code ignored;
    stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ignored);
    wait_for_request();
  }

private:
  void wait_for_request() {
    if (buffer_.size() > 0) return read_request();  // the next request is already here
    stream_.expires_after(options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, size_t n) {
      if (ec) return self->closed(ec);
      self->buffer_.commit(n);
      self->read_request();
    });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(options_.max_header_bytes);
    parser_->body_limit(options_.max_body_bytes);
    stream_.expires_after(options_.header_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->on_request(ec);
    });
  }

  void on_request(beast::error_code ec) {
    if (ec == http::error::body_limit) return fail(413, "request body over serve.max_body_bytes");
    if (ec == http::error::header_limit) return fail(431, "request header too large");
    if (ec == beast::error::timeout && parser_->got_some()) {
      metrics_.connections_timed_out.fetch_add(1, std::memory_order_relaxed);
      return fail(408, "request not complete within serve.header_timeout_ms");
    }
    if (ec) return closed(ec);
    stream_.expires_never();  // the handler's Redis deadline bounds what follows
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
    response_ = {};
    response_.version(11);
    response_.result(static_cast<unsigned>(r.status));
    response_.set(http::field::content_type, beast::string_view(r.content_type.data(), r.content_type.size()));
    if (r.retry_after_s > 0) response_.set(http::field::retry_after, std::to_string(r.retry_after_s));
    response_.keep_alive(keep_alive_);
    response_.body() = std::move(r.body);
    response_.prepare_payload();
    stream_.expires_after(options_.header_timeout);  // a client that does not read is closed too
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->closed(ec);
      if (!self->keep_alive_) return self->shutdown();
      self->wait_for_request();
    });
  }

  void closed(beast::error_code ec) {
    if (ec == beast::error::timeout) metrics_.connections_timed_out.fetch_add(1, std::memory_order_relaxed);
    shutdown();
  }

  void shutdown() {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  size_t loop_;
  const http_server_options& options_;
  request_handler& handler_;
  process_metrics& metrics_;
  bool keep_alive_ = true;
};

}  // namespace

void start_http_session(boost::asio::ip::tcp::socket socket, size_t loop, const http_server_options& options,
                        request_handler& handler, process_metrics& metrics) {
  std::make_shared<http_session>(std::move(socket), loop, options, handler, metrics)->start();
}

}  // namespace rtfeat::serve
