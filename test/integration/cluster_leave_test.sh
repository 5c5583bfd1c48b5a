#!/usr/bin/env bash
# Graceful leave (issue 16): three nodes drain Kafka at a paced rate; after a
# cluster checkpoint `rtfeat cluster leave n2` asks node 0 to take n2 out. n2
# must exit 0, n1 and n3 must resume from that checkpoint as a two-member
# cluster (membership epoch 1) and drain to the end, and Redis must equal the
# oracle. Then: a second leave of n2 and a restart of n2 are refused (it is not a
# member), and `cluster status` reports epoch 1 with n1 and n3.
# Usage: cluster_leave_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-24} SEED=${SEED:-53}
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1000}")
CLI_ARGS=(--config "$CLUSTER_CONFIG" --set "checkpoint.dir=$WORK/checkpoints")

start_cluster --drain
wait_new_checkpoint 0 || fail "no cluster checkpoint before the leave"
"$BIN" cluster leave "${CLI_ARGS[@]}" --timeout-ms 20000 n2 >"$WORK/leave.out" 2>"$WORK/leave.log" \
  || fail "cluster leave n2 failed: $(cat "$WORK/leave.log")"
grep -q "^'n2' left: membership epoch 1 (n1, n3)" "$WORK/leave.out" || fail "cluster leave said: $(cat "$WORK/leave.out")"
log "$(cat "$WORK/leave.out")"
wait "${NODE_PIDS[n2]}" || fail "n2 did not exit 0 after leaving"
unset "NODE_PIDS[n2]"
grep -q "left the cluster: membership epoch 1 lists n1, n3" "$WORK/node-n2-1.log" || fail "n2 does not say it left"
for id in n1 n3; do
  kill -0 "${NODE_PIDS[$id]}" 2>/dev/null || fail "$id ended with the leave: give the test more events"
done
wait_cluster
for id in n1 n3; do
  grep -q "membership epoch 1 (2 members): resuming from the newest checkpoint" "$WORK/node-$id-1.log" \
    || fail "$id did not resume as a member of epoch 1"
done
check_oracle

rc=0
"$BIN" cluster leave "${CLI_ARGS[@]}" n2 2>"$WORK/leave-again.log" || rc=$?
[ $rc = 2 ] && grep -q "'n2' is not a member: membership epoch 1 lists n1, n3" "$WORK/leave-again.log" \
  || fail "a second leave of n2: exit $rc, $(cat "$WORK/leave-again.log")"
rc=0
"$BIN" node --config "$CLUSTER_CONFIG" --node-id n2 "${COMMON_ARGS[@]}" --drain >"$WORK/n2-again.log" 2>&1 || rc=$?
[ $rc = 2 ] && grep -q "node 'n2' is not a member of the cluster: membership epoch 1 lists n1, n3" "$WORK/n2-again.log" \
  || fail "n2 restarted after leaving: exit $rc, $(cat "$WORK/n2-again.log")"
"$BIN" cluster status "${CLI_ARGS[@]}" --json >"$WORK/status.json" 2>/dev/null || true
jq -e '.epoch == 1 and .change == "leave n2" and (.members | map(.id)) == ["n1", "n3"]' "$WORK/status.json" >/dev/null \
  || fail "cluster status after the leave: $(cat "$WORK/status.json")"
log "PASS: 3 -> 2 nodes by a graceful leave of n2 mid-run, epoch 1, $EVENTS events, zero differences"
