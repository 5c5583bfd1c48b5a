#!/usr/bin/env bash
# Join (issue 16): two nodes drain Kafka at a paced rate; after a cluster
# checkpoint a third process starts with `--join` (the address of n1) as n3,
# which is not in the config's node list. Node 0 must commit membership epoch 1
# with n1, n2, n3 after its next checkpoint, every node (n3 included) must resume
# from that checkpoint and drain to the end, and Redis must equal the oracle.
# Then a --join with the cluster gone fails at once, naming the address.
# Usage: cluster_join_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=2 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-24} SEED=${SEED:-59}
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1000}")
N1=$(jq -r '.members[0].address' <("$BIN" cluster status --config "$CLUSTER_CONFIG" "${COMMON_ARGS[@]}" --json \
  --probe-timeout-ms 1 2>/dev/null || true))
[ -n "$N1" ] && [ "$N1" != null ] || fail "no address for n1 from cluster status"
N3_LISTEN=127.0.0.1:$(free_port)

start_cluster --drain
wait_new_checkpoint 0 || fail "no cluster checkpoint before the join"
start_cluster_node n3 --join "$N1" --listen "$N3_LISTEN" --drain
wait_cluster
grep -q "joined: membership epoch 1 lists 3 members, this node is member 2" "$WORK/node-n3-1.log" \
  || fail "n3 does not say it joined as member 2"
for id in n1 n2; do
  grep -q "membership epoch 1 (3 members): resuming from the newest checkpoint" "$WORK/node-$id-1.log" \
    || fail "$id did not resume as a member of epoch 1"
done
[ "$(json "$WORK/node-n3-1.json" .events_read)" -gt 0 ] || fail "n3 read nothing: it got no partitions"
check_oracle

"$BIN" cluster status --config "$CLUSTER_CONFIG" "${COMMON_ARGS[@]}" --json --probe-timeout-ms 100 \
  >"$WORK/status.json" 2>/dev/null || true
jq -e --arg n3 "$N3_LISTEN" '.epoch == 1 and (.change | startswith("join n3"))
  and (.members | map(.id)) == ["n1", "n2", "n3"] and .members[2].address == $n3' "$WORK/status.json" >/dev/null \
  || fail "cluster status after the join: $(cat "$WORK/status.json")"
rc=0
"$BIN" node --config "$CLUSTER_CONFIG" --node-id n4 "${COMMON_ARGS[@]}" --join "$N1" --listen "$N1" --drain \
  >"$WORK/n4.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "no cluster member listens on $N1" "$WORK/n4.log" \
  || fail "a join with the cluster gone: exit $rc, $(cat "$WORK/n4.log")"
log "PASS: 2 -> 3 nodes by --join mid-run, epoch 1, $EVENTS events, zero differences"
