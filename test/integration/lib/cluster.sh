# Shared set-up of the cluster tests: a redis-server, the librdkafka mock
# cluster in its own process, generated events produced to it, a cluster config
# with N nodes on free loopback ports, and helpers to start, wait for and kill
# `rtfeat node` processes. Source it after setting BIN, ROOT, NODES, EVENTS,
# PARTITIONS, SEED.
set -euo pipefail
ROOT=$(cd "$ROOT" && pwd)  # the generated config names the catalogue by absolute path
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/checkpoints.sh"

work_dir cluster
REDIS_PORT=$(free_port)
declare -A NODE_PIDS=()
on_exit 'stop_redis "$REDIS_PORT"'
on_exit '[ -n "${MOCK_KAFKA_PID:-}" ] && kill "$MOCK_KAFKA_PID" 2>/dev/null'
on_exit 'for pid in "${NODE_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done'
fail_shows '$WORK/node-*.log' 8
json() { jq -r "$2" "$1"; }

start_redis "$REDIS_PORT" "$WORK/redis"
start_mock_kafka "$BIN" "$PARTITIONS" events "$WORK"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" --summary "$WORK/gen.json" 2>/dev/null
"$BIN" produce --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --topic events --file "$WORK/events.jsonl" 2>/dev/null

# The sample cluster config with its node list replaced by $1 nodes on free ports
# (rtfeat cluster config, the writer the drill uses too): writes $2.
write_cluster_config() {
  "$BIN" cluster config --config "$ROOT/config/cluster.toml" --nodes "$1" --out "$2" \
    --set "cluster.connect_timeout_ms=${CONNECT_TIMEOUT_MS:-20000}" 2>/dev/null \
    || fail "rtfeat cluster config could not write $2"
}
CLUSTER_CONFIG=$WORK/cluster.toml
write_cluster_config "$NODES" "$CLUSTER_CONFIG"

COMMON_ARGS=(--set "source.partitions=$PARTITIONS" --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP"
  --set "redis.port=$REDIS_PORT" --set "checkpoint.dir=$WORK/checkpoints"
  --set "checkpoint.interval_ms=${CHECKPOINT_MS:-200}" --set "node.progress_interval_ms=0")
RUN=0

# Starts node $1 (n1, n2, ...) in the background with extra arguments; its log is
# $WORK/node-$1-$RUN.log, its stats $WORK/node-$1-$RUN.json.
start_cluster_node() {
  local id=$1; shift
  "$BIN" node --config "$CLUSTER_CONFIG" --node-id "$id" "${COMMON_ARGS[@]}" \
    --set "dead_letter.path=$WORK/dead-letter-$id.jsonl" --stats "$WORK/node-$id-$RUN.json" "$@" \
    >"$WORK/node-$id-$RUN.log" 2>&1 &
  NODE_PIDS[$id]=$!
}

# Starts every node with the same extra arguments (a new run number).
start_cluster() {
  RUN=$((RUN + 1))
  for i in $(seq 1 "$NODES"); do start_cluster_node "n$i" "$@"; done
}

# Waits for every node of the run; fails the test unless all exit 0.
wait_cluster() {
  local failed=""
  for id in "${!NODE_PIDS[@]}"; do
    wait "${NODE_PIDS[$id]}" || failed="$failed $id"
    unset "NODE_PIDS[$id]"
  done
  [ -z "$failed" ] || fail "node(s)$failed of run $RUN failed"
}

# Fails the test unless every node of the run exits within $1 seconds (then waits for them).
wait_cluster_within() {
  local until=$((SECONDS + $1)) alive
  while [ "$SECONDS" -lt "$until" ]; do
    alive=0
    for id in "${!NODE_PIDS[@]}"; do kill -0 "${NODE_PIDS[$id]}" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  [ "$alive" = 0 ] || fail "node(s) still running $1 s later"
  wait_cluster
}

# SIGKILLs every node of the run.
kill_cluster() {
  for id in "${!NODE_PIDS[@]}"; do
    kill -9 "${NODE_PIDS[$id]}" 2>/dev/null || true
    wait "${NODE_PIDS[$id]}" 2>/dev/null || true
    unset "NODE_PIDS[$id]"
  done
}

# Waits up to 30 s for a complete checkpoint newer than id $1 (from newest_complete: a
# count would stop growing once retention deletes as many as are made); stops early if
# n1 exits. True when one completed.
wait_new_checkpoint() {
  for _ in $(seq 1 600); do
    [ "$(newest_complete)" -gt "$1" ] && return 0
    kill -0 "${NODE_PIDS[n1]}" 2>/dev/null || break
    sleep 0.05
  done
  [ "$(newest_complete)" -gt "$1" ]
}

# Sum of a numeric stats field over the nodes of run $1.
sum_stats() {
  local run=$1 key=$2
  cat "$WORK"/node-n*-"$run".json | jq -s "map($key) | add"
}

# The oracle diff over everything produced: must be zero.
check_oracle() {
  "$BIN" oracle --config "$CLUSTER_CONFIG" --set "source.partitions=$PARTITIONS" \
    --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" --diff --stats "$WORK/oracle.json" \
    || fail "oracle differences"
}
