#!/usr/bin/env bash
# Slots move between Redis Cluster masters while the engine writes into them
# (redis-cli --cluster reshard: SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT
# NODE): the sinks follow ASK while a slot migrates and MOVED once it has
# moved, and the run ends with oracle diff 0 and every key on its slot's master.
# Usage: redis_cluster_reshard_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/test/integration/lib/work.sh"
source "$ROOT/test/integration/lib/redis_cluster.sh"
work_dir redis-cluster-reshard
fail_shows '$WORK/node.log' 30
fail_shows '$WORK/reshard.log' 20
on_exit '[ -n "${NODE_PID:-}" ] && kill -9 "$NODE_PID" 2>/dev/null'

start_redis_cluster 3 0
"$BIN" gen --events 1000000 --seed 13 --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
cluster_job_flags "$WORK/events.jsonl"
"$BIN" node "${CLUSTER_JOB[@]}" --set "dead_letter.path=$WORK/dead-letter.jsonl" --set "checkpoint.dir=$WORK/cp" \
  --set node.progress_interval_ms=1000 --drain --stats "$WORK/node.json" 2>"$WORK/node.log" &
NODE_PID=$!

for _ in $(seq 1 200); do
  [ "$(redis_cluster_keys)" -gt 20000 ] && break
  kill -0 "$NODE_PID" 2>/dev/null || fail "the node ended before the resharding"
  sleep 0.05
done
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
