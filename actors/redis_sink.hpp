// Redis sink actor: coalesces the shards' key updates and writes them as
// pipelines every flush interval. Runs detached: hiredis blocks. When Redis
// lost earlier writes it writes its recent deletes again (delete_journal), asks
// every shard to rewrite its keys (a resync), then sweeps Redis for its keys
// that no shard holds any more (orphans).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "actors/orphan_sweep.hpp"
#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/stateful_actor.hpp"
#include "runtime/metrics/node_metrics.hpp"
#include "runtime/metrics/stage_trace.hpp"
#include "runtime/redis/delete_journal.hpp"
#include "runtime/redis/feature_writer.hpp"
#include "runtime/redis/redis_auth.hpp"
#include "runtime/redis/update_coalescer.hpp"
#include "runtime/redis/write_failures.hpp"

namespace rtfeat {

struct sink_settings {
  std::string host{};
  int port = 6379;
  /// A Redis Cluster reached through these seeds ("host:port"); host/port unused.
  bool cluster = false;
  std::vector<std::string> cluster_seeds{};
  redis_credentials credentials{};
  size_t shards = 0;  // end_atom expected from each
  int64_t flush_interval_ms = 20;
  caf::actor on_drained{};   // gets (drained_atom, ok) when everything is written
  caf::actor coordinator{};  // gets (barrier_atom, id, ok) once the shards' barrier is flushed
  node_metrics* metrics = nullptr;
  /// Skip EXPIREs for keys whose TTL this sink set (ttl_tracker). Only sound
  /// when this sink is the only writer of its keys: one node. In a cluster a
  /// key such as user:feature:{u} gets fields from shards on two nodes.
  bool track_ttl = true;
  /// Redis refusing every write this long (sink.stall_timeout_ms) makes the sink
  /// give up: (stalled_atom, why) to on_drained, then no more retries. 0 = never.
  int64_t stall_timeout_ms = 0;
  /// The deletes of this much written time are kept and sent again by a
  /// resync (sink.delete_journal_ms; delete_journal.hpp). 0 = none kept.
  int64_t delete_journal_ms = 10000;
  /// Set by the node when it stops waiting (shutdown timeout): retries end at once.
  std::shared_ptr<const std::atomic<bool>> abandon{};
  std::string writer{};  // this sink among all sinks on the Redis: "<node>.<sink>" (dataset_marker)
  /// Where this node's keys live, for the orphan sweep after a resync; null: no sweep.
  std::shared_ptr<const orphan_routes> orphans{};
  size_t index = 0;  // this sink among the node's sinks (sink_of): it sweeps its own keys
  size_t sinks = 1;
};

struct redis_sink_state {
  static inline const char* name = "redis_sink";
  sink_settings cfg;
  update_coalescer pending;
  std::unique_ptr<feature_writer> redis;  // one redis-server or a cluster; reconnects by itself
  uint64_t moved_seen = 0, asked_seen = 0;  // its redirect counts already in the metrics
  size_t ended = 0;
  uint64_t barrier = 0;  // checkpoint id whose barriers are arriving
  size_t barriers = 0;   // shards that delivered it
  uint64_t failures_in_a_row = 0;
  write_failures failures;  // the current run of failed writes: logging and the stall
  bool stalled = false;      // gave up (stall_timeout_ms): pending updates stay unwritten
  // Resync (docs/exactly-once.md): Redis lost writes, every shard rewrites its keys.
  std::vector<caf::actor> shards;  // every shard of this node (shards_atom, after spawn)
  delete_journal journal{std::chrono::milliseconds(0)};  // recent deletes, sent again first
  uint64_t resyncs_started = 0;    // a write under way stops at a new one (write_pending)
  size_t rewrites_pending = 0;     // shards yet to answer (rewritten_atom)
  bool ack_held = false;           // the barrier ack waits for the rewrites
  bool ack_ok = true;
  bool drain_held = false;         // the drained report waits for them
  // Orphan sweep after the rewrites (keys Redis kept that no state holds).
  std::unique_ptr<orphan_sweep> sweep;  // null: no sweep (no routes)
  bool sweep_wanted = false;            // a resync's rewrites are pending: sweep once answered
  bool sweeping = false;                // pages being read, or batches being decided
  size_t sweep_replies = 0;             // orphan batches the shards have not answered
  uint32_t sweeps_opened = 0;           // resyncs whose sweep_end the shards have not had
  uint64_t sweep_deleted = 0;
  std::chrono::steady_clock::time_point sweep_started{};
  sink_stage_trace trace;          // stage latency metrics
};

caf::behavior redis_sink(caf::stateful_actor<redis_sink_state>* self, sink_settings cfg);

}  // namespace rtfeat
