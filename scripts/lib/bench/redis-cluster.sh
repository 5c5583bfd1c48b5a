# Redis Cluster bench of scripts/bench (sourced): the same drain into one
# redis-server and into a Redis Cluster of 3 masters (no replicas: on this box
# they would only take cores from the masters), in one run:
#   engine -> 1 redis-server   `rtfeat node --drain` (file source, full catalogue)
#   engine -> 3 masters        the same, redis.cluster = true
#   ceilings                   redis-benchmark HSET, pipelined (P128): 1 connection to the one
#                              server; --cluster with one connection per master
# Writes $RESULTS/redis-cluster.{json,md} (key redis_cluster).

# One drain of $2 into Redis, config overrides in $3...; appends a JSON line to $1.
_cluster_bench_drain() {
  local out=$1 events=$2 run=$3
  shift 3
  mkdir -p "$run"
  /usr/bin/time -f '%U %S %M' -o "$run/time.txt" "$BIN" node --config "$ROOT/config/rtfeat.toml" \
    --set source.kind=file --set "source.path=$events" --set source.partitions=8 \
    --set "checkpoint.dir=$run/checkpoints" --set "checkpoint.interval_ms=$CHECKPOINT_MS" \
    --set "dead_letter.path=$run/dlq.jsonl" "$@" --drain --stats "$run/node.json" 2>"$run/node.log" \
    || { log "${run#"$WORK"/}: the node failed: $(tail -3 "$run/node.log")"; return 1; }
  local user_s sys_s rss_kb
  read -r user_s sys_s rss_kb <"$run/time.txt"
  jq -c --argjson cpu "$(jq -n "$user_s + $sys_s")" \
    '{events: .events_read, seconds, events_per_s: (.events_read / .seconds), redis_commands, cpu_s: $cpu,
      moved: .redis_moved}' "$run/node.json" >>"$out"
  log "${run#"$WORK"/}: $(tail -1 "$run/node.log")"
}

_cluster_hset_rate() {  # redis-benchmark arguments; prints requests/s
  redis-benchmark -P 128 -n "$REDIS_N" -r 100000 -q -t hset "$@" 2>/dev/null \
    | tr '\r' '\n' | sed -n 's/.*: \([0-9.]*\) requests per second.*/\1/p' | tail -1
}

bench_redis-cluster() {
  local events=$EVENTS runs=$RUNS dir=$WORK/redis-cluster i
  mkdir -p "$dir"
  log "redis-cluster: $events events into 1 redis-server and into 3 masters, $runs run(s) per side"
  "$BIN" gen --events "$events" --seed 1 --out "$dir/events.jsonl" 2>/dev/null

  for i in $(seq 1 "$runs"); do
    redis-cli -p "$REDIS_PORT" flushall >/dev/null
    _cluster_bench_drain "$dir/single.jsonl" "$dir/events.jsonl" "$dir/single-$i" --set "redis.port=$REDIS_PORT"
  done
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  local single_ceiling cluster_ceiling
  single_ceiling=$(_cluster_hset_rate -p "$REDIS_PORT" -c 1)

  for i in $(seq 1 "$runs"); do  # a fresh cluster per run: every run starts empty
    redis_cluster_up "$dir/cluster-$i" 3 0 || return 1
    _cluster_bench_drain "$dir/cluster.jsonl" "$dir/events.jsonl" "$dir/cluster-$i" --set redis.cluster=true \
      --set "redis.nodes=$REDIS_CLUSTER_SEEDS" || { redis_cluster_down; return 1; }
    [ "$i" = "$runs" ] && cluster_ceiling=$(_cluster_hset_rate --cluster -p "${REDIS_CLUSTER_PORTS[0]}" -c 3)
    redis_cluster_down
  done

  jq -n --slurpfile s <(median "$dir/single.jsonl") --slurpfile c <(median "$dir/cluster.jsonl") \
    --argjson s_ceiling "${single_ceiling:-0}" --argjson c_ceiling "${cluster_ceiling:-0}" \
    --argjson n "$events" --argjson runs "$runs" '
    def side($x; $ceiling): { events_per_s: $x.events_per_s, seconds: $x.seconds,
      redis_commands_per_event: ($x.redis_commands / $x.events),
      redis_commands_per_s: ($x.redis_commands / $x.seconds),
      hset_ceiling_per_s: $ceiling, sink_to_ceiling: (($x.redis_commands / $x.seconds) / $ceiling),
      cpu_s_per_million: ($x.cpu_s / $x.events * 1000000), moved: $x.moved };
    { redis_cluster: { events: $n, runs: $runs,
        single: side($s[0]; $s_ceiling), cluster: side($c[0]; $c_ceiling),
        cluster_to_single: ($c[0].events_per_s / $s[0].events_per_s) } }' >"$RESULTS/redis-cluster.json"
  merge_latest redis-cluster

  jq -L "$ROOT/scripts/lib/bench" -r --arg host "$(host_note)" '
    include "format";
    .redis_cluster as $r |
    "### redis-cluster: \($r.events) events, median of \($r.runs) (\($host))\n",
    "| Redis | events/s | vs 1 server | commands/event | sink commands/s | HSET ceiling (P128) | sink / ceiling | CPU s per M events |",
    "|---|---|---|---|---|---|---|---|",
    "| 1 redis-server | \($r.single.events_per_s | k) | 1 | \($r.single.redis_commands_per_event | r2) | \($r.single.redis_commands_per_s | k) | \($r.single.hset_ceiling_per_s | k) (1 conn) | \($r.single.sink_to_ceiling | r2) | \($r.single.cpu_s_per_million | r2) |",
    "| Redis Cluster, 3 masters | \($r.cluster.events_per_s | k) | \($r.cluster_to_single | r2) | \($r.cluster.redis_commands_per_event | r2) | \($r.cluster.redis_commands_per_s | k) | \($r.cluster.hset_ceiling_per_s | k) (1 conn per master) | \($r.cluster.sink_to_ceiling | r2) | \($r.cluster.cpu_s_per_million | r2) |"
  ' "$RESULTS/redis-cluster.json" | tee "$RESULTS/redis-cluster.md"
}
