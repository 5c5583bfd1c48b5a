// The sink's Redis connection: writes coalesced key updates as one pipeline of
// the commands command_plan chooses (absolute values only, SPEC §3).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/key_update.hpp"
#include "runtime/redis/dataset_marker.hpp"
#include "runtime/redis/feature_writer.hpp"
#include "runtime/redis/redis_auth.hpp"
#include "runtime/redis/reply_scan.hpp"
#include "runtime/redis/ttl_tracker.hpp"

namespace rtfeat {

class redis_writer {
public:
  ~redis_writer();
  redis_writer(const redis_writer&) = delete;
  redis_writer& operator=(const redis_writer&) = delete;

  /// Connects with a 2 s timeout and authenticates with `cred`; nullptr and `error`
  /// when Redis is unreachable or refuses the credentials.
  /// `track_ttl`: skip EXPIREs the ttl_tracker says are not needed (this
  /// connection is the only writer of its keys); else every write refreshes.
  static std::unique_ptr<redis_writer> connect(const std::string& host, int port, bool track_ttl,
                                               const redis_credentials& cred, std::string& error);

  /// Sends every update in one pipeline ending with `marker`'s SET ... GET, and
  /// reads all replies. Empty `updates` only checks the marker. A failure leaves
  /// the connection dead (reconnect). Re-sending the same updates is harmless:
  /// values are absolute. On lost_before every TTL is set again from now on.
  /// REQUIRES: at most one update per key (coalesced).
  /// Runs in: the sink actor (blocking I/O).
  write_result write(std::span<const key_update> updates, dataset_marker& marker,
                     uint64_t& commands, std::string& error);

private:
  redis_writer(void* ctx, bool track_ttl, std::string address);
  /// Reads `n` replies; `last` gets the last one's string (nullopt: nil).
  bool read_replies(uint64_t n, std::optional<std::string>& last, std::string& error);

  void* ctx_;  // redisContext*
  std::string resp_;                   // the pipeline, encoded
  std::vector<std::string_view> args_;  // one command's arguments
  ttl_tracker ttl_;
  reply_scan scan_;  // the reply hiredis last read
  bool track_ttl_;
  std::string address_;  // host:port, in every error: an operator must know which Redis failed
};

}  // namespace rtfeat
