// The connection that receives Redis's invalidation messages for every loop's
// near cache: CLIENT ID + SUBSCRIBE __redis__:invalidate, and each loop's
// connection says CLIENT TRACKING on REDIRECT <that id>. Invalidations are
// posted to the loops in arrival order; losing this connection (or a loop's
// own) disables and flushes the caches until tracking is back.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "runtime/clock.hpp"  // steady_ms(), as alive_ms() counts it
#include "serve/serve_loop.hpp"

namespace rtfeat::serve {

class invalidation_listener {
public:
  /// REQUIRES: every loop has a cache and a Redis connection; loops outlive the listener.
  invalidation_listener(std::vector<serve_loop*> loops, const redis_connection_options& redis);
  /// Connects (on loops[0]) and wires the loops' connection events.
  void start();
  void stop();

  /// Steady-clock ms of the last sign of life of the invalidation connection
  /// (handshake or PING answered). Loops answer from their cache only while
  /// it is recent: a silently dead connection would deliver no invalidations.
  const std::atomic<int64_t>& alive_ms() const { return alive_ms_; }

  /// Heartbeat cadence, and how recent a sign of life must be for cache hits.
  static constexpr std::chrono::milliseconds heartbeat{100};
  static constexpr std::chrono::milliseconds alive_window{350};

private:
  void ping();

  std::vector<serve_loop*> loops_;
  std::unique_ptr<redis_connection> connection_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  int64_t client_id_ = 0;  // of connection_ after its handshake
  std::atomic<int64_t> alive_ms_{0};
};

/// Loop side, in the loop's thread: its connection is up / down, or the
/// invalidation connection changed (`redirect_id` 0 = none).
void tracking_connection_up(serve_loop& loop);
void tracking_connection_down(serve_loop& loop);
void tracking_redirect_changed(serve_loop& loop, int64_t redirect_id);

}  // namespace rtfeat::serve
