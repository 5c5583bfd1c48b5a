// The handshake message of a cluster node: who it is and the handles of its
// shards, its agent, and (node 0 only) the checkpoint coordinator. CAF turns
// the handles into proxies on the receiving node.
#pragma once

#include <vector>

#include "caf/actor.hpp"
#include "caf/meta/type_name.hpp"
#include "runtime/cluster/peer_identity.hpp"

namespace rtfeat {

struct node_hello {
  peer_identity who;
  std::vector<caf::actor> user_shards;   // job-wide shard order within the node
  std::vector<caf::actor> category_shards;
  caf::actor agent;
  caf::actor coordinator;  // node 0 only
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, peer_identity& x) {
  return f(caf::meta::type_name("peer_identity"), x.node, x.node_id, x.fingerprint,
           x.catalogue_hash, x.restore_id, x.epoch, x.nonce, x.challenge, x.proof);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_hello& x) {
  return f(caf::meta::type_name("node_hello"), x.who, x.user_shards, x.category_shards, x.agent,
           x.coordinator);
}

}  // namespace rtfeat
