#!/usr/bin/env bash
# Stopping a cluster: three unbounded nodes (no --drain) read everything (a
# cluster checkpoint covers every event), then only n3 gets SIGTERM. It must
# pass the stop on: every node stops reading, flushes and exits 0, and Redis
# equals the oracle. Meanwhile each node's /metrics is scraped.
# Usage: cluster_stop_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 NODES=3 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-12} SEED=${SEED:-43}
source "$ROOT/test/integration/lib/cluster.sh"

# No idle partition may advance the watermark past the drained one the oracle uses.
# Each node serves /metrics on a port of its own (docs/metrics.md), checked below.
RUN=1
declare -A METRICS_PORTS=()
for i in $(seq 1 "$NODES"); do
  METRICS_PORTS[n$i]=$(free_listen_port)
  start_cluster_node "n$i" --set watermark.idle_timeout_ms=600000 --set "metrics.port=${METRICS_PORTS[n$i]}"
done
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

# Every node's own metrics: its id as the label; together they read every event;
# checkpoints are counted where the coordinator runs (n1) only.
read_total=0
for i in $(seq 1 "$NODES"); do
  curl -sf "http://127.0.0.1:${METRICS_PORTS[n$i]}/metrics" >"$WORK/metrics-n$i.txt" || fail "n$i serves no /metrics"
  grep -q "^rtfeat_node_info{node=\"n$i\"} 1$" "$WORK/metrics-n$i.txt" || fail "n$i: no rtfeat_node_info{node=\"n$i\"}"
  read_total=$((read_total + $(awk '$1 == "rtfeat_events_read_total" { print $2 }' "$WORK/metrics-n$i.txt")))
  completed=$(awk '$1 == "rtfeat_checkpoints_completed_total" { print $2 }' "$WORK/metrics-n$i.txt")
  if [ "$i" = 1 ]; then [ "$completed" -gt 0 ] || fail "n1 counts no completed checkpoint"
  else [ "$completed" = 0 ] || fail "n$i counts $completed checkpoints: only the coordinator's node should"; fi
done
[ "$read_total" = "$EVENTS" ] || fail "the nodes' rtfeat_events_read_total add up to $read_total, not $EVENTS"
if command -v promtool >/dev/null; then promtool check metrics <"$WORK/metrics-n2.txt" >&2 || fail "promtool rejects n2's /metrics"; fi
kill -TERM "${NODE_PIDS[n3]}"
wait_cluster_within 60
for i in 1 2; do grep -q "node 'n3' stops the cluster" "$WORK/node-n$i-1.log" || fail "n$i did not hear of n3's stop"; done
check_oracle
log "PASS: SIGTERM to n3 stopped all 3 nodes cleanly, zero differences; per-node /metrics add up"
