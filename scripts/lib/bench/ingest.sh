# Ingest bench of scripts/bench (sourced): N pre-produced events drained by the engine,
# next to its baselines in the same run:
#   engine  `rtfeat node --drain` from the mock Kafka cluster into a real redis-server
#   raw     build/bench_raw_baseline: the same feature states in one plain loop
#   parse   build/bench_parse_baseline: simdjson parse + validation only
#   redis   redis-benchmark, pipelined (P128, one connection): the sink's ceiling
# Writes $RESULTS/ingest.{json,md} (keys ingest.* and redis.*); scripts/bench reads the latency
# bench's pace (INGEST_EVENTS_PER_S) back from ingest.json.

bench_ingest() {
  local events=$EVENTS runs=$RUNS redis_n=$REDIS_N dir=$WORK/ingest
  # The mock cluster keeps ~5 MiB (~35 000 events) per partition; the top users have
  # ~0.8 % of the events each (Zipf) and crowd some partitions: ~10 000 events per partition.
  local partitions=$(( (events + 9999) / 10000 ))
  [ "$partitions" -lt 8 ] && partitions=8
  mkdir -p "$dir"

  log "ingest: $events events, $partitions partitions, $runs run(s) per side, checkpoints every $CHECKPOINT_MS ms"
  "$BIN" gen --events "$events" --seed 1 --out "$dir/events.jsonl" 2>/dev/null
  mock_with_events "$partitions" "$dir" "$dir/events.jsonl"

  # (a) engine: fresh Redis, checkpoint dir and consumer group each run.
  local i
  for i in $(seq 1 "$runs"); do
    drain_node "$dir/engine-$i" "$partitions" "$events" "$dir/engine.jsonl"
  done
  stop_mock_kafka

  # (b) raw and (c) parse baselines.
  for i in $(seq 1 "$runs"); do
    "$BUILD/bench_raw_baseline" --config "$ROOT/config/rtfeat.toml" --events "$dir/events.jsonl" \
      --partitions "$partitions" >>"$dir/raw.jsonl"
    "$BUILD/bench_parse_baseline" --events "$dir/events.jsonl" >>"$dir/parse.jsonl"
  done

  # (d) Redis ceiling: pipelined like the sink (one connection, P128).
  redis_rate() {  # $@ = redis-benchmark arguments; prints requests/s
    redis-benchmark -p "$REDIS_PORT" -P 128 -c 1 -n "$redis_n" -r 100000 -q "$@" 2>/dev/null \
      | tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1
  }
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  local hset lpush zadd
  hset=$(redis_rate -t hset)
  lpush=$(redis_rate -t lpush)
  zadd=$(redis_rate zadd bench:zset __rand_int__ member:__rand_int__)

  jq -n --slurpfile e <(median "$dir/engine.jsonl") --slurpfile r <(median "$dir/raw.jsonl") \
    --slurpfile p <(median "$dir/parse.jsonl") --argjson hset "${hset:-0}" --argjson lpush "${lpush:-0}" \
    --argjson zadd "${zadd:-0}" --argjson n "$events" --argjson parts "$partitions" --argjson runs "$runs" '
    ($e[0]) as $e | ($r[0]) as $r | ($p[0]) as $p |
    { ingest: {
        events: $n, partitions: $parts, runs: $runs,
        events_per_s: $e.events_per_s, seconds: $e.seconds,
        raw_events_per_s: $r.events_per_s, ratio_to_raw: ($e.events_per_s / $r.events_per_s),
        parse_events_per_s: $p.events_per_s,
        redis_commands_per_event: ($e.redis_commands / $e.events),
        redis_commands_per_s: ($e.redis_commands / $e.seconds),
        key_updates_per_event: ($e.key_updates / $e.events),
        cpu_s_per_million: ($e.cpu_s / $e.events * 1000000),
        peak_rss_mb: ($e.peak_rss_kb / 1024),
        checkpoints: $e.checkpoints, checkpoint_ms: $e.checkpoint_ms, checkpoint_bytes: $e.checkpoint_bytes,
        sink_to_ceiling: (($e.redis_commands / $e.seconds) / $hset) },
      redis: { ceiling_hset_per_s: $hset, ceiling_lpush_per_s: $lpush, ceiling_zadd_per_s: $zadd } }' \
    >"$RESULTS/ingest.json"
  merge_latest ingest

  # The table, from ingest.json so what is printed is what was recorded.
  jq -L "$ROOT/scripts/lib/bench" -r --arg host "$(host_note)" '
    include "format";
    .ingest as $i | .redis as $x |
    "### ingest: \($i.events) events, \($i.partitions) partitions, median of \($i.runs) (\($host))\n",
    "| side | events/s | vs raw | notes |", "|---|---|---|---|",
    "| engine (`rtfeat node --drain`) | \($i.events_per_s | k) | \($i.ratio_to_raw | r2) | Kafka mock -> actors -> Redis, \($i.checkpoints) checkpoint(s) |",
    "| raw baseline (one loop, no Redis) | \($i.raw_events_per_s | k) | 1 | same feature states, pre-parsed, flush every 20 480 events |",
    "| parse baseline (simdjson) | \($i.parse_events_per_s | k) | \($i.parse_events_per_s / $i.raw_events_per_s | r2) | parse + validate only |",
    "", "| measure | value |", "|---|---|",
    "| Redis commands per event | \($i.redis_commands_per_event | r2) |",
    "| engine Redis commands/s | \($i.redis_commands_per_s | k) |",
    "| Redis ceiling HSET / LPUSH / ZADD (P128, 1 conn) | \($x.ceiling_hset_per_s | k) / \($x.ceiling_lpush_per_s | k) / \($x.ceiling_zadd_per_s | k) |",
    "| sink / ceiling (commands/s over HSET ceiling) | \($i.sink_to_ceiling | r2) |",
    "| CPU s per million events | \($i.cpu_s_per_million | r2) |",
    "| peak RSS | \($i.peak_rss_mb | r2) MB |",
    "| last checkpoint | \($i.checkpoint_ms) ms, \($i.checkpoint_bytes) bytes |"
  ' "$RESULTS/ingest.json" | tee "$RESULTS/ingest.md"
}
