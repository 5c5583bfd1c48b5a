#!/usr/bin/env bash
# Exactly-once under SIGKILL: a node draining Kafka (mock cluster in its own
# process) is killed 5 times at random moments (most of them while a
# checkpoint is in flight, at 200 ms intervals), restarted each time with
# `--restore latest`, then drained; Redis must equal the oracle exactly.
# Usage: crash_recovery_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-400000} PARTITIONS=${PARTITIONS:-24} SEED=${SEED:-11}
source "$ROOT/test/integration/lib/recovery.sh"
RANDOM=${KILL_SEED:-7}  # the kill moments are random but repeatable

for kill in 1 2 3 4 5; do
  start_node
  delay_ms=$((800 + RANDOM % 2500))
  sleep "$(printf '0.%03d' $((delay_ms % 1000)))"; sleep $((delay_ms / 1000))
  if kill -9 "$NODE_PID" 2>/dev/null; then  # fails when the node already finished
    log "kill $kill: SIGKILL after ${delay_ms} ms ($(grep -o 'restoring checkpoint [0-9]*' "$NODE_LOG" || echo 'fresh start'))"
  else
    log "kill $kill: the node had already finished after ${delay_ms} ms"
  fi
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
done
finish_node
grep -h 'restoring checkpoint' "$WORK"/node-*.log >&2 || true
restores=$(grep -l "restoring checkpoint" "$WORK"/node-*.log | wc -l) || true
[ "$restores" -ge 3 ] || fail "only $restores runs restored a checkpoint: the test did not exercise recovery"
check_oracle
log "PASS: $EVENTS events, 5 SIGKILLs, $restores restores, zero differences"
