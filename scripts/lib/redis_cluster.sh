# shellcheck shell=bash
# A Redis Cluster on loopback: real redis-server processes with
# --cluster-enabled yes, joined by redis-cli --cluster create. Used by the
# integration tests (test/integration/lib/redis_cluster.sh) and scripts/bench.
# Source after scripts/lib/common.sh. Defines functions only.

_cluster_used=()  # ports handed out so far (nothing binds until start)

_cluster_fresh_port() {
  local p
  while :; do
    p=$(free_port)
    [[ " ${_cluster_used[*]} " == *" $p "* ]] || { _cluster_used+=("$p"); echo "$p"; return; }
  done
}

# redis_cluster_up DIR MASTERS REPLICAS_PER_MASTER [NODE_TIMEOUT_MS]
# Starts MASTERS * (1 + REPLICAS) nodes under DIR/redis-N, creates the cluster
# and waits until every node reports cluster_state:ok; returns 1 (with a log
# line) otherwise. Sets REDIS_CLUSTER_PORTS (masters first, as created) and
# REDIS_CLUSTER_SEEDS ("127.0.0.1:p1,...", for --set redis.nodes=). The caller
# stops them: redis_cluster_down. Each node gets its bus port from free_port
# too: the default, port + 10000, may land in the ephemeral range.
redis_cluster_up() {
  local dir=$1 masters=$2 replicas=$3 timeout=${4:-2000} i port bus
  REDIS_CLUSTER_PORTS=()
  for ((i = 1; i <= masters * (1 + replicas); i++)); do
    port=$(_cluster_fresh_port)
    bus=$(_cluster_fresh_port)
    REDIS_CLUSTER_PORTS+=("$port")
    start_redis "$port" "$dir/redis-$i" --cluster-enabled yes --cluster-config-file "$dir/redis-$i/nodes.conf" \
      --cluster-port "$bus" --cluster-node-timeout "$timeout" || return 1
  done
  if ! redis-cli --cluster create "${REDIS_CLUSTER_PORTS[@]/#/127.0.0.1:}" --cluster-replicas "$replicas" \
      --cluster-yes >"$dir/redis-cluster-create.log" 2>&1; then
    cat "$dir/redis-cluster-create.log" >&2
    log "redis-cli --cluster create failed"
    return 1
  fi
  for port in "${REDIS_CLUSTER_PORTS[@]}"; do redis_cluster_ok "$port" 10 || return 1; done
  redis_cluster_roles "$masters" "$((masters * replicas))" 10 || return 1
  REDIS_CLUSTER_SEEDS=$(printf '127.0.0.1:%s,' "${REDIS_CLUSTER_PORTS[@]}")
  REDIS_CLUSTER_SEEDS=${REDIS_CLUSTER_SEEDS%,}
}

redis_cluster_down() {
  local p
  for p in "${REDIS_CLUSTER_PORTS[@]}"; do stop_redis "$p"; done
  REDIS_CLUSTER_PORTS=()
}

# redis_cluster_ok PORT SECONDS: 0 once the node reports cluster_state:ok, 1 (logged) after SECONDS.
redis_cluster_ok() {
  local port=$1 tries=$(($2 * 10))
  for ((; tries > 0; tries--)); do
    redis-cli -p "$port" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok' && return 0
    sleep 0.1
  done
  log "redis cluster node $port: cluster_state is not ok"
  return 1
}

# A CLUSTER NODES line of a live master that serves slots (fields 9.. are its slot ranges):
# right after --cluster create a replica-to-be is briefly a master without slots in the
# others' view, and no key lives on it.
_SERVING_MASTER='$3 ~ /master/ && $3 !~ /fail/ && NF >= 9'

# redis_cluster_roles MASTERS REPLICAS SECONDS: 0 once the first node sees MASTERS masters
# serving slots and REPLICAS replicas (cluster_state:ok says only that every slot is served).
redis_cluster_roles() {
  local masters=$1 replicas=$2 tries=$(($3 * 10)) nodes
  for ((; tries > 0; tries--)); do
    nodes=$(redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" CLUSTER NODES 2>/dev/null || true)
    if [ "$(awk "$_SERVING_MASTER" <<<"$nodes" | wc -l)" = "$masters" ] \
      && [ "$(awk '$3 ~ /slave/' <<<"$nodes" | wc -l)" = "$replicas" ]; then
      return 0
    fi
    sleep 0.1
  done
  log "redis cluster: not $masters masters and $replicas replicas after $3 s:"
  printf '%s\n' "$nodes" >&2
  return 1
}

# redis_cluster_masters: the ports of the nodes that are masters serving slots now, one per line.
redis_cluster_masters() {
  redis-cli -p "${REDIS_CLUSTER_PORTS[0]}" CLUSTER NODES \
    | awk "$_SERVING_MASTER"' {split($2, a, "[:@]"); print a[2]}'
}
