// The near cache of one event loop (serve.cache.max_entries): Redis replies
// kept by key and dropped the moment Redis reports a write to the key
// (server-assisted client-side caching, CLIENT TRACKING ... REDIRECT).
//
// Why it is never stale beyond the invalidation delay: a reply is only stored
// if (1) its read was sent after this loop's connection had tracking on for
// the current invalidation connection (Redis then sends an invalidation for
// any later write to the key), and (2) no invalidation for the key arrived
// while the read was in flight (the invalidation may overtake the reply: the
// two come on different connections). Losing either connection flushes
// everything, since invalidations may have been lost with it.
// Runs in: the loop's thread only.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/flat_map.hpp"

struct redisReply;

namespace rtfeat::serve {

using shared_reply = std::shared_ptr<const redisReply>;

/// Takes ownership of a hiredis reply.
shared_reply share_reply(redisReply* r);

class near_cache {
public:
  explicit near_cache(size_t max_entries) : max_entries_(max_entries) {}

  /// Tracking is on for this loop's connection (its CLIENT TRACKING was sent
  /// after the connection's last connect, for the current invalidation connection).
  void enable() { enabled_ = true, ++generation_; }
  /// Tracking is lost or unknown: drop everything and store nothing from reads in flight.
  void disable_and_flush();
  bool enabled() const { return enabled_ && max_entries_ > 0; }

  /// The cached reply of `key`, or nullptr.
  shared_reply find(std::string_view key);
  /// A read of `key` is being sent: returns a ticket for read_done.
  uint64_t reading(const std::string& key);
  /// The read's reply arrived: stores it unless an invalidation came meanwhile.
  void read_done(const std::string& key, uint64_t ticket, shared_reply reply);
  /// The read failed or its deadline passed: nothing to store.
  void read_abandoned(const std::string& key, uint64_t ticket);
  /// Redis reported a write to `key`.
  void invalidate(std::string_view key);
  /// Redis reported a flush of everything (or invalidations were lost).
  void flush();

  size_t size() const { return entries_.size(); }
  uint64_t invalidations() const { return invalidations_; }

private:
  struct entry {
    shared_reply reply;
    std::list<std::string>::iterator lru;
  };
  struct in_flight {
    uint32_t reads = 0;
    bool invalidated = false;  // a write was reported while a read was in flight
  };

  size_t max_entries_;
  bool enabled_ = false;
  uint64_t generation_ = 0;  // tickets from before a flush or re-enable are void
  string_map<entry> entries_;
  std::list<std::string> lru_;  // most recently used first
  string_map<in_flight> in_flight_;
  uint64_t invalidations_ = 0;
};

}  // namespace rtfeat::serve
