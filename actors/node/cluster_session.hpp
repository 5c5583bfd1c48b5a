// The cluster side of `rtfeat node` (docs/cluster.md): publishes this node's
// agent on its configured host:port, spawns its part of the job, joins every
// peer of the node list (hello handshake), spawns the readers over every
// node's shards, and at the end leaves together with the peers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/exit_reason.hpp"
#include "caf/fwd.hpp"
#include "caf/scoped_actor.hpp"
#include "actors/cluster_messages.hpp"
#include "actors/job_graph.hpp"
#include "config/job_config.hpp"
#include "runtime/lifecycle/stage_clock.hpp"

namespace rtfeat::node {

struct cluster_transport;

class cluster_session {
public:
  /// Links to peers go through `transport` (plain or TLS), which must outlive the
  /// session; `stages` (when given) times the handshake and the shards' restore.
  explicit cluster_session(const cluster_transport& transport, stage_clock* stages = nullptr)
      : transport_(&transport), stages_(stages) {}

  /// Joins the cluster as node `me` of cfg.nodes. `gs` describes this node's
  /// sources (its partitions only); `secret` is the cluster secret ("" = none).
  /// Blocks until every peer said hello and this node's shards restored their
  /// checkpoint state (then its readers start), or fails (a shard that cannot
  /// restore is a failure too) after
  /// cluster.connect_timeout_ms naming the missing peers (reached() tells who
  /// answered, for a majority decision); `retry` is then set when
  /// the only problem is that a peer restored another checkpoint. On failure
  /// all() still lists what was spawned, for shutdown.
  /// Runs in: the node's main thread, whose actor is `self`.
  bool join(caf::actor_system& sys, caf::scoped_actor& self, const job_graph_settings& gs, size_t me,
            peer_identity mine, const std::string& secret, std::string& error, bool& retry);

  /// Per node of cfg.nodes: whether it said hello in the last join (this node included).
  const std::vector<bool>& reached() const { return reached_; }
  /// The last join failed only because some peers never said hello in time (or
  /// one that did left again): after a loss, maybe a member gone for good.
  bool incomplete() const { return incomplete_; }
  /// The last join stopped because a newer membership epoch was committed meanwhile.
  bool epoch_changed() const { return epoch_changed_; }
  const job_graph& graph() const { return graph_; }
  /// This node's agent: (stop_atom) to it stops every node.
  const caf::actor& agent() const { return agent_; }
  /// Every actor of this node, the agent included.
  std::vector<caf::actor> all() const;
  /// Stops listening, then sends `how` to every actor of this node.
  void close(caf::actor_system& sys, caf::exit_reason how);

  /// After this node's sinks drained: tells node 0 and waits until every node
  /// finished (node 0 then waits for the peers to leave). False with `lost` set
  /// when a peer needed was lost first.
  bool finish(caf::scoped_actor& self, bool& lost);

private:
  const cluster_transport* transport_;
  stage_clock* stages_;
  const job_config* cfg_ = nullptr;
  size_t me_ = 0;
  caf::actor agent_;
  job_graph graph_;
  std::vector<node_hello> view_;  // per node
  std::vector<bool> reached_;     // per node: view_ holds its hello
  bool incomplete_ = false;
  bool epoch_changed_ = false;
  bool refused_restore_ = false;  // a peer that restored a newer checkpoint was refused
};

}  // namespace rtfeat::node
