// Blocking hiredis connections to the nodes of a Redis Cluster, opened on first
// use and authenticated like every rtfeat connection, and the slot map read
// from whichever node answers CLUSTER SLOTS first (known masters and replicas,
// then the configured seeds). Used by the sinks' cluster_writer and the oracle.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/redis/cluster/node_address.hpp"
#include "runtime/redis/cluster/slot_map.hpp"
#include "runtime/redis/redis_auth.hpp"

struct redisContext;

namespace rtfeat {

/// "host:port" → address; nullopt unless the port is 1..65535 and the host non-empty.
std::optional<node_address> parse_node_address(const std::string& text);

/// Not thread-safe. Runs in: the thread that owns it (a sink actor, a command).
class cluster_connections {
public:
  /// `timeout_ms` bounds each connect and each reply.
  cluster_connections(std::vector<node_address> seeds, redis_credentials credentials, int timeout_ms);
  ~cluster_connections();
  cluster_connections(const cluster_connections&) = delete;
  cluster_connections& operator=(const cluster_connections&) = delete;

  /// Reads the slot map anew. False with `error` (every node tried, and why the
  /// last one failed) when no node gives a complete map; the old map stays.
  bool refresh(std::string& error);
  bool has_map() const { return map_.has_value(); }
  /// REQUIRES: has_map().
  slot_map& map() { return *map_; }

  /// The connection to `node`, connected and authenticated now if need be;
  /// nullptr with `error` ("redis 127.0.0.1:7000: Connection refused").
  redisContext* to(const node_address& node, std::string& error);
  /// Closes the connection to `node` (after an I/O error: hiredis contexts are dead then).
  void drop(const node_address& node);
  void drop_all();

  /// "127.0.0.1:7000,127.0.0.1:7001": the seeds, for log lines.
  std::string seeds_text() const;

private:
  std::vector<node_address> seeds_;
  redis_credentials credentials_;
  int timeout_ms_;
  std::optional<slot_map> map_;
  std::map<std::string, redisContext*> by_address_;  // host:port → open connection
};

}  // namespace rtfeat
