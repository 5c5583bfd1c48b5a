#!/usr/bin/env bash
# Node loss: three nodes drain Kafka; one is SIGKILLed at a random moment after
# a cluster checkpoint (first n2, then n1, which runs the coordinator). The
# survivors must stop, roll back to the last complete checkpoint and wait; the
# killed node is restarted with --restore latest, every node rejoins, and Redis
# must end exactly equal to the oracle. Each reader is paced
# (source.max_rate_per_partition) so the kills land mid-run on any machine.
# Usage: cluster_node_loss_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-200000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-37}
source "$ROOT/test/integration/lib/cluster.sh"
COMMON_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1500}")
RANDOM=${KILL_SEED:-9}

start_cluster --drain
for victim in n2 n1; do
  before=$(newest_complete)
  wait_new_checkpoint "$before" || fail "no new cluster checkpoint before killing $victim"
  delay_ms=$((RANDOM % 400))
  sleep "$(printf '0.%03d' "$delay_ms")"
  kill -9 "${NODE_PIDS[$victim]}" 2>/dev/null || fail "$victim had already exited: give the test more events"
  wait "${NODE_PIDS[$victim]}" 2>/dev/null || true
  unset "NODE_PIDS[$victim]"
  log "SIGKILL of $victim ${delay_ms} ms after a checkpoint"
  sleep 1  # the operator takes a moment; the survivors roll back and wait meanwhile
  RUN=$((RUN + 1))
  start_cluster_node "$victim" --restore latest --drain
done
wait_cluster
rollbacks=$(grep -l 'rolling back to the last complete checkpoint' "$WORK"/node-*.log | wc -l)
[ "$rollbacks" -ge 2 ] || fail "only $rollbacks node logs show a rollback"
grep -q 'lost node' "$WORK/node-n3-1.log" || fail "n3 never saw a node go"
[ "$(grep -c 'restoring checkpoint' "$WORK/node-n3-1.log")" -ge 2 ] || fail "n3 did not restore after each loss"
check_oracle
log "PASS: 3 nodes, $EVENTS events, n2 then n1 SIGKILLed and restarted, survivors rolled back, zero differences"
