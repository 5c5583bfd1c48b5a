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
source "$ROOT/scripts/lib/work.sh"

PROBE=$(dirname "$BIN")/rtfeat_cluster_routing_probe
[ -x "$PROBE" ] || fail "$PROBE is missing (it is built when RTFEAT_TESTS is on)"
source "$ROOT/test/integration/lib/redis_cluster.sh"
work_dir redis-cluster
start_redis_cluster 3 0

"$PROBE" 127.0.0.1 "${REDIS_CLUSTER_PORTS[0]}" 3000 || fail "the probe found a routing error"
log "redis cluster routing: ok in ${SECONDS}s"
