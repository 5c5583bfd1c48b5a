#!/usr/bin/env bash
# Rescale from a checkpoint: two nodes drain Kafka and are SIGKILLed after a
# cluster checkpoint; three nodes with a longer node list restore it (key
# groups and partitions are redistributed by placement) and are SIGKILLed after
# a checkpoint of their own; two nodes restore that one and drain to the end.
# Redis must end exactly equal to the oracle. The readers are paced
# (source.max_rate_per_partition) so the kills land mid-run on any machine.
# Usage: cluster_rescale_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=2 EVENTS=${EVENTS:-200000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-41}
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1500}")
TWO=$CLUSTER_CONFIG THREE=$WORK/cluster-3.toml
write_cluster_config 3 "$THREE"

# Runs the cluster of config $1 with $2 nodes until it completes a checkpoint, then SIGKILLs it.
run_until_checkpoint() {
  CLUSTER_CONFIG=$1 NODES=$2
  local before
  before=$(newest_complete)
  start_cluster --restore latest --drain
  wait_new_checkpoint "$before" || fail "the $2-node run completed no checkpoint"
  kill -0 "${NODE_PIDS[n1]}" 2>/dev/null || fail "the $2-node run ended before the kill: give the test more events"
  kill_cluster
  log "$2 nodes: SIGKILLed after checkpoint $(newest_complete)"
}

run_until_checkpoint "$TWO" 2
run_until_checkpoint "$THREE" 3
grep -q "restoring checkpoint" "$WORK/node-n3-2.log" || fail "the 3-node run did not restore"
CLUSTER_CONFIG=$TWO NODES=2
start_cluster --restore latest --drain
wait_cluster
grep -q "restoring checkpoint" "$WORK/node-n1-3.log" || fail "the last 2-node run did not restore"
check_oracle
log "PASS: 2 -> 3 -> 2 nodes through checkpoints, $EVENTS events, zero differences"
