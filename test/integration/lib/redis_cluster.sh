# shellcheck shell=bash
# A Redis Cluster for the integration tests (scripts/lib/redis_cluster.sh),
# stopped when the test exits. Source after scripts/lib/common.sh and
# test/integration/lib/work.sh, once work_dir has run. Defines functions only.
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
