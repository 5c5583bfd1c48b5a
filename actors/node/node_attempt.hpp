// One attempt of a node's run: restore a checkpoint, open the sources, spawn the
// job graph (in a cluster: join the peers), announce "processing", wait for the
// sinks, take the final checkpoint and stop every actor. node_runtime repeats it
// when a cluster peer is lost (the rollback).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/node/cluster_transport.hpp"
#include "actors/node/metrics_endpoint.hpp"
#include "actors/node/node_options.hpp"
#include "config/feature_catalogue.hpp"
#include "config/job_config.hpp"
#include "runtime/features/feature_plan.hpp"
#include "runtime/lifecycle/exit_status.hpp"
#include "runtime/lifecycle/node_status.hpp"
#include "runtime/lifecycle/stage_clock.hpp"

namespace rtfeat::node {

/// What this process is: loaded once, the same for every attempt of a cluster node.
struct node_setup {
  job_config cfg;
  feature_catalogue catalogue;
  std::shared_ptr<const feature_plan> plan;
  size_t node_index = 0;
  bool cluster = false;
  std::string node_id;              // cluster: --node-id (or the one node of a one-node list)
  std::vector<cluster_node> seeds;  // cluster: the config's node list (membership epoch 0)
  uint64_t epoch = 0;               // cluster: the membership epoch cfg.nodes is (this attempt's)
  metrics_endpoint* metrics = nullptr;  // null when metrics.port = 0
  cluster_transport transport;        // a cluster node's links: plain or TLS
  std::vector<int32_t> partitions;    // a cluster node's own
  std::optional<std::pair<uint32_t, uint32_t>> key_groups;  // a cluster node's own: [first, last)
};

/// peers_missing: the cluster did not form within cluster.connect_timeout_ms
/// (attempt_end::reached says who answered).
enum class attempt_result {
  finished,
  failed,
  peer_lost,
  join_retry,
  membership_changed,
  peers_missing
};

/// How one attempt ended and, when finished or failed, the node's exit status.
struct attempt_end {
  attempt_result result = attempt_result::failed;
  exit_status status = exit_status::failed;
  std::vector<bool> reached;  // peers_missing: per member, whether it said hello

  attempt_end() = default;
  attempt_end(attempt_result r, exit_status s, std::vector<bool> who = {})
      : result(r), status(s), reached(std::move(who)) {}
};

/// One run of the node: restore `which` (ignoring checkpoints <= floor_id), open the
/// sources, spawn (and in a cluster join), run to the end, a failure or a lost peer.
/// `status` counts the starts across attempts (--status-file). `stages` times the way
/// to processing; the attempt restarts it when it sees a peer lost or a new epoch.
/// Runs in: the calling thread, which it blocks (it owns the attempt's actor system).
attempt_end run_attempt(const node_options& opt, const node_setup& ns, const std::string& which, uint64_t floor_id,
                        node_status& status, stage_clock& stages);

}  // namespace rtfeat::node
