#!/usr/bin/env bash
# Three `rtfeat node` processes on loopback (separate processes, one cluster
# config) drain generated events from Kafka (mock cluster in its own process)
# into one redis-server: zero differences against the oracle, every event read
# exactly once across the nodes, and checkpoints that span all three nodes.
# Usage: cluster_3node_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-300000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-23}
source "$ROOT/test/integration/lib/cluster.sh"

start_cluster --drain
wait_cluster
check_oracle

read_total=$(sum_stats 1 .events_read)
[ "$read_total" = "$EVENTS" ] || fail "the nodes read $read_total events in all, $EVENTS were produced"
for i in 1 2 3; do
  n=$(json "$WORK/node-n$i-1.json" .events_read)
  [ "$n" -gt 0 ] && [ "$n" -lt "$EVENTS" ] || fail "node n$i read $n of $EVENTS events: partitions are not split"
done
malformed=$(json "$WORK/gen.json" .malformed)
[ "$(sum_stats 1 .rejected)" = "$malformed" ] || fail "the nodes rejected $(sum_stats 1 .rejected), $malformed were malformed"
[ "$(cat "$WORK"/dead-letter-n*.jsonl | wc -l)" = "$malformed" ] || fail "dead-letter files do not hold $malformed lines"
late=$(json "$WORK/oracle.json" .late)
[ "$(sum_stats 1 .late)" = "$late" ] || fail "the nodes dropped $(sum_stats 1 .late) late events, the oracle $late"
[ "$(complete_count)" -ge 1 ] || fail "no checkpoint completed across the cluster"
manifest=$(find "$WORK/checkpoints" -name MANIFEST | head -1)
grep -q '"cluster.nodes": "n1,n2,n3"' "$manifest" || fail "$manifest does not name the three nodes"
# Every key group is listed; an unchanged one's file may live in an older checkpoint (incremental).
[ "$(grep -c '"key_group"' "$manifest")" = 256 ] || fail "a checkpoint lacks key groups"
"$BIN" checkpoints --dir "$WORK/checkpoints" verify "$(basename "$(dirname "$manifest")" | sed 's/chk-//')" >/dev/null \
  || fail "a cluster checkpoint does not verify"
# rtfeat cluster status after the drain: every node gone (exit 1), placement
# covering every partition and key group once, and as lag what the newest
# checkpoint's offsets leave of the $EVENTS events produced.
rc=0
"$BIN" cluster status --config "$CLUSTER_CONFIG" "${COMMON_ARGS[@]}" --json >"$WORK/status.json" \
  2>"$WORK/status.log" || rc=$?
[ $rc = 1 ] || fail "cluster status with every node stopped: exit $rc, expected 1: $(cat "$WORK/status.log")"
newest_manifest=$(find "$WORK/checkpoints" -name MANIFEST | sort -V | tail -1)
newest=$(jq .checkpoint_id "$newest_manifest")
lag=$((EVENTS - $(jq '[.positions[].next_offset] | add' "$newest_manifest")))
jq -e --argjson parts "$PARTITIONS" --argjson newest "$newest" --argjson lag "$lag" '
  (.members | map(.id)) == ["n1", "n2", "n3"]
  and all(.members[]; .reachable == false)
  and ([.members[].partitions[]] == [range(0; $parts)])
  and (.members[0].key_groups[0] == 0)
  and (.members[0].key_groups[1] == .members[1].key_groups[0])
  and (.members[1].key_groups[1] == .members[2].key_groups[0])
  and (.members[2].key_groups[1] == .max_parallelism)
  and .checkpoint.id == $newest and .checkpoint_lag == $lag
  and ([.members[].checkpoint_lag] | add) == $lag' "$WORK/status.json" >/dev/null \
  || fail "cluster status: $(cat "$WORK/status.json")"
log "PASS: 3 nodes, $EVENTS events: zero differences, $(complete_count) cluster checkpoints, $malformed dead letters, $late late"
