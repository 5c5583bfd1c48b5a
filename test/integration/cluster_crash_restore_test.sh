#!/usr/bin/env bash
# Restore on a cluster with the same node list: three nodes drain Kafka, all
# three are SIGKILLed at a random moment after a cluster checkpoint completed,
# twice, and restarted with `--restore latest`; every node must restore the
# same checkpoint (its key groups and partitions) and Redis must end exactly
# equal to the oracle. The readers are paced (source.max_rate_per_partition)
# so the kills land mid-run on any machine.
# Usage: cluster_crash_restore_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-200000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-29}
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1500}")
RANDOM=${KILL_SEED:-5}

for kill in 1 2; do
  before=$(newest_complete)
  start_cluster --restore latest --drain
  wait_new_checkpoint "$before" || fail "run $RUN completed no checkpoint before it ended"
  delay_ms=$((RANDOM % 400))
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -0 "${NODE_PIDS[n1]}" 2>/dev/null || fail "run $RUN finished before the kill: give the test more events"
  kill_cluster
  log "kill $kill: SIGKILL of all 3 nodes ${delay_ms} ms after a checkpoint"
done
start_cluster --restore latest --drain
wait_cluster
for i in 1 2 3; do
  for run in 2 3; do
    grep -q 'restoring checkpoint' "$WORK/node-n$i-$run.log" || fail "node n$i did not restore in run $run"
  done
done
restored=$(grep -ho 'restoring checkpoint [0-9]*' "$WORK"/node-n*-3.log | sort -u | wc -l)
[ "$restored" = 1 ] || fail "the nodes of the last run restored different checkpoints"
check_oracle
last=$(grep -ho 'restoring checkpoint [0-9]*' "$WORK/node-n1-3.log" | grep -o '[0-9]*$')
log "PASS: 3 nodes, $EVENTS events, 2 whole-cluster SIGKILLs, last run restored checkpoint $last, zero differences"
