// The Redis connection of `rtfeat materialize`: offline rows written as whole
// hashes (DEL, HSET, EXPIRE) inside MULTI/EXEC so that a reader sees a row
// either as before or as after, never half of it: one transaction per batch on
// one redis-server, one per row on a Redis Cluster (a transaction cannot span
// slots), each row sent to the master of its slot.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/redis/cluster/cluster_sender.hpp"
#include "runtime/redis/redis_auth.hpp"

namespace rtfeat {

class offline_writer {
public:
  ~offline_writer();
  offline_writer(const offline_writer&) = delete;
  offline_writer& operator=(const offline_writer&) = delete;

  /// Connects with a 2 s timeout, authenticates with `cred` and PINGs; nullptr and `error`
  /// when Redis is unreachable, refuses the credentials or wants some (NOAUTH).
  static std::unique_ptr<offline_writer> connect(const std::string& host, int port,
                                                 const redis_credentials& cred, std::string& error);
  /// A Redis Cluster through `seeds`: nullptr and `error` unless a slot map can be read.
  static std::unique_ptr<offline_writer> connect_cluster(const std::vector<node_address>& seeds,
                                                         const redis_credentials& cred, std::string& error);

  /// Queues one row: DEL key, HSET key field value ... (when there are fields), EXPIRE key
  /// ttl_s (when > 0). The row replaces whatever the key held. Nothing is sent before flush().
  void add(std::string_view key,
           const std::vector<std::pair<std::string_view, std::string_view>>& fields, int64_t ttl_s);

  /// Rows queued since the last flush.
  size_t queued_rows() const { return rows_; }

  /// Sends the queued rows as one pipelined MULTI ... EXEC and reads every reply. False with
  /// `error` on a connection error or any error reply (the connection is then unusable).
  /// Runs in: the caller's thread (blocking I/O).
  bool flush(uint64_t& commands, std::string& error);

private:
  explicit offline_writer(void* ctx) : ctx_(ctx) {}
  void append(const std::vector<std::string_view>& args);
  /// Cluster: the row as one MULTI ... EXEC unit for its slot's master.
  void add_to_cluster(std::string_view key,
                      const std::vector<std::pair<std::string_view, std::string_view>>& fields, int64_t ttl_s);

  void* ctx_;  // redisContext*; null with a cluster
  std::unique_ptr<cluster_sender> cluster_;
  size_t rows_ = 0;
  uint64_t pending_ = 0;  // commands appended since the last flush, MULTI included
  std::vector<std::string_view> args_;
  std::vector<const char*> argv_;
  std::vector<size_t> argv_len_;
};

}  // namespace rtfeat
