// Spawns and wires one node's dataflow: readers -> user/group shards -> Redis
// sinks, the dead-letter writer, and the checkpoint coordinator with its
// snapshot writer (SPEC §5).
#pragma once

#include <memory>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "actors/keyed_shard.hpp"
#include "config/job_config.hpp"
#include "runtime/checkpoint/checkpoint_store.hpp"
#include "runtime/dead_letter/dead_letter_writer.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/node_metrics.hpp"
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
  bool drain = false;
  std::shared_ptr<dead_letter_writer> dead_letters;
  std::shared_ptr<const checkpoint_store> store;    // null: checkpoints off
  std::shared_ptr<const restored_bodies> restore;  // null: start empty
  node_metrics* metrics = nullptr;
  caf::actor on_drained;  // receives (drained_atom, bool ok) from every sink
};

struct job_graph {
  std::vector<caf::actor> readers;
  std::vector<caf::actor> shards;
  std::vector<caf::actor> sinks;
  caf::actor dead_letters;
  caf::actor coordinator;
  caf::actor snapshot_writer;
  /// Every actor, for shutdown.
  std::vector<caf::actor> all() const;
};

job_graph spawn_job_graph(caf::actor_system& sys, const job_graph_settings& s);

}  // namespace rtfeat
