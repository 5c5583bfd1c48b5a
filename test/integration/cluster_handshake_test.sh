#!/usr/bin/env bash
# The cluster handshake refuses what must not join and names what is wrong:
#  1. two nodes of three, the third never started: n1 gives up after
#     cluster.connect_timeout_ms naming the missing node, n2 (longer timeout)
#     when n1 leaves;
#  2. a process with the wrong RTFEAT_CLUSTER_SECRET, then one with another
#     cluster config, try to join as n3: each is refused and exits 1, while n1
#     and n2 keep waiting; then the real n3 joins and the job drains with zero
#     oracle differences.
# Usage: cluster_handshake_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-50000} PARTITIONS=${PARTITIONS:-12} SEED=${SEED:-31}
source "$ROOT/test/integration/lib/cluster.sh"

# Waits for node $1, which must fail; its log must match the extended regex $2.
expect_refusal() {
  local id=$1 text=$2 rc=0
  wait "${NODE_PIDS[$id]}" || rc=$?
  unset "NODE_PIDS[$id]"
  [ "$rc" -ne 0 ] || fail "node $id of run $RUN exited 0, expected a refusal ($text)"
  grep -qE "$text" "$WORK/node-$id-$RUN.log" || fail "node $id of run $RUN does not say: $text"
}

RUN=1
export RTFEAT_CLUSTER_SECRET=the-right-one
start_cluster_node n1 --drain --set cluster.connect_timeout_ms=2000
start_cluster_node n2 --drain --set cluster.connect_timeout_ms=6000
expect_refusal n1 "no hello after cluster.connect_timeout_ms from node 'n3'"
expect_refusal n2 "node 'n1' left while the cluster was forming|no hello after cluster.connect_timeout_ms from node 'n3'"

RUN=2
start_cluster_node n1 --drain
start_cluster_node n2 --drain
RTFEAT_CLUSTER_SECRET=a-wrong-one start_cluster_node n3 --drain
expect_refusal n3 "does not prove the cluster secret"
start_cluster_node n3 --drain --set engine.user_shards=3
expect_refusal n3 "has another cluster config"
# n3 tries n1, then n2: whichever was listening first refuses it (n1 may not be yet on a loaded box).
cat "$WORK/node-n1-2.log" "$WORK/node-n2-2.log" | grep -q "refused a peer: the peer does not prove the cluster secret" \
  || fail "neither n1 nor n2 reports the refusal of the wrong secret"
kill -0 "${NODE_PIDS[n1]}" 2>/dev/null && kill -0 "${NODE_PIDS[n2]}" 2>/dev/null \
  || fail "a refused peer brought n1 or n2 down"
start_cluster_node n3 --drain
wait_cluster
check_oracle
log "PASS: missing peer timed out, wrong secret and wrong config refused, then 3 nodes drained with zero differences"
