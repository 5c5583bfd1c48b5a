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

  jq -L "$ROOT/scripts/lib/bench" -r --arg host "$(host_note)" '
    include "format";
    .checkpoint as $c |
    "### checkpoint: state of \($c.users) users (\($host))\n",
    "| | first checkpoint (whole state) | next one, \($c.changed_users) users changed | restore | target (issue 13) |",
    "|---|---|---|---|---|",
    "| shard pause at the barrier (wall / CPU of the slowest shard) | \($c.encode_ms | r1) ms (wall) | \($c.incremental_encode_ms | r2) ms / \($c.incremental_encode_cpu_ms // 0 | r2) ms | | <= 5 ms at 1 M users |",
    "| saves after flushes, before the barrier (CPU, slowest shard) | | \($c.incremental_presave_cpu_ms // 0 | r1) ms | | off the barrier |",
    "| writer: files written (references are the rest) | | \($c.incremental_ms - $c.incremental_encode_ms | r1) ms, \($c.incremental_files // 0) files | | in the background |",
    "| restore (verify and read + hand out + decode) | | | \($c.restore_ms | r1) ms (\($c.verify_ms // 0 | r1) + \($c.read_ms // 0 | r1) + \($c.decode_ms // 0 | r1)) | <= 2 s at 1 M users |",
    "",
    "\($c.keys) keys, \($c.bytes) bytes. A shard pauses for the barrier save only; the snapshot writer merges and writes in the background."
' "$RESULTS/checkpoint.json" | tee "$RESULTS/checkpoint.md"
}
