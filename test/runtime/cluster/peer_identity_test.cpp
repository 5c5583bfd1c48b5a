// Handshake rules: a peer is refused when it is not in the node list, claims
// this node's place, or disagrees on placement, catalogue or checkpoint.
#include <doctest/doctest.h>

#include "runtime/cluster/peer_identity.hpp"

using namespace rtfeat;

TEST_SUITE("runtime.cluster.peer_identity") {
  std::vector<cluster_node> nodes{{"n1", "127.0.0.1", 4601}, {"n2", "127.0.0.1", 4602}, {"n3", "127.0.0.1", 4603}};
  peer_identity me{0, "n1", "fp", 7, 12};

  TEST_CASE("a peer with the same view is welcome") {
    CHECK(refuse_reason(me, {2, "n3", "fp", 7, 12}, nodes).empty());
  }
  TEST_CASE("a peer outside the node list or in this node's place is refused") {
    CHECK(refuse_reason(me, {1, "n3", "fp", 7, 12}, nodes) == "node 'n3' is not node 1 of this cluster's node list");
    CHECK(refuse_reason(me, {5, "n6", "fp", 7, 12}, nodes) == "node 'n6' is not node 5 of this cluster's node list");
    CHECK(refuse_reason(me, {0, "n1", "fp", 7, 12}, nodes)
          == "node 'n1' has the same id as this node: two processes started as one node");
  }
  TEST_CASE("another config, catalogue or restored checkpoint is refused with what differs") {
    CHECK(refuse_reason(me, {1, "n2", "fp2", 7, 12}, nodes)
          == "node 'n2' has another cluster config: its 'fp2', this node's 'fp'");
    CHECK(refuse_reason(me, {1, "n2", "fp", 8, 12}, nodes)
          == "node 'n2' runs another feature catalogue (features.file differs)");
    CHECK(refuse_reason(me, {1, "n2", "fp", 7, 0}, nodes)
          == "node 'n2' restored checkpoint 0, this node checkpoint 12 (0 = none): start every node with the same"
             " --restore while no node runs");
  }
}
