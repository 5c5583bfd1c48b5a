// Spawns and wires one node's dataflow: readers -> user/category shards -> Redis
// sinks, the dead-letter writer, and the checkpoint coordinator with its
// snapshot writer (SPEC §5). In a cluster each node spawns its part and the
// readers are spawned once every node's shards are known (docs/cluster.md).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "actors/keyed_shard.hpp"
#include "actors/routing.hpp"
#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/dead_letter/dead_letter_writer.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/metrics/node_metrics.hpp"
#include "runtime/source/message_source.hpp"

namespace rtfeat {

struct job_graph_settings {
  const job_config* config = nullptr;
  std::shared_ptr<const feature_plan> plan;
  uint64_t catalogue_hash = 0;
  std::vector<message_source*> sources;  // one per partition, owned by the caller
  std::vector<int32_t> partitions;       // partition id of each source
  std::vector<int64_t> start_offsets;    // of each source
  std::vector<int64_t> start_watermarks; // W_p of each source from the checkpoint
  std::vector<int64_t> start_future_suspects;  // of each source from the checkpoint (future_skew_guard)
  bool drain = false;
  std::shared_ptr<dead_letter_writer> dead_letters;
  std::shared_ptr<const checkpoint_store> store;    // null: checkpoints off
  std::shared_ptr<const restored_bodies> restore;  // null: start empty
  bool resync = false;                              // --resync: rewrite every key at start
  node_metrics* metrics = nullptr;
  caf::actor on_drained;  // receives (drained_atom, bool ok) from every sink, (stalled_atom, why) on a stall
  std::shared_ptr<const std::atomic<bool>> abandon_sinks;  // set: sinks stop retrying (shutdown timeout)
  // Cluster (runtime/cluster/placement.hpp); the defaults are the single-node job.
  uint32_t node_index = 0;
  uint32_t node_count = 1;
  std::vector<uint32_t> reader_indices;  // job-wide reader index of each source; empty = 0, 1, ...
  size_t total_readers = 0;              // readers of the whole job; 0 = sources.size()
  caf::actor coordinator;                // set: report checkpoints there (a relay), spawn none here
  caf::actor checkpoint_listener;  // gets (committed_atom, id) from the coordinator spawned here
};

struct job_graph {
  std::vector<caf::actor> readers;
  std::vector<caf::actor> shards;  // user_shards then category_shards
  std::vector<caf::actor> user_shards;
  std::vector<caf::actor> category_shards;
  std::vector<caf::actor> sinks;
  caf::actor dead_letters;
  caf::actor coordinator;
  caf::actor snapshot_writer;
  /// Every actor, for shutdown.
  std::vector<caf::actor> all() const;
};

/// The whole single-node job: spawn_node_part, spawn_readers over this node's
/// shards, and the coordinator started.
job_graph spawn_job_graph(caf::actor_system& sys, const job_graph_settings& s);

/// Everything of this node except the readers: sinks, shards (with the key
/// groups placement gives node s.node_index), dead letters, snapshot writer,
/// and the coordinator unless s.coordinator is set.
job_graph spawn_node_part(caf::actor_system& sys, const job_graph_settings& s);

/// Shards decode their checkpointed state when they first run (seconds for a large
/// state): waits until every shard of `g` did. "" or why a shard could not.
std::string await_restored_shards(caf::actor_system& sys, caf::scoped_actor& self, const job_graph& g);

/// Spawns this node's readers into `g`, sending to `routes` (every shard of the job).
void spawn_readers(caf::actor_system& sys, const job_graph_settings& s, const std::shared_ptr<const routing>& routes,
                   job_graph& g);

}  // namespace rtfeat
