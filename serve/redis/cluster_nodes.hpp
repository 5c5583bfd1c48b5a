// The Redis Cluster as one serve event loop sees it: the slot map, read with
// CLUSTER SLOTS from the first reachable seed (or any master) and again after
// MOVED or a lost connection, and one pipelined connection per node, opened on
// first use. Requests route through it (cluster_request.hpp); it never sends a
// read itself.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "runtime/redis/cluster/cluster_pipeline.hpp"
#include "runtime/redis/cluster/node_address.hpp"
#include "runtime/redis/cluster/slot_map.hpp"
#include "serve/redis/redis_connection.hpp"

namespace rtfeat::serve {

struct cluster_nodes_options {
  std::vector<node_address> seeds;
  redis_credentials credentials;  // AUTH on every node's connection
  std::chrono::milliseconds connect_timeout{1000};
  std::string name = "redis cluster";  // for log lines
  std::function<void(steady_clock::duration)> round_trip;  // per batch of any node, for metrics
  std::function<void(const pipeline_counts&)> redirects;   // per request, its MOVED/ASK/retries, for metrics
};

/// "host:port" seeds as redis.nodes holds them (validated by the config loader).
std::vector<node_address> parse_seeds(const std::vector<std::string>& nodes);

/// Runs in: the loop's thread only, except not_ready_reason().
class cluster_nodes {
public:
  cluster_nodes(boost::asio::io_context& io, cluster_nodes_options options);
  ~cluster_nodes();
  cluster_nodes(const cluster_nodes&) = delete;
  cluster_nodes& operator=(const cluster_nodes&) = delete;

  /// Connects to the seeds and reads the slot map; `on_ready(true)` once the
  /// map is known and every master's connection is up, `on_ready(false)` when
  /// that stops being so.
  void start(std::function<void(bool)> on_ready);
  /// Closes every connection (pending batches fail with "stopped").
  void stop();
  bool stopped() const { return stopped_; }

  /// The slot map, or nullptr before the first CLUSTER SLOTS answered.
  slot_map* map() { return map_ ? &*map_ : nullptr; }
  /// The connection to `node`, opened (and kept reconnecting) on first use.
  redis_connection& to(const node_address& node);
  /// Reads CLUSTER SLOTS again soon (after MOVED or a lost reply); calls coalesce.
  void refresh();

  boost::asio::io_context& io() { return io_; }
  /// A request is done: counts its redirects and retries (metrics).
  void count(const pipeline_counts& c) const {
    if (options_.redirects && (c.moved > 0 || c.ask > 0 || c.retried > 0)) options_.redirects(c);
  }
  /// Why serve cannot read every slot now ("" when ready); any thread.
  std::string not_ready_reason() const;

private:
  void ask_for_slots(const node_address& node, redis_connection& connection);
  void on_slots(const node_address& node, const redisReply* reply);
  void update_ready();
  /// "host:port" of the map's masters, sorted (empty without a map).
  std::vector<std::string> master_names() const;
  void tick();

  boost::asio::io_context& io_;
  cluster_nodes_options options_;
  std::map<std::string, std::unique_ptr<redis_connection>> connections_;  // by "host:port"
  std::optional<slot_map> map_;
  boost::asio::steady_timer timer_;
  bool stale_ = true;        // the map must be read (again)
  bool refreshing_ = false;  // a CLUSTER SLOTS is in flight
  bool stopped_ = false;
  bool ready_ = false;
  std::string last_slots_error_;
  std::function<void(bool)> on_ready_;
  mutable std::mutex reason_mutex_;
  std::string reason_ = "slot map not read yet";
};

}  // namespace rtfeat::serve
