#!/usr/bin/env bash
# Stopping a cluster: three unbounded nodes (no --drain) read everything (a
# cluster checkpoint covers every event), then only n3 gets SIGTERM. It must
# pass the stop on: every node stops reading, flushes and exits 0, and Redis
# equals the oracle.
# Usage: cluster_stop_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-12} SEED=${SEED:-43}
source "$ROOT/test/integration/lib/cluster.sh"

# No idle partition may advance the watermark past the drained one the oracle uses.
start_cluster --set watermark.idle_timeout_ms=600000
covered=0
for _ in $(seq 1 1200); do
  manifest=$({ find "$WORK/checkpoints" -name MANIFEST 2>/dev/null || true; } | sort -V | tail -1)
  if [ -n "$manifest" ]; then
    covered=$({ grep -o '"next_offset": [0-9]*' "$manifest" || true; } | awk '{s += $2} END {print s + 0}')
    [ "$covered" = "$EVENTS" ] && break
  fi
  sleep 0.05
done
[ "$covered" = "$EVENTS" ] || fail "no checkpoint covers all $EVENTS events (newest covers $covered)"
kill -TERM "${NODE_PIDS[n3]}"
wait_cluster_within 60
for i in 1 2; do grep -q "node 'n3' stops the cluster" "$WORK/node-n$i-1.log" || fail "n$i did not hear of n3's stop"; done
check_oracle
log "PASS: SIGTERM to n3 stopped all 3 nodes cleanly, zero differences"
