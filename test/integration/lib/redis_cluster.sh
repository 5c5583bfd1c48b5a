# shellcheck shell=bash
# A Redis Cluster on loopback for the integration tests: real redis-server
# processes with --cluster-enabled yes, joined by redis-cli --cluster create.
# Source after scripts/lib/common.sh and test/integration/lib/work.sh, once
# work_dir has run. Defines functions only.

_cluster_used=()  # ports handed out so far (nothing binds until start)

_cluster_fresh_port() {
  local p
  while :; do
    p=$(free_port)
    [[ " ${_cluster_used[*]} " == *" $p "* ]] || { _cluster_used+=("$p"); echo "$p"; return; }
  done
}

# start_redis_cluster MASTERS REPLICAS_PER_MASTER [NODE_TIMEOUT_MS]
# Starts MASTERS * (1 + REPLICAS) nodes under $WORK/redis-N, creates the
# cluster and waits until every node reports cluster_state:ok. Sets
# REDIS_CLUSTER_PORTS (every node's port, masters first as created) and
# REDIS_CLUSTER_SEEDS ("127.0.0.1:p1,127.0.0.1:p2,...", for --set redis.nodes=).
# Every node is stopped at exit. Each gets its bus port from free_port too: the
# default, port + 10000, may land in the ephemeral range.
start_redis_cluster() {
  local masters=$1 replicas=$2 timeout=${3:-2000} i port bus
  REDIS_CLUSTER_PORTS=()
  on_exit 'for p in "${REDIS_CLUSTER_PORTS[@]}"; do stop_redis "$p"; done'
  for ((i = 1; i <= masters * (1 + replicas); i++)); do
    port=$(_cluster_fresh_port)
    bus=$(_cluster_fresh_port)
    REDIS_CLUSTER_PORTS+=("$port")
    start_redis "$port" "$WORK/redis-$i" --cluster-enabled yes --cluster-config-file "$WORK/redis-$i/nodes.conf" \
      --cluster-port "$bus" --cluster-node-timeout "$timeout"
  done
  redis-cli --cluster create "${REDIS_CLUSTER_PORTS[@]/#/127.0.0.1:}" --cluster-replicas "$replicas" --cluster-yes \
    >"$WORK/redis-cluster-create.log" 2>&1 \
    || { cat "$WORK/redis-cluster-create.log" >&2; fail "redis-cli --cluster create"; }
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do wait_redis_cluster_ok "$port"; done
  REDIS_CLUSTER_SEEDS=$(printf '127.0.0.1:%s,' "${REDIS_CLUSTER_PORTS[@]}")
  REDIS_CLUSTER_SEEDS=${REDIS_CLUSTER_SEEDS%,}
}

# wait_redis_cluster_ok PORT [SECONDS]: fails unless the node reports cluster_state:ok in time.
wait_redis_cluster_ok() {
  local port=$1 tries=$((${2:-10} * 10))
  for ((; tries > 0; tries--)); do
    redis-cli -p "$port" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok' && return 0
    sleep 0.1
  done
  fail "redis cluster node $port: cluster_state is not ok"
}

# redis_cluster_masters: the ports of the nodes that are masters now, one per line.
redis_cluster_masters() {
  redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" CLUSTER NODES | awk '$3 ~ /master/ && $3 !~ /fail/ {split($2, a, "[:@]"); print a[2]}'
}

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
