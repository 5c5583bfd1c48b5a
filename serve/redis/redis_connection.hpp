// One Redis connection driven by an Asio event loop, for `rtfeat serve`.
// Commands of every request that arrives while a write is in flight are
// appended to one buffer and go out in the next write, so requests arriving
// together share one round trip (pipelining without waiting). Replies are
// parsed with hiredis's reader and handed back per batch, in order.
// When Redis is gone, batches fail at once and the connection reconnects with
// backoff; a batch whose replies are late fails at its deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/redis/redis_auth.hpp"

struct redisReader;
struct redisReply;

namespace rtfeat::serve {

using steady_clock = std::chrono::steady_clock;

/// Replies of one batch in command order; owned by the connection and freed
/// after the completion call, except those the completion takes (sets to nullptr).
using reply_span = std::span<redisReply*>;

/// `error` is empty on success; then `replies` has one reply per command.
using batch_completion = std::function<void(reply_span replies, std::string_view error)>;

struct redis_connection_options {
  std::string host = "127.0.0.1";
  int port = 6379;
  redis_credentials credentials;
  std::chrono::milliseconds connect_timeout{1000};
  /// A batch whose deadline passed this long ago without a reply: the
  /// connection is taken as dead (a hung Redis) and reopened.
  std::chrono::milliseconds stall_timeout{2000};
  std::string name = "redis";  // for log lines: "serve: redis 127.0.0.1:6379 (thread 1) ..."
};

/// Runs in: the io_context's thread only (not thread-safe; one per event loop).
class redis_connection {
public:
  /// Extra commands sent right after AUTH on every (re)connect, and a check of
  /// their replies ("" = fine). For CLIENT ID / CLIENT TRACKING / SUBSCRIBE.
  struct handshake {
    std::string commands;  // RESP
    size_t count = 0;
    std::function<std::string(reply_span)> check;
  };

  redis_connection(boost::asio::io_context& io, redis_connection_options options);
  ~redis_connection();
  redis_connection(const redis_connection&) = delete;
  redis_connection& operator=(const redis_connection&) = delete;

  /// Connects (and keeps reconnecting). `make_handshake` is asked anew at each
  /// connect; `on_up`/`on_down` report state changes.
  void start(std::function<handshake()> make_handshake = {}, std::function<void()> on_up = {},
             std::function<void()> on_down = {});
  /// Closes the socket and stops reconnecting; pending batches fail.
  void stop();

  bool is_up() const { return state_ == state::up; }
  /// Why the connection is not up ("" when it is).
  const std::string& last_error() const { return last_error_; }

  /// Sends `count` RESP commands and calls `done` once every reply is in, or
  /// with an error when the connection is down or fails, or when `deadline`
  /// passes first (later replies are then read and dropped). `done` may run
  /// before execute returns (connection down).
  void execute(std::string_view commands, size_t count, steady_clock::time_point deadline,
               batch_completion done);

  /// Unsolicited replies (pub/sub messages): those `is_push` says are pushes,
  /// and any reply that arrives while no batch is waiting.
  void on_push(std::function<void(redisReply*)> handler, std::function<bool(const redisReply*)> is_push = {}) {
    push_ = std::move(handler);
    is_push_ = std::move(is_push);
  }

  /// Round trips and their duration, for metrics: called once per completed batch.
  void on_round_trip(std::function<void(steady_clock::duration)> observer) {
    round_trip_ = std::move(observer);
  }

private:
  enum class state { down, connecting, handshaking, up, stopped };
  struct pending_batch {
    size_t count = 0;
    std::vector<redisReply*> replies;
    steady_clock::time_point sent;
    steady_clock::time_point deadline;
    batch_completion done;  // empty once answered (deadline) or for the handshake
    bool handshake = false;
  };

  void connect();
  void on_connected();
  void fail(const std::string& why);
  void schedule_reconnect();
  void enqueue(std::string_view commands, pending_batch batch);
  void flush();
  void read();
  void on_reply(redisReply* r);
  void arm_deadline_timer();
  void check_deadlines();

  boost::asio::io_context& io_;
  redis_connection_options options_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer connect_timer_;
  boost::asio::steady_timer deadline_timer_;
  redisReader* reader_ = nullptr;
  state state_ = state::down;
  std::string last_error_ = "not connected yet";
  std::string out_;      // commands not yet written
  std::string writing_;  // the buffer of the write in flight
  bool write_in_flight_ = false;
  bool deadline_timer_armed_ = false;
  bool flush_posted_ = false;
  std::vector<char> in_;
  std::deque<pending_batch> pending_;
  std::chrono::milliseconds backoff_{50};
  uint64_t generation_ = 0;  // bumped at each (re)connect: stale handlers return early
  std::function<handshake()> make_handshake_;
  std::function<void()> on_up_, on_down_;
  std::function<void(redisReply*)> push_;
  std::function<bool(const redisReply*)> is_push_;
  std::function<void(steady_clock::duration)> round_trip_;
};

}  // namespace rtfeat::serve
