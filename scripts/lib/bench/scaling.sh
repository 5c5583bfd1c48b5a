# Scaling bench of scripts/bench (sourced): engine events/s (`rtfeat node --drain`, as in
# the ingest bench) at a fixed event count against the number of partitions (Zipf 1.1
# users and items, the generator's default) and against key skew (`rtfeat gen --skew S`:
# 0 = uniform) at SCALING_SKEW_PARTITIONS partitions. Median of RUNS runs per point.
# Writes $RESULTS/scaling.{json,md} (scaling.by_partitions, scaling.by_skew).

# Measures skew $1 at $2 partitions once per bench run; the median run goes to
# $WORK/scaling/point-$1-$2.json with the point's skew and partitions added.
scaling_point() {
  local skew=$1 partitions=$2 dir=$WORK/scaling/skew-$1-p$2
  local point=$WORK/scaling/point-$skew-$partitions.json file=$WORK/scaling/events-skew-$1.jsonl
  [ -s "$point" ] && return 0
  [ -s "$file" ] || "$BIN" gen --events "$SCALING_EVENTS" --seed 1 --skew "$skew" --out "$file" 2>/dev/null
  mkdir -p "$dir"
  mock_with_events "$partitions" "$dir" "$file"
  local i
  for i in $(seq 1 "$RUNS"); do
    drain_node "$dir/run-$i" "$partitions" "$SCALING_EVENTS" "$dir/runs.jsonl"
  done
  stop_mock_kafka
  median "$dir/runs.jsonl" | jq --argjson s "$skew" --argjson p "$partitions" \
    '{skew: $s, partitions: $p, events_per_s, seconds, checkpoints,
      redis_commands_per_event: (.redis_commands / .events), cpu_s_per_million: (.cpu_s / .events * 1000000)}' \
    >"$point"
}

bench_scaling() {
  local dir=$WORK/scaling p s
  mkdir -p "$dir"
  log "scaling: $SCALING_EVENTS events; partitions $SCALING_PARTITIONS (skew 1.1);" \
    "skews $SCALING_SKEWS ($SCALING_SKEW_PARTITIONS partitions); $RUNS run(s) per point"
  for p in ${SCALING_PARTITIONS//,/ }; do scaling_point 1.1 "$p"; done
  for s in ${SCALING_SKEWS//,/ }; do scaling_point "$s" "$SCALING_SKEW_PARTITIONS"; done

  local by_p=() by_s=()
  for p in ${SCALING_PARTITIONS//,/ }; do by_p+=("$dir/point-1.1-$p.json"); done
  for s in ${SCALING_SKEWS//,/ }; do by_s+=("$dir/point-$s-$SCALING_SKEW_PARTITIONS.json"); done
  jq -n --argjson n "$SCALING_EVENTS" --argjson runs "$RUNS" \
    --slurpfile bp <(cat "${by_p[@]}") --slurpfile bs <(cat "${by_s[@]}") '
    { scaling: { events: $n, runs: $runs,
        by_partitions: [$bp[] | {partitions, events_per_s, seconds, checkpoints,
                                 redis_commands_per_event, cpu_s_per_million}],
        by_skew: [$bs[] | {skew, partitions, events_per_s, seconds, checkpoints,
                           redis_commands_per_event, cpu_s_per_million}] } }' \
    >"$RESULTS/scaling.json"
  merge_latest scaling

  jq -L "$ROOT/scripts/lib/bench" -r --arg host "$(host_note)" '
    include "format";
    def row($name): "| \($name) | \(.events_per_s | k) | \(.seconds | r2) | \(.redis_commands_per_event | r2) | \(.cpu_s_per_million | r2) |";
    .scaling as $s |
    "### scaling: `rtfeat node --drain` of \($s.events) events, median of \($s.runs) (\($host))\n",
    "| partitions (Zipf 1.1) | events/s | seconds | Redis cmds/event | CPU s per M events |", "|---|---|---|---|---|",
    ($s.by_partitions[] | row(.partitions | tostring)),
    "",
    "| skew (partitions) | events/s | seconds | Redis cmds/event | CPU s per M events |", "|---|---|---|---|---|",
    ($s.by_skew[] | row((if .skew == 0 then "uniform" else "Zipf \(.skew)" end) + " (\(.partitions))"))
  ' "$RESULTS/scaling.json" | tee "$RESULTS/scaling.md"
}
