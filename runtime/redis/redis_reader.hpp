// Read-only hiredis adapter that snapshots a whole Redis database: every key
// with its type, hash fields and TTL. Used by `rtfeat oracle --diff` to compare
// Redis against the offline recomputation; errors are values, never exceptions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

struct redisContext;

namespace rtfeat {

/// One key as found in Redis.
struct redis_key_snapshot {
  std::string key;
  std::string type;  // TYPE reply: "hash", "string", "list", ... ("none" if it vanished)
  std::vector<std::pair<std::string, std::string>> fields;  // HGETALL, hashes only
  int64_t ttl_s = -1;  // TTL reply: -1 = no TTL, -2 = key vanished
};

/// A blocking connection that only reads. Not thread-safe.
/// Runs in: the calling thread (command-line tools, tests).
class redis_reader {
public:
  redis_reader() = default;
  ~redis_reader();
  redis_reader(const redis_reader&) = delete;
  redis_reader& operator=(const redis_reader&) = delete;

  /// Connects to host:port; `timeout_ms` bounds the connect and every reply.
  /// Returns false with "redis 127.0.0.1:6379: Connection refused"-style messages.
  bool connect(const std::string& host, int port, int timeout_ms, std::string& error);

  /// Snapshots every key of the current database: SCAN (COUNT 1000), then one
  /// pipelined TTL + HGETALL per key of each scanned batch (and TYPE for the keys
  /// that are not hashes). A key SCAN returns twice is reported once; a key deleted
  /// meanwhile has type "none". `progress(keys_so_far)` runs after each batch.
  /// REQUIRES: connect() succeeded.
  bool scan_all(std::vector<redis_key_snapshot>& out, std::string& error,
                const std::function<void(uint64_t)>& progress = {});

private:
  bool read_batch(const std::vector<std::string>& keys, std::vector<redis_key_snapshot>& out,
                  std::string& error);
  bool read_types(std::vector<redis_key_snapshot>& out, const std::vector<size_t>& which,
                  std::string& error);

  redisContext* ctx_ = nullptr;
  std::string where_;  // "redis host:port", prefix of every error
};

}  // namespace rtfeat
