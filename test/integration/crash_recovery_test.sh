#!/usr/bin/env bash
# Exactly-once under SIGKILL: a node draining Kafka (mock cluster in its own
# process) is killed 5 times at random moments after each run's first
# checkpoint (most of them while the next checkpoint is in flight, at 200 ms
# intervals), restarted each time with `--restore latest`, then drained;
# Redis must equal the oracle exactly. The readers are paced
# (source.max_rate_per_partition) so all five kills land mid-run on any machine.
# Usage: crash_recovery_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-300000} PARTITIONS=${PARTITIONS:-32} SEED=${SEED:-11}
source "$ROOT/test/integration/lib/recovery.sh"
NODE_ARGS+=(--set "source.max_rate_per_partition=${RATE:-1000}")
RANDOM=${KILL_SEED:-7}  # the kill moments are random but repeatable

kills=0
for kill in 1 2 3 4 5; do
  before=$(newest_complete)
  start_node
  # Wait for this run to complete a checkpoint of its own (so the next run has
  # something newer to restore), then kill it at a random moment after that:
  # with 200 ms intervals most kills land while the next checkpoint is in flight.
  for _ in $(seq 1 400); do
    [ "$(newest_complete)" -gt "$before" ] && break
    kill -0 "$NODE_PID" 2>/dev/null || break
    sleep 0.05
  done
  delay_ms=$((RANDOM % 1200))
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  if kill -9 "$NODE_PID" 2>/dev/null; then  # fails when the node already finished
    kills=$((kills + 1))
    log "kill $kill: SIGKILL ${delay_ms} ms after a checkpoint ($(grep -o 'restoring checkpoint [0-9]*' "$NODE_LOG" || echo 'fresh start'))"
  else
    log "kill $kill: the node had already finished"
  fi
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
done
[ "$kills" -eq 5 ] || fail "only $kills of 5 kills hit a running node: give the test more events"
finish_node
grep -h 'restoring checkpoint' "$WORK"/node-*.log >&2 || true
restores=$(grep -l "restoring checkpoint" "$WORK"/node-*.log | wc -l) || true
[ "$restores" -ge 3 ] || fail "only $restores runs restored a checkpoint: the test did not exercise recovery"
check_oracle
log "PASS: $EVENTS events, $kills SIGKILLs, $restores restores, zero differences"
