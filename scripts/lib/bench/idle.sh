# Idle bench of scripts/bench (sourced): the CPU an idle `rtfeat node` costs. A streaming
# node (no --drain) reads an empty topic with the default config and 1 s checkpoints (or
# --checkpoint-ms); after IDLE_WARMUP s, utime+stime from /proc/PID/stat over IDLE_SECONDS s.
# Writes $RESULTS/idle.{json,md} (keys idle.*). Target (issue 13): <= 5 % of a core.

# utime + stime of process $1, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

bench_idle() {
  local dir=$WORK/idle hz t0 t1 pct
  mkdir -p "$dir"
  hz=$(getconf CLK_TCK)
  log "idle: a streaming node on an empty topic, ${IDLE_SECONDS}s after ${IDLE_WARMUP}s"
  start_mock_kafka "$BIN" 8 events "$dir"
  "$BIN" node --config "$ROOT/config/rtfeat.toml" \
    --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP" --set "source.partitions=8" \
    --set "source.group_id=bench-idle" --set "redis.port=$REDIS_PORT" \
    --set "checkpoint.dir=$dir/checkpoints" --set "checkpoint.interval_ms=$CHECKPOINT_MS" \
    --set "dead_letter.path=$dir/dlq.jsonl" --set "node.progress_interval_ms=0" 2>"$dir/node.log" &
  NODE_PID=$!
  sleep "$IDLE_WARMUP"
  kill -0 "$NODE_PID" 2>/dev/null || { log "idle: the node died:"; sed 's/^/  /' "$dir/node.log" >&2; return 1; }
  t0=$(cpu_ticks "$NODE_PID")
  sleep "$IDLE_SECONDS"
  t1=$(cpu_ticks "$NODE_PID")
  kill "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
  stop_mock_kafka
  pct=$(jq -n "($t1 - $t0) / $hz / $IDLE_SECONDS * 100")
  jq -n --argjson p "$pct" --argjson s "$IDLE_SECONDS" --argjson c "$CHECKPOINT_MS" \
    '{idle: {cpu_pct_of_core: $p, seconds: $s, checkpoint_ms: $c}}' >"$RESULTS/idle.json"
  merge_latest idle
  jq -r --arg host "$(host_note)" '
    .idle as $i |
    "### idle: a streaming node with nothing to read (\($host))\n",
    "| CPU of an idle node | measured over | checkpoints every | target |",
    "|---|---|---|---|",
    "| \($i.cpu_pct_of_core * 10 | round / 10) % of a core | \($i.seconds) s | \($i.checkpoint_ms) ms | <= 5 % |"
  ' "$RESULTS/idle.json" | tee "$RESULTS/idle.md"
}
