# Helpers shared by the benches of scripts/bench (sourced after scripts/lib/common.sh).
# They use the globals scripts/bench sets: ROOT BIN BUILD WORK RESULTS REDIS_PORT CHECKPOINT_MS.
# Defines functions only.

# Median of the runs in file $1 (one JSON object a line) by events_per_s.
median() { jq -s 'sort_by(.events_per_s) | .[(length / 2 | floor)]' "$1"; }

stop_mock_kafka() {
  [ -n "${MOCK_KAFKA_PID:-}" ] || return 0
  kill "$MOCK_KAFKA_PID" 2>/dev/null || true
  wait "$MOCK_KAFKA_PID" 2>/dev/null || true
  MOCK_KAFKA_PID=""
}

# Starts a fresh mock cluster with topic `events` of $1 partitions (files in $2) and
# produces the JSONL file $3 into it.
mock_with_events() {
  local partitions=$1 dir=$2 file=$3
  start_mock_kafka "$BIN" "$partitions" events "$dir"
  "$BIN" produce --bootstrap "$MOCK_KAFKA_BOOTSTRAP" --topic events --file "$file" 2>"$dir/produce.log"
}

# One `rtfeat node --drain` (default config, full catalogue) from the running mock
# cluster into a flushed Redis: run dir $1, partitions $2, events produced $3.
# Appends the run's figures as one JSON line to $4. Fails when the node read fewer
# events than produced: it starts at each partition's low watermark, so fewer means
# the mock cluster dropped some before they were read.
drain_node() {
  local run=$1 partitions=$2 events=$3 out=$4
  redis-cli -p "$REDIS_PORT" flushall >/dev/null
  redis-cli -p "$REDIS_PORT" config resetstat >/dev/null  # commandstats: this run's commands only
  mkdir -p "$run"
  redis-cli -p "$REDIS_PORT" info cpu >"$run/redis-cpu-before.txt"
  /usr/bin/time -f '%U %S %M' -o "$run/time.txt" "$BIN" node --config "$ROOT/config/rtfeat.toml" \
    --set "source.bootstrap=$MOCK_KAFKA_BOOTSTRAP" --set "source.partitions=$partitions" \
    --set "source.group_id=bench-$(basename "$run")" --set "redis.port=$REDIS_PORT" \
    --set "checkpoint.dir=$run/checkpoints" --set "checkpoint.interval_ms=$CHECKPOINT_MS" \
    --set "dead_letter.path=$run/dlq.jsonl" --drain --stats "$run/node.json" 2>"$run/node.log"
  redis-cli -p "$REDIS_PORT" info commandstats >"$run/redis-commandstats.txt"  # which commands, by name
  redis-cli -p "$REDIS_PORT" info cpu >"$run/redis-cpu-after.txt"  # Redis's own CPU for this run
  local user_s sys_s rss_kb read_n
  read -r user_s sys_s rss_kb <"$run/time.txt"
  read_n=$(jq .events_read "$run/node.json")
  if [ "$read_n" != "$events" ]; then
    log "${run#"$WORK"/}: the node read $read_n of $events events: the mock cluster dropped data" \
      "(~5 MiB per partition); use more partitions or fewer events"
    return 1
  fi
  jq -c --argjson cpu "$(jq -n "$user_s + $sys_s")" --argjson rss "$rss_kb" \
    '{events: .events_read, seconds, events_per_s: (.events_read / .seconds), redis_commands,
      key_updates, checkpoints, checkpoint_ms: .last_checkpoint_ms,
      checkpoint_bytes: .last_checkpoint_bytes, cpu_s: $cpu, peak_rss_kb: $rss}' \
    "$run/node.json" >>"$out"
  log "${run#"$WORK"/}: $(tail -1 "$run/node.log")"
}

# Merges $RESULTS/$1.json (one top-level object per bench) into $RESULTS/latest.json.
merge_latest() {
  local part=$RESULTS/$1.json
  if [ -s "$RESULTS/latest.json" ] && jq -e . "$RESULTS/latest.json" >/dev/null 2>&1; then
    jq -s '.[0] * .[1]' "$RESULTS/latest.json" "$part" >"$WORK/latest.json"
  else
    cp "$part" "$WORK/latest.json"
  fi
  mv "$WORK/latest.json" "$RESULTS/latest.json"
}

# The host line under each table: the box is shared, numbers swing.
host_note() { echo "$(nproc) cores (shared), $(date -u +%Y-%m-%d)"; }
