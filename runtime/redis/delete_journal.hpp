// The deletes a Redis sink wrote lately (HDEL, ZREM, DEL), kept so that a
// resync can send them again (docs/exactly-once.md "When Redis loses data").
// The resync's rewrite writes only what the state holds, and its orphan sweep
// removes only whole keys of one owner: a field deleted by writes Redis then
// lost (a replica promoted before it had them) would stay in a key still held.
// Redis loses only writes acknowledged shortly before a failure, and a sink
// records nothing while Redis refuses its writes, so the deletes of the last
// few seconds of written time cover the loss.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/key_update.hpp"

namespace rtfeat {

/// What `u` deletes in Redis, as an update that deletes just that (fields of a
/// hash or zset, or the whole key); nullopt when it deletes nothing a resync
/// needs. A key written whole (DEL + the new content in MULTI/EXEC) is written
/// whole again by the rewrite, so its DEL is not kept.
std::optional<key_update> deletes_of(const key_update& u);

class delete_journal {
public:
  using clock = std::chrono::steady_clock;

  /// Keeps what was written within `keep` of the newest write, at most
  /// `max_bytes` (the oldest go first). `keep` of zero: records nothing.
  explicit delete_journal(std::chrono::milliseconds keep, size_t max_bytes = size_t{256} << 20);

  /// Records the deletes among `written`, a pipeline Redis acknowledged at `now`.
  void record(std::span<const key_update> written, clock::time_point now);
  /// Every delete kept, oldest first; several may name one key.
  std::vector<key_update> deletes() const;

  size_t entries() const { return entries_; }
  size_t bytes() const { return bytes_; }
  /// The written time the journal reaches back over: `keep`, less when
  /// max_bytes dropped younger deletes or the sink is younger than that.
  std::chrono::milliseconds reach() const;

private:
  /// One pipeline's deletes, packed: a delete costs its key and fields plus
  /// a few bytes, not a key_update's allocations (~0.5 deletes per event).
  struct batch {
    clock::time_point at;
    std::string packed;
    size_t count = 0;
  };
  void forget_before(clock::time_point oldest);

  std::chrono::milliseconds keep_;
  size_t max_bytes_;
  std::deque<batch> batches_;
  size_t entries_ = 0, bytes_ = 0;
  std::optional<clock::time_point> first_, dropped_;  // first record; newest batch dropped for bytes
  clock::time_point newest_{};
};

}  // namespace rtfeat
