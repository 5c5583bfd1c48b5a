#!/usr/bin/env bash
# A corrupted latest checkpoint: restore falls back to the previous complete
# one with a clear log line, and the run still ends with zero differences.
# Usage: checkpoint_corruption_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-200000} PARTITIONS=${PARTITIONS:-16} SEED=${SEED:-12} CHECKPOINT_MS=${CHECKPOINT_MS:-100}
source "$ROOT/test/integration/lib/recovery.sh"

# Run (and kill, restart) until two checkpoints are complete: one to corrupt,
# one to fall back to.
for _ in $(seq 1 20); do
  [ "$(complete_count)" -ge 2 ] && break
  start_node
  for _ in $(seq 1 40); do
    [ "$(complete_count)" -ge 2 ] && break
    kill -0 "$NODE_PID" 2>/dev/null || break
    sleep 0.05
  done
  kill -9 "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
done
complete=$(complete_count)
[ "$complete" -ge 2 ] || fail "only $complete complete checkpoint(s): nothing to fall back to"
newest=$(newest_complete)
# The largest snapshot file the newest checkpoint wrote itself, else the largest it
# references: with incremental checkpoints a checkpoint of unchanged key groups
# writes no file of its own, and its manifest points into an older directory (stored_in).
snap=$WORK/checkpoints/$(jq -r --argjson id "$newest" '
  ((.snapshots | map(select(.stored_in == null)) | max_by(.size)) // (.snapshots | max_by(.size)))
  | "chk-\(.stored_in // $id)/\(.file)"' "$WORK/checkpoints/chk-$newest/MANIFEST")
[ -f "$snap" ] || fail "the newest manifest (checkpoint $newest) names $snap, which does not exist"
# Flip one byte in the middle of the snapshot body.
size=$(stat -c %s "$snap")
byte=$(od -An -tu1 -j $((size / 2)) -N1 "$snap" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$snap" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
log "corrupted $(basename "$snap") of checkpoint $newest"

# Restoring with another key-group count must refuse, not load state into the wrong key groups.
if "$BIN" "${NODE_ARGS[@]}" --set engine.max_parallelism=64 --restore latest --drain >"$WORK/mp.log" 2>&1; then
  fail "a restore with another engine.max_parallelism was accepted"
fi
grep -q "engine.max_parallelism 128, this node has 64" "$WORK/mp.log" \
  || { cat "$WORK/mp.log" >&2; fail "no clear error for another engine.max_parallelism"; }

finish_node
grep -q "checkpoint $newest" "$NODE_LOG" && grep -qi "falling back\|fall back" "$NODE_LOG" \
  || { cat "$NODE_LOG" >&2; fail "no fallback from the corrupted checkpoint $newest was logged"; }
grep -q "restoring checkpoint" "$NODE_LOG" || fail "nothing was restored"
grep -E "checkpoint $newest|restoring" "$NODE_LOG" >&2
check_oracle
log "PASS: corrupted checkpoint $newest skipped, zero differences"
