// Invalidation connection and tracking set-up (see invalidation_listener.hpp).
#include "serve/cache/invalidation_listener.hpp"

#include <hiredis/hiredis.h>

#include <iostream>

#include <boost/asio/post.hpp>

#include "serve/redis/resp_command.hpp"

namespace rtfeat::serve {

namespace {

constexpr std::string_view invalidate_channel = "__redis__:invalidate";

void update_gauges(serve_loop& loop) {
  loop.metrics.cache_entries.store(static_cast<int64_t>(loop.cache->size()), std::memory_order_relaxed);
  loop.metrics.cache_invalidations.store(loop.cache->invalidations(), std::memory_order_relaxed);
}

void flush(serve_loop& loop) {
  loop.cache->disable_and_flush();
  loop.metrics.cache_flushes.fetch_add(1, std::memory_order_relaxed);
  update_gauges(loop);
}

/// Turns tracking on for the loop's connection; the cache is used only once
/// Redis confirmed it, so every read it stores was tracked.
void send_tracking(serve_loop& loop) {
  if (!loop.redis_up || loop.tracking_redirect == 0) return;
  auto id = loop.tracking_redirect;
  std::string commands;
  append_command(commands, "CLIENT", "TRACKING", "off");
  append_command(commands, "CLIENT", "TRACKING", "on", "REDIRECT", std::to_string(id));
  loop.redis->execute(commands, 2, steady_clock::now() + std::chrono::seconds(2),
                      [&loop, id](reply_span replies, std::string_view error) {
                        if (!error.empty()) return;  // the connection failed: its reconnect tries again
                        if (replies[1]->type == REDIS_REPLY_ERROR) {
                          std::cerr << "serve: near cache off on loop " << loop.index << ": CLIENT TRACKING refused: "
                                    << std::string_view(replies[1]->str, replies[1]->len) << "\n";
                          return;
                        }
                        if (loop.tracking_redirect == id && loop.redis_up) loop.cache->enable();
                      });
}

}  // namespace

void tracking_connection_up(serve_loop& loop) {
  loop.redis_up = true;
  flush(loop);
  send_tracking(loop);
}

void tracking_connection_down(serve_loop& loop) {
  loop.redis_up = false;
  flush(loop);
}

void tracking_redirect_changed(serve_loop& loop, int64_t redirect_id) {
  loop.tracking_redirect = redirect_id;
  flush(loop);
  send_tracking(loop);
}

invalidation_listener::invalidation_listener(std::vector<serve_loop*> loops, const redis_connection_options& redis)
  : loops_(std::move(loops)) {
  auto o = redis;
  o.name = "redis invalidations";
  o.stall_timeout = std::chrono::milliseconds(200);  // an unanswered PING fails it soon
  connection_ = std::make_unique<redis_connection>(loops_.front()->io, o);
  timer_ = std::make_unique<boost::asio::steady_timer>(loops_.front()->io);
}

void invalidation_listener::ping() {
  timer_->expires_after(heartbeat);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    if (connection_->is_up()) {
      std::string cmd;
      append_command(cmd, "PING");
      // A subscribed connection answers ["pong", ""]; no answer within the
      // window fails the connection, which flushes every cache.
      connection_->execute(cmd, 1, steady_clock::now() + alive_window, [this](reply_span, std::string_view error) {
        if (error.empty()) alive_ms_.store(steady_ms(), std::memory_order_relaxed);
      });
    }
    ping();
  });
}

void invalidation_listener::start() {
  auto broadcast = [this](int64_t id) {
    for (auto* loop : loops_)
      boost::asio::post(loop->io, [loop, id] { tracking_redirect_changed(*loop, id); });
  };
  auto is_message = [](const redisReply* r) {
    return r->type == REDIS_REPLY_ARRAY && r->elements == 3 && r->element[0]->type == REDIS_REPLY_STRING
           && std::string_view(r->element[0]->str, r->element[0]->len) == "message";
  };
  connection_->on_push([this](redisReply* r) {
    // ["message", "__redis__:invalidate", [key, ...] or nil (the database was flushed)]
    if (r->type != REDIS_REPLY_ARRAY || r->elements != 3) return;
    auto payload = std::make_shared<std::vector<std::string>>();
    const redisReply* keys = r->element[2];
    bool everything = keys->type != REDIS_REPLY_ARRAY;
    if (!everything)
      for (size_t i = 0; i < keys->elements; ++i) payload->emplace_back(keys->element[i]->str, keys->element[i]->len);
    for (auto* loop : loops_)
      boost::asio::post(loop->io, [loop, payload, everything] {
        if (everything) {
          loop->cache->flush();
          loop->metrics.cache_flushes.fetch_add(1, std::memory_order_relaxed);
        }
        for (const auto& k : *payload) loop->cache->invalidate(k);
        update_gauges(*loop);
      });
  }, is_message);
  connection_->start(
    [this] {
      redis_connection::handshake h;
      append_command(h.commands, "CLIENT", "ID");
      append_command(h.commands, "SUBSCRIBE", invalidate_channel);
      h.count = 2;
      h.check = [this](reply_span r) -> std::string {
        if (r[0]->type != REDIS_REPLY_INTEGER) return "CLIENT ID failed";
        if (r[1]->type != REDIS_REPLY_ARRAY) return "SUBSCRIBE __redis__:invalidate failed";
        client_id_ = r[0]->integer;
        alive_ms_.store(steady_ms(), std::memory_order_relaxed);
        return "";
      };
      return h;
    },
    [this, broadcast] { broadcast(client_id_); },
    [this, broadcast] {
      alive_ms_.store(0, std::memory_order_relaxed);
      broadcast(0);
    });
  ping();
}

void invalidation_listener::stop() {
  timer_->cancel();
  connection_->stop();
}

}  // namespace rtfeat::serve
