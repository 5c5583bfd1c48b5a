// What a Redis sink writes through: one redis-server (single_redis_writer) or a
// Redis Cluster (cluster_writer). Each proves with dataset markers that Redis
// still holds what it acknowledged, and reconnects by itself.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "runtime/key_update.hpp"

namespace rtfeat {

enum class write_result : uint8_t {
  failed,      // connection or error reply: keep the updates, retry
  written,     // written, and Redis held every earlier write of this sink
  lost_before  // written, but Redis had lost earlier writes (dataset_marker): resync
};

class feature_writer {
public:
  virtual ~feature_writer() = default;
  /// Writes `updates` and checks the marker(s); empty
  /// `updates` only checks. On failed nothing may be assumed written: the caller
  /// keeps the updates and calls again (values are absolute, so resending is
  /// harmless). `commands` grows by the commands sent.
  /// REQUIRES: at most one update per key (coalesced).
  /// Runs in: the sink actor (blocking I/O).
  virtual write_result write(std::span<const key_update> updates, uint64_t& commands,
                             std::string& error) = 0;
  /// "redis 127.0.0.1:6379" or "redis cluster (seeds ...)", for log lines.
  virtual std::string where() const = 0;
  /// After lost_before: the marker(s) that showed the loss.
  virtual std::string loss_detail() const = 0;
  /// Redis Cluster: writes resent after MOVED and after ASK so far (0 for one redis-server).
  virtual uint64_t moved() const { return 0; }
  virtual uint64_t asked() const { return 0; }
};

}  // namespace rtfeat
