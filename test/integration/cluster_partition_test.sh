#!/usr/bin/env bash
# A member cut off, then healed (issue 16): three nodes drain Kafka at a paced
# rate; n3 is frozen with SIGSTOP after a cluster checkpoint (on one machine the
# way to cut a process off: it neither sends nor answers). n1 and n2 lose it after
# cluster.peer_timeout_ms, wait cluster.replace_after_ms, and n1 commits epoch 1
# without n3; they resume. n3 is then thawed (the partition heals): it finds that
# a newer epoch replaced it, stops, asks to join again, and node 0 admits it at
# its next checkpoint (epoch 2); all three drain to the end, Redis equals the oracle.
# Usage: cluster_partition_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-150000} PARTITIONS=${PARTITIONS:-24} SEED=${SEED:-67}
CONNECT_TIMEOUT_MS=1500
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-300}" --set cluster.replace_after_ms=2000
  --set cluster.peer_timeout_ms=1000)

start_cluster --drain
wait_new_checkpoint 0 || fail "no cluster checkpoint before the partition"
kill -STOP "${NODE_PIDS[n3]}" 2>/dev/null || fail "n3 had already exited: give the test more events"
on_exit 'kill -CONT "${NODE_PIDS[n3]:-0}" 2>/dev/null'
cut_at=$SECONDS
log "n3 cut off (SIGSTOP) after checkpoint $(newest_complete)"
for _ in $(seq 1 300); do
  grep -q "replace n3" "$WORK/node-n1-1.log" && break
  sleep 0.1
done
grep -q "cluster: membership epoch 1 (n1, n2): replace n3 (silent for" "$WORK/node-n1-1.log" \
  || fail "n1 did not replace the cut-off n3 within 30 s"
log "n1 replaced n3 $((SECONDS - cut_at)) s after the cut"
kill -CONT "${NODE_PIDS[n3]}"
wait_cluster
grep -q "replaced this node while it was cut off: asking to join again" "$WORK/node-n3-1.log" \
  || fail "n3 did not ask to join again after the partition healed"
grep -q "joined: membership epoch 2 lists 3 members, this node is member 2" "$WORK/node-n3-1.log" \
  || fail "n3 was not admitted back as member 2 of epoch 2"
check_oracle
"$BIN" cluster status --config "$CLUSTER_CONFIG" "${COMMON_ARGS[@]}" --json --probe-timeout-ms 100 \
  >"$WORK/status.json" 2>/dev/null || true
jq -e '.epoch == 2 and (.members | map(.id)) == ["n1", "n2", "n3"]' "$WORK/status.json" >/dev/null \
  || fail "cluster status after the healing: $(cat "$WORK/status.json")"
log "PASS: n3 of 3 cut off, replaced, healed and admitted back, $EVENTS events, zero differences"
