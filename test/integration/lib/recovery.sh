# Shared set-up of the recovery tests: a redis-server, the librdkafka mock
# cluster in its own process (it survives the node), generated events produced
# to it, and helpers to run, kill and restore `rtfeat node`. Source it after
# setting BIN, ROOT, EVENTS, PARTITIONS, SEED.
set -euo pipefail
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
source "$ROOT/test/integration/lib/checkpoints.sh"

work_dir recovery
REDIS_PORT=$(free_port)
# With KEEP_WORK=1 the redis-server stays up too: its keys go with the kept checkpoints.
on_exit 'if [ "${KEEP_WORK:-0}" = 1 ]; then log "redis-server still on port $REDIS_PORT"
         else stop_redis "$REDIS_PORT"; fi'
on_exit '[ -n "${MOCK_KAFKA_PID:-}" ] && kill "$MOCK_KAFKA_PID" 2>/dev/null'
on_exit '[ -n "${NODE_PID:-}" ] && kill -9 "$NODE_PID" 2>/dev/null'
fail_shows '$WORK/node-*.log' 5

start_redis "$REDIS_PORT" "$WORK/redis"
start_mock_kafka "$BIN" "$PARTITIONS" events "$WORK"
"$BIN" gen --events "$EVENTS" --seed "$SEED" --out "$WORK/events.jsonl" 2>/dev/null
"$BIN" produce --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --topic events --file "$WORK/events.jsonl" 2>/dev/null

NODE_ARGS=(node --config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS"
  --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP" --set "redis.port=$REDIS_PORT"
  --set "dead_letter.path=$WORK/dead-letter.jsonl" --set "checkpoint.dir=$WORK/checkpoints"
  --set "checkpoint.interval_ms=${CHECKPOINT_MS:-200}" --set "node.progress_interval_ms=0")
RUN=0


# Starts a restoring, draining node in the background; sets NODE_PID and NODE_LOG.
start_node() {
  RUN=$((RUN + 1))
  NODE_LOG=$WORK/node-$RUN.log
  "$BIN" "${NODE_ARGS[@]}" --restore latest --drain >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
}

# Runs a restoring node to the end; fails the test if it does not exit 0.
finish_node() {
  start_node
  wait "$NODE_PID" || { cat "$NODE_LOG" >&2; fail "the final node run failed"; }
  NODE_PID=
}

# The oracle diff over everything produced: must be zero.
check_oracle() {
  "$BIN" oracle --config "$ROOT/config/rtfeat.toml" --set "source.partitions=$PARTITIONS" \
    --events "$WORK/events.jsonl" --redis "127.0.0.1:$REDIS_PORT" --diff \
    || fail "oracle differences after recovery"
}
