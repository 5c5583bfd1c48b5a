# Checkpoint bench of scripts/bench (sourced): build/bench_checkpoint (bench/checkpoint.cpp)
# snapshots and restores the state of CHECKPOINT_USERS users and prints one JSON object
# (at least duration_ms, incremental_ms, restore_ms, keys, bytes). Writes $RESULTS/checkpoint.{json,md} (keys checkpoint.*).

bench_checkpoint() {
  local dir=$WORK/checkpoint prog=$BUILD/bench_checkpoint key
  [ -x "$prog" ] || { log "missing $prog"; return 1; }
  mkdir -p "$dir"
  log "checkpoint: $CHECKPOINT_USERS users"
  "$prog" --config "$ROOT/config/rtfeat.toml" --users "$CHECKPOINT_USERS" --dir "$dir/store" \
    >"$dir/out.json" 2>"$dir/log.txt" \
    || { log "checkpoint: FAILED:"; sed 's/^/  /' "$dir/log.txt" >&2; return 1; }
  for key in duration_ms incremental_ms incremental_encode_ms changed_users restore_ms keys bytes; do
    jq -e ".$key | type == \"number\"" "$dir/out.json" >/dev/null \
      || { log "checkpoint: output has no number $key: $(head -c 300 "$dir/out.json")"; return 1; }
  done
  jq --argjson u "$CHECKPOINT_USERS" '{checkpoint: ({users: $u} + .)}' "$dir/out.json" \
    >"$RESULTS/checkpoint.json"
  merge_latest checkpoint

  jq -r --arg host "$(host_note)" '
    def r1: . * 10 | round / 10 | tostring;
    .checkpoint as $c |
    "### checkpoint: state of \($c.users) users (\($host))\n",
    "| checkpoint (encode + write) | next one, \($c.changed_users) users changed (encode + write) | restore | keys | bytes | target |",
    "|---|---|---|---|---|---|",
    "| \($c.duration_ms | r1) ms (\($c.encode_ms | r1) + \($c.write_ms | r1)) | \($c.incremental_ms | r1) ms (\($c.incremental_encode_ms | r1) + \($c.incremental_ms - $c.incremental_encode_ms | r1)) | \($c.restore_ms | r1) ms | \($c.keys) | \($c.bytes) | <= 1 s, restore <= 5 s |",
    "",
    "A shard pauses for the encode only; the snapshot writer writes in the background."
  ' "$RESULTS/checkpoint.json" | tee "$RESULTS/checkpoint.md"
}
