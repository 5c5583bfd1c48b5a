# shellcheck shell=bash
# A Redis Cluster for the integration tests (scripts/lib/redis_cluster.sh),
# stopped when the test exits. Source after scripts/lib/common.sh and
# scripts/lib/work.sh, once work_dir has run. Defines functions only.
source "$ROOT/scripts/lib/redis_cluster.sh"

# start_redis_cluster MASTERS REPLICAS_PER_MASTER [NODE_TIMEOUT_MS]: see
# redis_cluster_up; the nodes live under $WORK and stop at exit.
start_redis_cluster() {
  on_exit 'redis_cluster_down'
  redis_cluster_up "$WORK" "$@" || fail "the Redis Cluster did not start"
}

# wait_redis_cluster_ok PORT [SECONDS]: fails unless the node reports cluster_state:ok in time.
wait_redis_cluster_ok() { redis_cluster_ok "$1" "${2:-10}" || fail "redis cluster node $1: cluster_state is not ok"; }

# cluster_job_flags EVENTS_FILE: the node/oracle flags of a file-source job
# writing into the cluster started by start_redis_cluster (sets CLUSTER_JOB).
cluster_job_flags() {
  CLUSTER_JOB=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$1"
    --set source.partitions=4 --set redis.cluster=true --set "redis.nodes=$REDIS_CLUSTER_SEEDS")
}

# redis_cluster_keys: keys held by the masters now (replicas not counted).
redis_cluster_keys() {
  local total=0 p
  for p in $(redis_cluster_masters); do total=$((total + $(redis-cli -p "$p" DBSIZE))); done
  echo "$total"
}

# start_cluster_drain EVENTS SEED: generates EVENTS events and starts `rtfeat node
# --drain` on them into the cluster in the background (NODE_PID; $WORK/node.log,
# $WORK/node.json), killed at exit unless the test waited for it (NODE_PID=).
start_cluster_drain() {
  "$BIN" gen --events "$1" --seed "$2" --out "$WORK/events.jsonl" --summary "$WORK/gen.json"
  cluster_job_flags "$WORK/events.jsonl"
  on_exit '[ -n "${NODE_PID:-}" ] && kill -9 "$NODE_PID" 2>/dev/null'
  "$BIN" node "${CLUSTER_JOB[@]}" --set "dead_letter.path=$WORK/dead-letter.jsonl" --set "checkpoint.dir=$WORK/cp" \
    --set node.progress_interval_ms=1000 --drain --stats "$WORK/node.json" 2>"$WORK/node.log" &
  NODE_PID=$!
}

# wait_cluster_keys N WHAT: until the masters hold more than N keys (mid-run); fails
# when the node ends first, which would leave nothing for WHAT to happen during.
wait_cluster_keys() {
  for _ in $(seq 1 200); do
    [ "$(redis_cluster_keys)" -gt "$1" ] && return 0
    kill -0 "$NODE_PID" 2>/dev/null || fail "the node ended before the $2"
    sleep 0.05
  done
}
