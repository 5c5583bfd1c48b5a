// Redis sink actor: coalesces the shards' key updates and writes them as
// pipelines every flush interval. Runs detached: hiredis blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/features/update_coalescer.hpp"
#include "runtime/node_metrics.hpp"
#include "runtime/redis/redis_writer.hpp"

namespace rtfeat {

struct sink_settings {
  std::string host;
  int port = 6379;
  redis_credentials credentials;
  size_t shards = 0;  // end_atom expected from each
  int64_t flush_interval_ms = 20;
  caf::actor on_drained;   // gets (drained_atom, ok) when everything is written
  caf::actor coordinator;  // gets (barrier_atom, id, ok) once the shards' barrier is flushed
  node_metrics* metrics = nullptr;
  /// Skip EXPIREs for keys whose TTL this sink set (ttl_tracker). Only sound
  /// when this sink is the only writer of its keys: one node. In a cluster a
  /// key such as user:feature:{u} gets fields from shards on two nodes.
  bool track_ttl = true;
};

struct redis_sink_state {
  static inline const char* name = "redis_sink";
  sink_settings cfg;
  update_coalescer pending;
  std::unique_ptr<redis_writer> redis;
  size_t ended = 0;
  uint64_t barrier = 0;  // checkpoint id whose barriers are arriving
  size_t barriers = 0;   // shards that delivered it
  uint64_t failures_in_a_row = 0;
};

caf::behavior redis_sink(caf::stateful_actor<redis_sink_state>* self, sink_settings cfg);

}  // namespace rtfeat
