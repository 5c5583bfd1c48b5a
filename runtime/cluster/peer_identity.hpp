// What a node says about itself when it joins its peers (the handshake of
// docs/cluster.md), and the rules for refusing a peer: one that cannot prove it
// knows the cluster secret, or disagrees on placement, catalogue or checkpoint
// (it would silently compute wrong values).
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
  uint64_t epoch = 0;        // membership epoch it runs with (runtime/cluster/membership.hpp)
  // Challenge-response: `nonce` is fresh from the sender, `challenge` the peer's
  // nonce this identity answers, `proof` the HMAC-SHA256 under the cluster secret
  // of all the fields above ("" when the sender has no secret).
  std::string nonce;
  std::string challenge;
  std::string proof;
};

/// The environment variable that holds the cluster secret.
inline constexpr const char* cluster_secret_env = "RTFEAT_CLUSTER_SECRET";

/// Answers `challenge` (the peer's nonce): sets id.challenge and id.proof.
void sign_identity(peer_identity& id, const std::string& secret, const std::string& challenge);

/// Why a node with identity `mine` and cluster secret `secret` must refuse a peer
/// that says `theirs` in answer to `challenge` (the nonce this node gave it); ""
/// when it is welcome. The secret is checked first, so a peer without it learns
/// nothing about this node's config. `nodes` is the node list of `mine`'s config.
std::string refuse_reason(const peer_identity& mine, const peer_identity& theirs,
                          const std::vector<cluster_node>& nodes, const std::string& secret,
                          const std::string& challenge);

/// True when `reason` (from refuse_reason, possibly inside a peer's error) says only
/// that the nodes restored different checkpoints or read different membership
/// epochs (one committed while they started): choosing again may resolve it.
bool is_restore_mismatch(const std::string& reason);

}  // namespace rtfeat
