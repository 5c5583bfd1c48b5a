// What a node says about itself when it joins its peers (the handshake of
// docs/cluster.md), and the rules for refusing a peer: nodes that disagree on
// placement, catalogue or checkpoint would silently compute wrong values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/cluster_nodes.hpp"

namespace rtfeat {

struct peer_identity {
  uint32_t node = 0;         // index in the node list
  std::string node_id;       // its id there
  std::string fingerprint;   // cluster_fingerprint() of its config
  uint64_t catalogue_hash = 0;
  uint64_t restore_id = 0;   // checkpoint it restored, 0 = none
};

/// Why a node with identity `mine` must refuse a peer that says `theirs`; ""
/// when it is welcome. `nodes` is the node list of `mine`'s config.
std::string refuse_reason(const peer_identity& mine, const peer_identity& theirs,
                          const std::vector<cluster_node>& nodes);

}  // namespace rtfeat
