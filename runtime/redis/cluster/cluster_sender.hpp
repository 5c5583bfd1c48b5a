// Sends units of pre-encoded RESP commands to a Redis Cluster, each unit to the
// master of its slot: one pipeline per master per round (all masters at once),
// MOVED/ASK/TRYAGAIN/CLUSTERDOWN/lost replies handled by cluster_pipeline, the
// slot map re-read after a MOVED or a failure. The sinks' cluster_writer and
// `rtfeat materialize` encode their units and send them through it.
// A unit must be safe to send twice (a redirect or a lost reply resends it
// whole): absolute values, or a MULTI ... EXEC block.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/redis/cluster/cluster_connections.hpp"
#include "runtime/redis/cluster/cluster_pipeline.hpp"

namespace rtfeat {

/// Not thread-safe. Runs in: the thread that owns it (blocking I/O).
class cluster_sender {
public:
  cluster_sender(std::vector<node_address> seeds, redis_credentials credentials, int timeout_ms,
                 pipeline_limits limits = {});

  /// Where to encode the next units (RESP). Cleared by send().
  std::string& buffer() { return buf_; }
  /// The bytes of buffer() from `begin` to its end are one unit of `replies`
  /// commands, all on keys of `slot`.
  void add_unit(uint16_t slot, size_t begin, uint32_t replies);
  size_t units() const { return units_.size(); }

  /// Sends every unit until each is done or failed, then forgets them; false
  /// with `error` when the slot map cannot be read or a unit failed.
  bool send(std::string& error);
  /// After send(): the last reply of unit `i` when it was a string (SET ... GET).
  const std::optional<std::string>& last_string(size_t i) const { return last_string_[i]; }

  /// The slot map, read now if need be; nullptr with `error` if it cannot be.
  slot_map* map(std::string& error);
  std::string seeds_text() const { return conns_.seeds_text(); }
  const pipeline_counts& counts() const { return counts_; }

private:
  struct unit {
    uint16_t slot = 0;
    size_t begin = 0, end = 0;  // its RESP in buf_
    uint32_t replies = 0;
  };
  bool run(cluster_pipeline& p, std::string& error);
  /// One batch's replies, unit by unit; false when the connection died.
  bool read_batch(cluster_pipeline& p, const node_batch& batch, void* ctx, std::string& error);

  cluster_connections conns_;
  pipeline_limits limits_;
  std::string buf_;
  std::vector<unit> units_;
  std::vector<std::optional<std::string>> last_string_;
  bool stale_ = true;  // re-read CLUSTER SLOTS before the next send
  pipeline_counts counts_;
};

}  // namespace rtfeat
