// Handshake rules: a peer is refused when it cannot prove the cluster secret for
// the challenge it was given, is not in the node list, claims this node's place,
// or disagrees on membership epoch, placement, catalogue or checkpoint.
#include <doctest/doctest.h>

#include "runtime/cluster/peer_identity.hpp"

using namespace rtfeat;

namespace {

const std::vector<cluster_node> nodes{{"n1", "127.0.0.1", 4601}, {"n2", "127.0.0.1", 4602},
                                      {"n3", "127.0.0.1", 4603}};
const peer_identity me{0, "n1", "fp", 7, 12, 0, "", "", ""};

/// `id` as a peer answering challenge "c1" with `secret`.
std::string check(peer_identity id, const std::string& their_secret = "s3cret",
                  const std::string& my_secret = "s3cret", const std::string& challenge = "c1") {
  id.nonce = "n-peer";
  sign_identity(id, their_secret, "c1");
  return refuse_reason(me, id, nodes, my_secret, challenge);
}

}  // namespace

TEST_SUITE("runtime.cluster.peer_identity") {
  TEST_CASE("a peer with the secret and the same view is welcome, with or without a secret") {
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}).empty());
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}, "", "").empty());
  }
  TEST_CASE("a wrong, missing or replayed proof is refused before anything else is compared") {
    auto refused = "the peer does not prove the cluster secret (RTFEAT_CLUSTER_SECRET differs, or is set on one node only)";
    CHECK(check({2, "n3", "other-config", 7, 12, 0, "", "", ""}, "wrong") == refused);
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}, "") == refused);
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}, "s3cret", "") == refused);
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}, "s3cret", "s3cret", "c2")
          == refused);  // not our challenge
    CHECK(check({2, "n3", "fp", 7, 12, 0, "", "", ""}, "s3cret", "s3cret", "")
          == refused);  // no challenge given
    peer_identity forged{2, "n3", "fp", 7, 12, 0, "n-peer", "", ""};
    sign_identity(forged, "s3cret", "c1");
    forged.restore_id = 13;  // changed after signing
    CHECK(refuse_reason(me, forged, nodes, "s3cret", "c1") == refused);
    forged.restore_id = 12;
    forged.epoch = 1;  // the epoch is signed too
    CHECK(refuse_reason(me, forged, nodes, "s3cret", "c1") == refused);
  }
  TEST_CASE("a peer outside the node list or in this node's place is refused") {
    CHECK(check({1, "n3", "fp", 7, 12, 0, "", "", ""})
          == "node 'n3' is not node 1 of this cluster's node list");
    CHECK(check({5, "n6", "fp", 7, 12, 0, "", "", ""})
          == "node 'n6' is not node 5 of this cluster's node list");
    CHECK(check({0, "n1", "fp", 7, 12, 0, "", "", ""})
          == "node 'n1' has the same id as this node: two processes started as one node");
  }
  TEST_CASE(
    "another membership epoch is refused before the node list, and may resolve by choosing again") {
    auto why = check({4, "n5", "fp3", 7, 12, 2, "", "", ""});
    CHECK(why == "node 'n5' runs membership epoch 2, this node epoch 0: the membership changed while they started;"
                 " the older one reads it again");
    CHECK(is_restore_mismatch(why));
    CHECK_FALSE(is_restore_mismatch(check({1, "n2", "fp2", 7, 12, 0, "", "", ""})));
  }
  TEST_CASE("another config, catalogue or restored checkpoint is refused with what differs") {
    CHECK(check({1, "n2", "fp2", 7, 12, 0, "", "", ""})
          == "node 'n2' has another cluster config: its 'fp2', this node's 'fp'");
    CHECK(check({1, "n2", "fp", 8, 12, 0, "", "", ""})
          == "node 'n2' runs another feature catalogue (features.file differs)");
    CHECK(check({1, "n2", "fp", 7, 0, 0, "", "", ""})
          == "node 'n2' restored checkpoint 0, this node checkpoint 12 (0 = none): start every node with the same"
             " --restore while no node runs");
  }
}
