#!/usr/bin/env bash
# A member lost for good (issue 16): three nodes drain Kafka at a paced rate; n3
# is SIGKILLed after a cluster checkpoint and never restarted. The survivors roll
# back and wait for it; once it has been silent for cluster.replace_after_ms, n1
# (the lowest-placed member reaching a majority) commits membership epoch 1 with
# n1 and n2, and both resume from the newest checkpoint with n3's partitions and
# key groups, drain to the end, and Redis must equal the oracle.
# Usage: cluster_replace_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-24} SEED=${SEED:-61}
CONNECT_TIMEOUT_MS=1500
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-500}" --set cluster.replace_after_ms=2500)

start_cluster --drain
wait_new_checkpoint 0 || fail "no cluster checkpoint before the loss"
kill -9 "${NODE_PIDS[n3]}" 2>/dev/null || fail "n3 had already exited: give the test more events"
wait "${NODE_PIDS[n3]}" 2>/dev/null || true
unset "NODE_PIDS[n3]"
lost_at=$SECONDS
log "SIGKILL of n3 after checkpoint $(newest_complete); it stays down"
wait_cluster
log "the survivors finished $((SECONDS - lost_at)) s after the loss"
grep -q "cluster: membership epoch 1 (n1, n2): replace n3 (silent for" "$WORK/node-n1-1.log" \
  || fail "n1 did not replace n3"
grep -q "waiting for the cluster to form: member n1 replaces n3" "$WORK/node-n2-1.log" \
  || grep -q "waiting for the cluster to form: n3 silent for" "$WORK/node-n2-1.log" \
  || fail "n2 did not wait for the replacement"
for id in n1 n2; do
  [ "$(grep -c 'node: processing' "$WORK/node-$id-1.log")" -ge 2 ] || fail "$id did not resume after the loss"
done
[ "$(json "$WORK/node-n2-1.json" .events_read)" -gt 0 ] || fail "n2 read nothing"
check_oracle

"$BIN" cluster status --config "$CLUSTER_CONFIG" "${COMMON_ARGS[@]}" --json --probe-timeout-ms 100 \
  >"$WORK/status.json" 2>/dev/null || true
jq -e '.epoch == 1 and (.change | startswith("replace n3")) and (.members | map(.id)) == ["n1", "n2"]' \
  "$WORK/status.json" >/dev/null || fail "cluster status after the replacement: $(cat "$WORK/status.json")"
log "PASS: n3 of 3 lost for good, replaced after cluster.replace_after_ms, $EVENTS events, zero differences"
