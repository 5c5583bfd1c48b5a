#!/usr/bin/env bash
# The Redis Cluster routing (runtime/redis/cluster) against a real cluster of
# three masters on loopback: rtfeat_cluster_routing_probe compares key slots
# with CLUSTER KEYSLOT, writes through cluster_pipeline, reads every key back
# from its master, and follows ASK and MOVED while it migrates one slot by hand.
# Nothing in rtfeat routes through it yet (docs/redis-cluster.md).
# Usage: redis_cluster_routing_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/test/integration/lib/work.sh"

PROBE=$(dirname "$BIN")/rtfeat_cluster_routing_probe
[ -x "$PROBE" ] || fail "$PROBE is missing (it is built when RTFEAT_TESTS is on)"
work_dir redis-cluster
PORTS=()
on_exit 'for p in "${PORTS[@]}"; do stop_redis "$p"; done'

# A free port that no node of this test was given yet (nothing binds until start).
used=()
fresh_port() {
  local p
  while :; do
    p=$(free_port)
    [[ " ${used[*]} " == *" $p "* ]] || { echo "$p"; return; }
  done
}

# Each node gets its cluster bus port (cluster-port, Redis 7) from free_port too:
# the default, port + 10000, may land in the ephemeral range.
for i in 1 2 3; do
  port=$(fresh_port) && used+=("$port")
  bus=$(fresh_port) && used+=("$bus")
  PORTS+=("$port")
  start_redis "$port" "$WORK/node-$i" --cluster-enabled yes --cluster-config-file "$WORK/node-$i/nodes.conf" \
    --cluster-port "$bus" --cluster-node-timeout 2000
done

redis-cli --cluster create "${PORTS[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$WORK/create.log" 2>&1 \
  || { cat "$WORK/create.log" >&2; fail "redis-cli --cluster create"; }
for p in "${PORTS[@]}"; do
  for _ in $(seq 1 100); do
    redis-cli -p "$p" CLUSTER INFO | grep -q '^cluster_state:ok' && break
    sleep 0.1
  done
  redis-cli -p "$p" CLUSTER INFO | grep -q '^cluster_state:ok' || fail "node $p: cluster_state is not ok"
done

"$PROBE" 127.0.0.1 "${PORTS[0]}" 3000 || fail "the probe found a routing error"
log "redis cluster routing: ok in ${SECONDS}s"
