// Handshake checks (see peer_identity.hpp). The messages say what to fix.
#include "runtime/cluster/peer_identity.hpp"

#include "runtime/crypto/hmac.hpp"

namespace rtfeat {

namespace {

constexpr const char* restore_mismatch = " restored checkpoint ";
constexpr const char* epoch_mismatch = " runs membership epoch ";

std::string signed_text(const peer_identity& id, const std::string& challenge) {
  return "rtfeat-cluster-hello-v1|" + challenge + "|" + id.nonce + "|" + std::to_string(id.node)
         + "|" + id.node_id + "|" + id.fingerprint + "|" + std::to_string(id.catalogue_hash) + "|"
         + std::to_string(id.restore_id) + "|" + std::to_string(id.epoch);
}

}  // namespace

void sign_identity(peer_identity& id, const std::string& secret, const std::string& challenge) {
  id.challenge = challenge;
  id.proof = secret.empty() ? std::string{} : hmac_sha256_hex(secret, signed_text(id, challenge));
}

std::string refuse_reason(const peer_identity& mine, const peer_identity& theirs,
                          const std::vector<cluster_node>& nodes, const std::string& secret,
                          const std::string& challenge) {
  auto expected = secret.empty() ? std::string{} : hmac_sha256_hex(secret, signed_text(theirs, challenge));
  if (challenge.empty() || theirs.challenge != challenge || !equal_in_constant_time(theirs.proof, expected))
    return std::string("the peer does not prove the cluster secret (") + cluster_secret_env
           + " differs, or is set on one node only)";
  auto who = "node '" + theirs.node_id + "'";
  if (theirs.epoch != mine.epoch)  // before the list: another epoch has another list
    return who + epoch_mismatch + std::to_string(theirs.epoch) + ", this node epoch "
           + std::to_string(mine.epoch)
           + ": the membership changed while they started; the older one reads it again";
  if (theirs.node >= nodes.size() || nodes[theirs.node].id != theirs.node_id)
    return who + " is not node " + std::to_string(theirs.node) + " of this cluster's node list";
  if (theirs.node == mine.node) return who + " has the same id as this node: two processes started as one node";
  if (theirs.fingerprint != mine.fingerprint)
    return who + " has another cluster config: its '" + theirs.fingerprint + "', this node's '" + mine.fingerprint
           + "'";
  if (theirs.catalogue_hash != mine.catalogue_hash)
    return who + " runs another feature catalogue (features.file differs)";
  if (theirs.restore_id != mine.restore_id)
    return who + restore_mismatch + std::to_string(theirs.restore_id) + ", this node checkpoint "
           + std::to_string(mine.restore_id)
           + " (0 = none): start every node with the same --restore while no node runs";
  return {};
}

}  // namespace rtfeat

namespace rtfeat {

bool is_restore_mismatch(const std::string& reason) {
  return reason.find(restore_mismatch) != std::string::npos
         || reason.find(epoch_mismatch) != std::string::npos;
}

}  // namespace rtfeat
