# Latency bench of scripts/bench (sourced): one streaming `rtfeat node` (default config,
# full catalogue, checkpoints every CHECKPOINT_MS) reads from the mock Kafka cluster into
# Redis while build/bench_latency_probe produces generated events at a fixed rate with
# ts = the wall clock at send time and times its probe keys as they appear in Redis.
# The node's /metrics is scraped at the start and end of the measured window: its stage
# histograms (rtfeat_stage_latency_seconds) say where the milliseconds went.
# Rate: LATENCY_RATE, else half of this run's ingest events/s, else 50 000.
# Writes $RESULTS/latency.{json,md} (keys latency.*); fails when the probe run failed.

bench_latency() {
  local dir=$WORK/latency partitions=8 rate=${LATENCY_RATE:-} source="--latency-rate" metrics_port
  if [ -z "$rate" ] && [ -n "${INGEST_EVENTS_PER_S:-}" ]; then
    rate=$(jq -n "$INGEST_EVENTS_PER_S / 2 | floor") source="half of this run's ingest"
  elif [ -z "$rate" ]; then
    rate=50000 source="default (no ingest bench in this run)"
  fi
  [ -x "$BUILD/bench_latency_probe" ] || { log "missing $BUILD/bench_latency_probe"; return 1; }
  mkdir -p "$dir"
  log "latency: $rate events/s ($source) for $LATENCY_SECONDS s, warm-up $LATENCY_WARMUP s," \
    "$partitions partitions, checkpoints every $CHECKPOINT_MS ms"

  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  metrics_port=$(free_port)
  start_mock_kafka "$BIN" "$partitions" events "$dir"
  "$BIN" node --config "$ROOT/config/rtfeat.toml" \
    --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP" --set "source.partitions=$partitions" \
    --set "source.group_id=bench-latency" --set "redis.port=$REDIS_PORT" \
    --set "checkpoint.dir=$dir/checkpoints" --set "checkpoint.interval_ms=$CHECKPOINT_MS" \
    --set "dead_letter.path=$dir/dlq.jsonl" --set "metrics.host=127.0.0.1" --set "metrics.port=$metrics_port" \
    --stats "$dir/node.json" 2>"$dir/node.log" &
  NODE_PID=$!
  local status=0 node_status=0
  "$BUILD/bench_latency_probe" --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --redis-port "$REDIS_PORT" \
    --rate "$rate" --seconds "$LATENCY_SECONDS" --warmup "$LATENCY_WARMUP" --metrics-port "$metrics_port" \
    >"$dir/probe.json" 2>"$dir/probe.log" || status=$?
  kill -TERM "$NODE_PID" 2>/dev/null || true  # the node flushes, checkpoints and exits
  wait "$NODE_PID" || node_status=$?
  NODE_PID=""
  stop_mock_kafka
  log "latency: $(tail -1 "$dir/node.log")"
  if [ "$status" != 0 ] || [ "$node_status" != 0 ]; then
    log "latency: FAILED (probe exit $status, node exit $node_status):"
    sed 's/^/  /' "$dir/probe.log" "$dir/probe.json" >&2
    tail -5 "$dir/node.log" | sed 's/^/  node: /' >&2
    return 1
  fi

  jq --arg src "$source" --argjson parts "$partitions" --argjson cp "$CHECKPOINT_MS" \
    --slurpfile node "$dir/node.json" '
    { latency: ({
        p50_ms, p95_ms, p99_ms, max_ms, min_ms, rate_events_per_s, target_rate, rate_source: $src,
        probes, probes_sent, probes_missing, probe_every, events, seconds, warmup_s, max_lag_ms,
        partitions: $parts, checkpoint_interval_ms: $cp,
        node_checkpoints: $node[0].checkpoints, node_late: $node[0].late }
      + with_entries(select(.key | test("^(stage|producer)_")))) }' \
    "$dir/probe.json" >"$RESULTS/latency.json"
  merge_latest latency

  jq -L "$ROOT/scripts/lib/bench" -r --arg host "$(host_note)" '
    include "format";
    .latency as $l |
    "### latency: event ts -> key visible in Redis, \($l.rate_events_per_s | round) events/s for \($l.seconds | r1) s (\($host))\n",
    "| p50 | p95 | p99 | max | probes | target p99 |", "|---|---|---|---|---|---|",
    "| \($l.p50_ms | r1) ms | \($l.p95_ms | r1) ms | \($l.p99_ms | r1) ms | \($l.max_ms | r1) ms | \($l.probes) | <= 50 ms |",
    "",
    "Rate: \($l.rate_source), target \($l.target_rate) events/s; every \($l.probe_every)-th event a probe;",
    "the first \($l.warmup_s) s not counted; \($l.partitions) partitions; checkpoints every \($l.checkpoint_interval_ms) ms",
    "(\($l.node_checkpoints) taken); sender at most \($l.max_lag_ms | r1) ms behind schedule.",
    "",
    "Where the time goes (stage histograms of the node over the measured window, per routed event;",
    "quantiles interpolated inside 1-2-5 buckets; means add up, quantiles do not):\n",
    "| stage | includes | p50 | p99 | mean | observed |", "|---|---|---|---|---|---|",
    ( [ ["producer_ack", "producer: send() -> broker ack (linger 5 ms, acks=all); overlaps kafka"],
        ["stage_kafka", "Kafka timestamp -> reader poll: linger, broker, fetch"],
        ["stage_reader", "poll -> batch sent to a shard: parse, route, batch"],
        ["stage_shard_queue", "batch sent -> shard starts it: mailbox, barrier hold"],
        ["stage_flush_wait", "shard starts batch -> its changes flushed to the sinks"],
        ["stage_sink_queue", "update batch sent -> its pipeline starts (per key update)"],
        ["stage_redis", "pipeline start -> Redis reply (per key update)"] ][]
      | . as [$k, $what]
      | def v($f): ($l[$k + $f] // null) | if . == null then "-" else (r2 + " ms") end;
        "| \($k | sub("^stage_"; "") | gsub("_"; " ")) | \($what) | \(v("_p50_ms")) | \(v("_p99_ms")) | \(v("_mean_ms")) | \($l[$k + "_count"] // 0) |" ),
    "| end to end | probe ts -> key visible in Redis | \($l.p50_ms | r1) ms | \($l.p99_ms | r1) ms | - | \($l.probes) |"
  ' "$RESULTS/latency.json" | tee "$RESULTS/latency.md"
}
