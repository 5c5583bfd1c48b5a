// hiredis adapter that snapshots a whole Redis database for `rtfeat oracle
// --diff`: every key with its type, content (hash, list, zset, string) and TTL.
// It only reads, except for HyperLogLog scratch keys under its own prefix, which
// it creates and deletes at once. Errors are values, never exceptions.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/redis/redis_auth.hpp"

struct redisContext;

namespace rtfeat {

/// Prefix of the oracle's scratch keys (`<prefix><pid>:<n>`); never a feature key.
inline constexpr std::string_view redis_scratch_prefix = "__rtfeat_oracle_scratch__:";

/// One key as found in Redis.
struct redis_key_snapshot {
  std::string key;
  std::string type;  // TYPE reply: "hash", "list", "zset", "string", ... ("none" if it vanished)
  std::vector<std::pair<std::string, std::string>> fields;  // hash: HGETALL; zset: member, score
                                                            // as ZRANGE 0 -1 WITHSCORES gives them
  std::vector<std::string> items;                           // list: LRANGE 0 -1 (head first)
  std::string value;   // string: GET, raw bytes (HyperLogLogs are strings)
  int64_t ttl_s = -1;  // TTL reply: -1 = no TTL, -2 = key vanished
};

/// A blocking connection. Not thread-safe.
/// Runs in: the calling thread (command-line tools, tests).
class redis_reader {
public:
  redis_reader() = default;
  ~redis_reader();
  redis_reader(const redis_reader&) = delete;
  redis_reader& operator=(const redis_reader&) = delete;

  /// Connects to host:port; `timeout_ms` bounds the connect and every reply.
  /// Returns false with "redis 127.0.0.1:6379: Connection refused"-style messages.
  bool connect(const std::string& host, int port, int timeout_ms, std::string& error,
               const redis_credentials& cred = {});
  /// After a failed connect(): Redis answered but refused the credentials, or wants
  /// some it was not given (a config error: retrying cannot help).
  bool refused() const { return refused_; }

  /// Snapshots every key of the current database: SCAN (COUNT 1000), then per
  /// scanned batch one pipeline of TYPE + TTL and one of HGETALL / LRANGE /
  /// ZRANGE WITHSCORES / GET by type (other types: type and TTL only). A key SCAN
  /// returns twice is reported once; a key deleted meanwhile has type "none"; a
  /// key whose type changed between the two pipelines has type "changed".
  /// `progress(keys_so_far)` runs after each batch. REQUIRES: connect() succeeded.
  bool scan_all(std::vector<redis_key_snapshot>& out, std::string& error,
                const std::function<void(uint64_t)>& progress = {});

  /// For each member set, the raw bytes (GET) of a HyperLogLog that Redis builds
  /// by PFADDing exactly that set into an empty scratch key, deleted right after
  /// (with a 60 s TTL as a safety net). Pipelined in batches. Appends to `out`.
  /// REQUIRES: connect() succeeded; every set is non-empty.
  bool hyperloglog_bytes(const std::vector<const std::set<std::string>*>& sets,
                         std::vector<std::string>& out, std::string& error);
  /// Redis Cluster: scratch keys carry this hash tag, one of a slot the
  /// connected master serves (slot_tags), so PFADD is not redirected.
  void set_scratch_tag(std::string tag) { scratch_tag_ = std::move(tag); }

private:
  bool read_batch(const std::vector<std::string>& keys, std::vector<redis_key_snapshot>& out,
                  std::string& error);
  bool read_contents(redis_key_snapshot* first, size_t n, std::string& error);
  bool scratch_batch(const std::set<std::string>* const* sets, size_t n,
                     std::vector<std::string>& out, std::string& error);

  redisContext* ctx_ = nullptr;
  std::string where_;  // "redis host:port", prefix of every error
  uint64_t scratch_serial_ = 0;
  std::string scratch_tag_;  // "" = no hash tag (one redis-server)
  bool refused_ = false;  // see refused()
};

}  // namespace rtfeat
