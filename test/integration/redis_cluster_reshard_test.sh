#!/usr/bin/env bash
# Slots move between Redis Cluster masters while the engine writes into them
# (redis-cli --cluster reshard: SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT
# NODE): the sinks follow ASK while a slot migrates and MOVED once it has
# moved, and the run ends with oracle diff 0 and every key on its slot's master.
# Usage: redis_cluster_reshard_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/redis_cluster.sh"
work_dir redis-cluster-reshard
fail_shows '$WORK/node.log' 30
fail_shows '$WORK/reshard.log' 20

start_redis_cluster 3 0
start_cluster_drain 1000000 13
wait_cluster_keys 20000 resharding
node_id() { redis-cli -p "$1" CLUSTER MYID; }
FROM=$(redis_cluster_masters | head -1)
TO=$(redis_cluster_masters | sed -n 2p)
redis-cli --cluster reshard "127.0.0.1:$FROM" --cluster-from "$(node_id "$FROM")" --cluster-to "$(node_id "$TO")" \
  --cluster-slots 400 --cluster-yes >"$WORK/reshard.log" 2>&1 || fail "redis-cli --cluster reshard failed"
kill -0 "$NODE_PID" 2>/dev/null || fail "the node finished before the resharding did: nothing was written mid-migration"
log "400 slots moved from $FROM to $TO while the node wrote"

wait "$NODE_PID" || fail "the node did not finish after the resharding"
NODE_PID=
redis-cli --cluster check "127.0.0.1:$FROM" >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log" >&2; fail "the cluster is not consistent"; }
"$BIN" oracle "${CLUSTER_JOB[@]}" --events "$WORK/events.jsonl" --diff >"$WORK/oracle.out" 2>"$WORK/oracle.err" \
  || { cat "$WORK/oracle.out" "$WORK/oracle.err" >&2; fail "oracle diff after the resharding is not zero"; }
grep '^diff:' "$WORK/oracle.out" >&2
moved=$(jq .redis_moved "$WORK/node.json") asked=$(jq .redis_ask "$WORK/node.json")
[ "$moved" -gt 0 ] || fail "no write was redirected by MOVED: the sinks never wrote to a moved slot"
log "redis cluster reshard: $moved MOVED and $asked ASK followed, resyncs=$(jq .redis_resyncs "$WORK/node.json"), diff 0; ok in ${SECONDS}s"
