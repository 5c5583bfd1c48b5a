// Pipelined Redis connection on Asio (see redis_connection.hpp).
#include "serve/redis/redis_connection.hpp"

#include <hiredis/hiredis.h>

#include <iostream>
#include <utility>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "serve/redis/resp_command.hpp"

namespace rtfeat::serve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds max_backoff{1000};
constexpr std::chrono::milliseconds deadline_tick{2};

void free_replies(std::vector<redisReply*>& replies) {
  for (auto* r : replies) freeReplyObject(r);
  replies.clear();
}

}  // namespace

redis_connection::redis_connection(asio::io_context& io, redis_connection_options options)
  : io_(io), options_(std::move(options)), socket_(io), connect_timer_(io), deadline_timer_(io),
    in_(64 * 1024) {}

redis_connection::~redis_connection() {
  stop();
}

void redis_connection::start(std::function<handshake()> make_handshake, std::function<void()> on_up,
                             std::function<void()> on_down) {
  make_handshake_ = std::move(make_handshake);
  on_up_ = std::move(on_up);
  on_down_ = std::move(on_down);
  connect();
}

void redis_connection::stop() {
  if (state_ == state::stopped) return;
  fail("stopped");
  state_ = state::stopped;
  connect_timer_.cancel();
  deadline_timer_.cancel();
}

void redis_connection::connect() {
  if (state_ == state::stopped) return;
  state_ = state::connecting;
  auto gen = ++generation_;
  socket_ = tcp::socket(io_);
  connect_timer_.expires_after(options_.connect_timeout);
  connect_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
    if (ec || gen != generation_ || state_ != state::connecting) return;
    fail("connect timed out after " + std::to_string(options_.connect_timeout.count()) + " ms");
  });
  auto resolver = std::make_shared<tcp::resolver>(io_);
  resolver->async_resolve(
    options_.host, std::to_string(options_.port),
    [this, gen, resolver](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
      if (gen != generation_) return;
      if (ec) return fail(ec.message());
      asio::async_connect(socket_, results, [this, gen](const boost::system::error_code& cec, const tcp::endpoint&) {
        if (gen != generation_) return;
        if (cec) return fail(cec.message());
        on_connected();
      });
    });
}

void redis_connection::on_connected() {
  connect_timer_.cancel();
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  if (reader_ != nullptr) redisReaderFree(reader_);
  reader_ = redisReaderCreate();
  state_ = state::handshaking;
  // AUTH first, then the caller's commands (CLIENT TRACKING, SUBSCRIBE, ...).
  std::string commands;
  size_t count = 0;
  const auto& cred = options_.credentials;
  bool auth = !cred.password.empty();
  if (auth) {
    if (cred.username.empty()) append_command(commands, "AUTH", cred.password);
    else append_command(commands, "AUTH", cred.username, cred.password);
    ++count;
  }
  handshake extra = make_handshake_ ? make_handshake_() : handshake{};
  commands += extra.commands;
  count += extra.count;
  read();
  if (count == 0) {
    state_ = state::up;
    if (on_up_) on_up_();
    return;
  }
  pending_batch b;
  b.count = count;
  b.handshake = true;
  b.deadline = steady_clock::now() + options_.connect_timeout;
  auto gen = generation_;
  b.done = [this, gen, auth, check = std::move(extra.check)](reply_span replies, std::string_view error) {
    if (gen != generation_) return;
    if (!error.empty()) return fail(std::string(error));
    if (auth && replies[0]->type == REDIS_REPLY_ERROR) {
      return fail("AUTH refused (" + std::string(replies[0]->str, replies[0]->len) + "): check "
                  + redis_password_env);
    }
    if (check) {
      if (auto why = check(replies.subspan(auth ? 1 : 0)); !why.empty()) return fail(why);
    }
    state_ = state::up;
    backoff_ = std::chrono::milliseconds(50);
    if (last_error_ != "not connected yet")
      std::cerr << "serve: " << options_.name << " " << options_.host << ":" << options_.port << ": connected\n";
    last_error_.clear();
    if (on_up_) on_up_();
  };
  enqueue(commands, std::move(b));
}

void redis_connection::fail(const std::string& why) {
  if (state_ == state::stopped) return;
  bool was_up = state_ == state::up || state_ == state::handshaking;
  if (was_up || last_error_ == "not connected yet" || last_error_ != why) {
    if (why != "stopped")
      std::cerr << "serve: " << options_.name << " " << options_.host << ":" << options_.port << ": " << why
                << (was_up ? " (connection lost)" : "") << "; reconnecting\n";
  }
  last_error_ = why;
  ++generation_;
  state_ = state::down;
  boost::system::error_code ignored;
  socket_.close(ignored);
  out_.clear();
  write_in_flight_ = false;
  auto failed = std::move(pending_);
  pending_.clear();
  for (auto& b : failed) {
    free_replies(b.replies);
    if (b.done) b.done({}, why);
  }
  if (was_up && on_down_) on_down_();
  schedule_reconnect();
}

void redis_connection::schedule_reconnect() {
  if (state_ == state::stopped) return;
  auto gen = generation_;
  connect_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, max_backoff);
  connect_timer_.async_wait([this, gen](const boost::system::error_code& ec) {
    if (ec || gen != generation_ || state_ != state::down) return;
    connect();
  });
}

void redis_connection::execute(std::string_view commands, size_t count, steady_clock::time_point deadline,
                               batch_completion done) {
  if (state_ != state::up && state_ != state::handshaking) {
    done({}, last_error_.empty() ? std::string_view("redis not connected") : std::string_view(last_error_));
    return;
  }
  pending_batch b;
  b.count = count;
  b.deadline = deadline;
  b.done = std::move(done);
  enqueue(commands, std::move(b));
}

void redis_connection::enqueue(std::string_view commands, pending_batch batch) {
  batch.sent = steady_clock::now();
  out_.append(commands);
  pending_.push_back(std::move(batch));
  arm_deadline_timer();
  if (!flush_posted_) {
    // Flush after the handlers already queued in this loop turn: requests that
    // arrived together go out in one write.
    flush_posted_ = true;
    asio::post(io_, [this, gen = generation_] {
      flush_posted_ = false;
      if (gen == generation_) flush();
    });
  }
}

void redis_connection::flush() {
  if (write_in_flight_ || out_.empty()) return;
  write_in_flight_ = true;
  writing_.swap(out_);
  out_.clear();
  asio::async_write(socket_, asio::buffer(writing_),
                    [this, gen = generation_](const boost::system::error_code& ec, size_t) {
                      if (gen != generation_) return;
                      if (ec) return fail(ec.message());
                      write_in_flight_ = false;
                      writing_.clear();
                      flush();
                    });
}

void redis_connection::read() {
  socket_.async_read_some(asio::buffer(in_), [this, gen = generation_](const boost::system::error_code& ec, size_t n) {
    if (gen != generation_) return;
    if (ec) return fail(ec == asio::error::eof ? "Redis closed the connection" : ec.message());
    if (redisReaderFeed(reader_, in_.data(), n) != REDIS_OK) return fail("unreadable reply from Redis");
    for (;;) {
      void* raw = nullptr;
      if (redisReaderGetReply(reader_, &raw) != REDIS_OK) return fail("unreadable reply from Redis");
      if (raw == nullptr) break;
      on_reply(static_cast<redisReply*>(raw));
      if (gen != generation_) return;  // a handler failed the connection
    }
    read();
  });
}

void redis_connection::on_reply(redisReply* r) {
  if (pending_.empty() || (is_push_ && is_push_(r))) {
    if (push_) push_(r);
    freeReplyObject(r);
    return;
  }
  auto& front = pending_.front();
  front.replies.push_back(r);
  if (front.replies.size() < front.count) return;
  pending_batch b = std::move(front);
  pending_.pop_front();
  if (round_trip_ && !b.handshake) round_trip_(steady_clock::now() - b.sent);
  if (b.done) b.done(reply_span(b.replies.data(), b.replies.size()), {});
  free_replies(b.replies);
}

void redis_connection::arm_deadline_timer() {
  if (deadline_timer_armed_ || pending_.empty()) return;
  deadline_timer_armed_ = true;
  deadline_timer_.expires_after(deadline_tick);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    deadline_timer_armed_ = false;
    if (ec || state_ == state::stopped) return;
    check_deadlines();
    arm_deadline_timer();
  });
}

void redis_connection::check_deadlines() {
  auto now = steady_clock::now();
  if (!pending_.empty() && now > pending_.front().deadline + options_.stall_timeout) {
    return fail("no reply for " + std::to_string(options_.stall_timeout.count()) + " ms after a deadline");
  }
  // By index: a completion may queue a new batch (deque::push_back moves iterators).
  for (size_t i = 0; i < pending_.size(); ++i) {
    auto& b = pending_[i];
    if (!b.done || now <= b.deadline) continue;
    auto done = std::move(b.done);
    b.done = nullptr;
    if (b.handshake) return done({}, "handshake timed out");  // fails the connection
    done({}, "deadline");
  }
}

}  // namespace rtfeat::serve
