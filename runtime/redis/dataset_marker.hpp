// How a sink knows that Redis still holds everything it wrote: every pipeline
// ends with `SET <marker key> <token>:<n> GET`, which writes the pipeline's
// number and returns the one it replaces, atomically. Redis keeps commands in
// order (in memory, in the AOF, on a replica), so if it lost any write of this
// sink it lost the marker written after it too: the value returned is then
// older than the last one confirmed, absent, or another writer's.
// docs/exactly-once.md ("When Redis loses data") gives the argument and its limits.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtfeat {

/// Keys under this prefix are the engine's own bookkeeping, not features.
inline constexpr std::string_view redis_internal_prefix = "__rtfeat__:";

/// The marker of one sink. Plain logic; the sink's redis_writer sends it.
/// Not thread-safe: owned by one sink, kept across its reconnects.
class dataset_marker {
public:
  /// `writer`: unique among the sinks sharing a Redis (node and sink index);
  /// `token`: unique per process, so that another run's marker never matches.
  dataset_marker(const std::string& writer, std::string token);
  /// A marker of `writer` whose key hashes to the slot of `tag` (Redis Cluster:
  /// one marker per master, in a slot that master serves).
  static dataset_marker in_slot_of(const std::string& tag, const std::string& writer, std::string token);

  const std::string& key() const { return key_; }
  /// The value the next pipeline writes; call once per pipeline sent.
  const std::string& next();
  /// The pipeline's SET ... GET answered `previous` (nullopt: no marker).
  /// True when Redis held a value this writer may have left there (the last
  /// confirmed one, or one of a pipeline whose reply was lost since): nothing
  /// was lost. The first pipeline of a writer has nothing to compare: true.
  bool confirm(const std::optional<std::string_view>& previous);
  /// The pipeline's replies were lost: its marker may or may not be in Redis.
  void unconfirmed() { in_doubt_ = sent_; }

private:
  std::optional<uint64_t> number_of(std::string_view value) const;

  std::string key_;
  std::string token_;
  std::string value_;        // of the pipeline being sent
  uint64_t sent_ = 0;        // number of the last pipeline sent
  uint64_t confirmed_ = 0;   // number Redis confirmed last; 0 = none yet
  uint64_t in_doubt_ = 0;    // highest number sent without a reply since `confirmed_`
};

/// A random token for dataset_marker (hex; differs between processes).
std::string random_marker_token();

}  // namespace rtfeat
