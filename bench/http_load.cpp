// Constant-rate (open-loop) HTTP load for the serving bench (issue 12): request i is due at
// start + i / rate whatever the server does, leaves on the first idle one of N keep-alive
// connections (or waits for one), and its latency runs from its *scheduled* time to the end of
// its response, so a stalled server shows as latency, not as fewer requests (wrk's closed loop
// hides that: coordinated omission). GET of a path template, or POST of a body template: `{id}`
// is a Zipf-drawn line of --ids, `{items}` --candidates distinct quoted ids of --items.
// Prints one JSON object on stdout (bench/load_common.hpp); exits 1 when nothing was answered.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <utility>  // before Boost 1.74's asio.hpp: its awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <CLI/CLI.hpp>

#include "bench/load_common.hpp"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using steady = std::chrono::steady_clock;
using rtfeat::bench::id_picker;

struct options {
  std::string host = "127.0.0.1", ids_path, items_path, path = "/", body;
  int port = 0;
  size_t connections = 32, candidates = 100;
  double rate = 1000, seconds = 10, warmup_s = 1, zipf = 1.1, timeout_s = 10, drain_s = 5;
  uint64_t seed = 1;
};

steady::duration seconds_to(double s) {
  return std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s));
}

double ms_between(steady::time_point from, steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

/// One keep-alive connection with at most one request in flight.
struct connection {
  explicit connection(asio::io_context& io) : stream(io) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  std::optional<http::response_parser<http::string_body>> parser;
  uint64_t slot = 0;  // index of the request in flight
};

class load_run {
public:
  load_run(asio::io_context& io, const options& o, id_picker users, std::optional<id_picker> items)
    : io_(io), opt_(o), users_(std::move(users)), items_(std::move(items)), timer_(io), rng_(o.seed),
      endpoint_(asio::ip::make_address(o.host), static_cast<uint16_t>(o.port)),
      total_(static_cast<uint64_t>((o.warmup_s + o.seconds) * o.rate)),
      first_counted_(static_cast<uint64_t>(o.warmup_s * o.rate)) {}

  /// Connects every connection (blocking: loopback), then starts the schedule.
  bool start(std::string& error) {
    for (size_t i = 0; i < opt_.connections; ++i) {
      auto c = std::make_unique<connection>(io_);
      beast::error_code ec;
      c->stream.socket().connect(endpoint_, ec);
      if (ec) return error = "connect " + opt_.host + ":" + std::to_string(opt_.port) + ": " + ec.message(), false;
      c->stream.socket().set_option(asio::ip::tcp::no_delay(true), ec);
      idle_.push_back(c.get());
      connections_.push_back(std::move(c));
    }
    start_ = steady::now();
    tick();
    return true;
  }

  /// Requests never answered (queued or in flight at the end) count as errors.
  void finish(rtfeat::bench::latency_report& report) {
    for (uint64_t i = first_counted_; i < next_; ++i)
      if (!answered_[i]) ++report.errors;
    report.requests = next_ > first_counted_ ? next_ - first_counted_ : 0;
    report.latencies_ms = std::move(latencies_);
    report.non_2xx = non_2xx_;
  }
  double max_lag_ms() const { return max_lag_ms_; }
  size_t connections_lost() const { return lost_; }
  double body_bytes_p50() {
    std::sort(body_bytes_.begin(), body_bytes_.end());
    return rtfeat::bench::percentile(body_bytes_, 50);
  }

private:
  steady::time_point due(uint64_t i) const {
    return start_ + std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(i) * 1e9 / opt_.rate));
  }

  /// Queues every request that is due, sends what idle connections allow, waits for the next one.
  void tick() {
    const auto now = steady::now();
    if (next_ < total_) max_lag_ms_ = std::max(max_lag_ms_, ms_between(due(next_), now));
    for (; next_ < total_ && due(next_) <= now; ++next_) {
      queue_.push_back(next_);
      answered_.push_back(0);
    }
    dispatch();
    if (next_ < total_) {
      timer_.expires_at(due(next_));
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) tick();
      });
    } else {
      timer_.expires_after(seconds_to(opt_.drain_s));
      timer_.async_wait([this](beast::error_code ec) {
        if (!ec) io_.stop();  // the drain time is over: what is left is unanswered
      });
      stop_when_done();
    }
  }

  void dispatch() {
    while (!queue_.empty() && !idle_.empty()) {
      connection* c = idle_.back();
      idle_.pop_back();
      send(*c, queue_.front());
      queue_.pop_front();
    }
  }

  void send(connection& c, uint64_t slot) {
    c.slot = slot;
    const std::string& id = users_(rng_);
    c.request = {};
    c.request.version(11);
    c.request.set(http::field::host, opt_.host);
    c.request.keep_alive(true);
    c.request.target(rtfeat::bench::expand(opt_.path, "{id}", id));
    if (!opt_.body.empty()) {
      std::string body = rtfeat::bench::expand(opt_.body, "{id}", id);
      if (items_) body = rtfeat::bench::expand(body, "{items}", items_->distinct_json(opt_.candidates, rng_));
      c.request.method(http::verb::post);
      c.request.set(http::field::content_type, "application/json");
      c.request.body() = std::move(body);
    } else {
      c.request.method(http::verb::get);
    }
    c.request.prepare_payload();
    c.stream.expires_after(seconds_to(opt_.timeout_s));
    http::async_write(c.stream, c.request, [this, &c](beast::error_code ec, size_t) {
      if (ec) return failed(c);
      c.parser.emplace();
      c.parser->body_limit(64 << 20);
      http::async_read(c.stream, c.buffer, *c.parser, [this, &c](beast::error_code ec2, size_t) {
        if (ec2) return failed(c);
        answered(c);
      });
    });
  }

  void answered(connection& c) {
    const auto& res = c.parser->get();
    answered_[c.slot] = 1;
    if (c.slot >= first_counted_) {
      latencies_.push_back(ms_between(due(c.slot), steady::now()));
      body_bytes_.push_back(static_cast<double>(res.body().size()));
      if (res.result_int() < 200 || res.result_int() > 299) ++non_2xx_;
    }
    if (res.keep_alive()) {
      idle_.push_back(&c);
      dispatch();
      stop_when_done();
    } else {
      reconnect(c);
    }
  }

  /// The request in flight stays unanswered (an error); the connection starts again.
  void failed(connection& c) { reconnect(c); }

  void reconnect(connection& c) {
    beast::error_code ignored;
    c.stream.socket().close(ignored);
    c.buffer.consume(c.buffer.size());
    c.stream.async_connect(endpoint_, [this, &c](beast::error_code ec) {
      if (ec) {
        ++lost_;  // the others carry on
      } else {
        beast::error_code ignored2;
        c.stream.socket().set_option(asio::ip::tcp::no_delay(true), ignored2);
        idle_.push_back(&c);
        dispatch();
      }
      stop_when_done();
    });
  }

  void stop_when_done() {
    if (next_ == total_ && queue_.empty() && idle_.size() + lost_ == connections_.size()) io_.stop();
  }

  asio::io_context& io_;
  const options& opt_;
  id_picker users_;
  std::optional<id_picker> items_;
  asio::steady_timer timer_;
  std::mt19937_64 rng_;
  asio::ip::tcp::endpoint endpoint_;
  uint64_t total_, first_counted_, next_ = 0, non_2xx_ = 0;
  size_t lost_ = 0;
  steady::time_point start_;
  std::vector<std::unique_ptr<connection>> connections_;
  std::vector<connection*> idle_;
  std::deque<uint64_t> queue_;
  std::vector<uint8_t> answered_;
  std::vector<double> latencies_, body_bytes_;
  double max_lag_ms_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  options o;
  CLI::App app{"Constant-rate HTTP load over keep-alive connections; latency from each request's scheduled time"};
  app.add_option("--host", o.host, "server address (an IP)")->capture_default_str();
  app.add_option("--port", o.port, "server port")->required();
  app.add_option("--connections,-c", o.connections, "keep-alive connections")->capture_default_str()->check(
    CLI::PositiveNumber);
  app.add_option("--rate", o.rate, "requests per second, on schedule")->capture_default_str()->check(
    CLI::PositiveNumber);
  app.add_option("--seconds", o.seconds, "measured seconds (after the warm-up)")->capture_default_str();
  app.add_option("--warmup", o.warmup_s, "seconds at the same rate before, not counted")->capture_default_str();
  app.add_option("--ids", o.ids_path, "ids, one a line; line k is Zipf rank k")->required();
  app.add_option("--zipf", o.zipf, "Zipf exponent of the ids (0 = uniform)")->capture_default_str();
  app.add_option("--path", o.path, "request target; {id} = a drawn id")->capture_default_str();
  app.add_option("--body", o.body, "POST this body ({id}, {items}); GET when empty");
  app.add_option("--items", o.items_path, "ids for {items}, drawn uniformly, distinct within a request");
  app.add_option("--candidates", o.candidates, "ids in {items}")->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "seconds a request may take before it is an error")
    ->capture_default_str();
  app.add_option("--drain", o.drain_s, "seconds to wait for answers after the last request is due")
    ->capture_default_str();
  app.add_option("--seed", o.seed, "random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::string error;
  auto users = rtfeat::bench::read_ids(o.ids_path, error);
  std::optional<id_picker> items;
  if (!o.items_path.empty() && error.empty()) {
    auto item_ids = rtfeat::bench::read_ids(o.items_path, error);
    if (error.empty()) items.emplace(std::move(item_ids), 0.0);
  }
  if (!error.empty()) return std::cerr << "http_load: " << error << "\n", 2;

  asio::io_context io;
  load_run run(io, o, id_picker(std::move(users), o.zipf), std::move(items));
  if (!run.start(error)) return std::cerr << "http_load: " << error << "\n", 1;
  io.run();

  rtfeat::bench::latency_report report;
  run.finish(report);
  const auto answered = report.latencies_ms.size();
  char extra[256];
  std::snprintf(extra, sizeof extra,
                ",\"target_rps\":%.1f,\"seconds\":%.3f,\"warmup_s\":%.3f,\"connections\":%zu,"
                "\"connections_lost\":%zu,\"max_lag_ms\":%.3f,\"body_bytes_p50\":%.0f",
                o.rate, o.seconds, o.warmup_s, o.connections, run.connections_lost(), run.max_lag_ms(),
                run.body_bytes_p50());
  report.print(o.seconds, extra);
  return answered > 0 ? 0 : 1;
}
