// Cluster agent: the one actor a node publishes on its CAF port. It answers
// peers' hellos (refusing those without the cluster secret, or whose config,
// catalogue, checkpoint or membership epoch differ), watches its peers, passes an
// operator's stop on to every peer, and relays this node's checkpoint reports to
// the coordinator on node 0. On node 0 it starts the coordinator once every
// node's readers are known, ends the job once every node has finished, and after
// each checkpoint commits a requested leave as the next membership epoch and
// tells every node (docs/cluster.md).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "caf/actor.hpp"
#include "caf/fwd.hpp"
#include "caf/message.hpp"
#include "caf/stateful_actor.hpp"
#include "actors/cluster_messages.hpp"
#include "config/cluster_nodes.hpp"

namespace rtfeat {

struct cluster_agent_settings {
  std::vector<cluster_node> nodes;
  std::string secret;   // the cluster secret ("" = none), see peer_identity.hpp
  // The node's main actor: gets (peer_atom, hello), (lost_atom, id, after_done), (done_atom),
  // (stale_atom), (stop_atom, id), (membership_atom, epoch).
  caf::actor listener;
  std::string checkpoint_dir;  // node 0: where membership is committed and requested
  uint64_t epoch = 0;          // the membership epoch `nodes` is
};

struct cluster_agent_state {
  static inline const char* name = "cluster_agent";
  cluster_agent_settings cfg;
  node_hello mine;        // set by (start_atom, hello) once this node's part is spawned
  bool started = false;
  std::deque<std::string> challenges;  // nonces given out and not yet answered (bounded)
  std::vector<bool> joined;            // per node: its hello arrived (this node counts as joined)
  std::vector<node_hello> peers;       // per node
  caf::actor coordinator;              // node 0's, once known
  std::vector<caf::message> relayed;   // reports that arrived before the coordinator was known
  std::vector<std::vector<caf::actor>> readers;  // node 0: per node, once reported
  std::vector<bool> readers_in;                  // node 0: per node, reported
  size_t readers_reported = 0;
  std::vector<bool> finished;          // node 0: per node
  bool done = false;
  bool changing = false;  // node 0: a new epoch was announced; this attempt is ending
};

caf::behavior cluster_agent(caf::stateful_actor<cluster_agent_state>* self, cluster_agent_settings cfg);

}  // namespace rtfeat
