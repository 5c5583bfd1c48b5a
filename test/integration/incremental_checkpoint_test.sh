#!/usr/bin/env bash
# Incremental checkpoints: once a node is idle, its checkpoints reference the
# key-group files an older checkpoint wrote instead of writing them again;
# restore follows the references (zero differences), and a corrupt referenced
# file makes restore fall back past every checkpoint sharing it (zero again).
# Usage: incremental_checkpoint_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-100000} PARTITIONS=${PARTITIONS:-8} SEED=${SEED:-13} CHECKPOINT_MS=${CHECKPOINT_MS:-200}
source "$ROOT/test/integration/lib/recovery.sh"
NODE_ARGS+=(--set checkpoint.keep=1000)  # keep the checkpoints to fall back to

manifest_of() { echo "$WORK/checkpoints/chk-$1/MANIFEST"; }
entries() { grep -c '"key_group"' "$(manifest_of "$1")"; }
references() { grep -c '"stored_in"' "$(manifest_of "$1")" || true; }

# A streaming node (no --drain) runs until `cond` holds, then is killed.
run_until() {
  local cond=$1 what=$2
  RUN=$((RUN + 1))
  NODE_LOG=$WORK/node-$RUN.log
  "$BIN" "${NODE_ARGS[@]}" --restore latest >"$NODE_LOG" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 1 600); do
    $cond && break
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$NODE_LOG" >&2; fail "the node died"; }
    sleep 0.1
  done
  kill -9 "$NODE_PID" 2>/dev/null || true
  wait "$NODE_PID" 2>/dev/null || true
  NODE_PID=
  $cond || fail "$what: not within 60 s"
}

# Run 1: a crash part-way, with a few checkpoints of a state still growing.
two_complete() { [ "$(complete_count)" -ge 2 ]; }
run_until two_complete "two checkpoints"
first_run_newest=$(newest_complete)
# Run 2: reads the rest, then idles; its idle checkpoints reference every file.
idle_checkpoint() {
  local n
  n=$(newest_complete)
  [ "$n" -gt "$first_run_newest" ] && [ "$(references "$n")" = "$(entries "$n")" ] \
    && [ "$(entries "$n")" -gt 0 ]
}
run_until idle_checkpoint "a checkpoint referencing all its key groups"
newest=$(newest_complete)
kg_files=$(find "$WORK/checkpoints/chk-$newest" -name 'kg-*.snap' | wc -l)
[ "$kg_files" = 0 ] || fail "checkpoint $newest references every key group but wrote $kg_files files"
homes=$(grep -o '"stored_in": [0-9]*' "$(manifest_of "$newest")" | sort -u | wc -l)
own=$(du -sb "$WORK/checkpoints/chk-$newest" | cut -f1)
all=$(awk -F'"size": ' 'NF > 1 { split($2, a, ","); s += a[1] } END { print s }' "$(manifest_of "$newest")")
log "checkpoint $newest: $(entries "$newest") key groups ($all bytes) in $homes older checkpoints, its own directory holds $own bytes"
[ "$own" -lt "$all" ] || fail "the incremental checkpoint wrote $own bytes, its state is $all"
"$BIN" checkpoints --dir "$WORK/checkpoints" verify latest | tee "$WORK/verify.txt" >&2
grep -q "OK: .* $(entries "$newest") of them referenced" "$WORK/verify.txt" || fail "verify does not follow the references"

# The newest referenced home holds a file written by run 2: corrupt it (a copy
# first: restore from the intact store comes first).
cp -a "$WORK/checkpoints" "$WORK/intact"
home=$(grep -o '"stored_in": [0-9]*' "$(manifest_of "$newest")" | grep -o '[0-9]*$' | sort -n | tail -1)
snap=$(find "$WORK/checkpoints/chk-$home" -name 'kg-*.snap' -printf '%s %p\n' | sort -n | tail -1 | cut -d' ' -f2)
size=$(stat -c %s "$snap")
byte=$(od -An -tu1 -j $((size / 2)) -N1 "$snap" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$snap" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
log "corrupted chk-$home/$(basename "$snap"), referenced by checkpoint $newest"
"$BIN" checkpoints --dir "$WORK/checkpoints" verify "$newest" >"$WORK/verify-bad.txt" 2>&1 \
  && fail "verify of checkpoint $newest passed with a corrupt referenced file"
grep -q "referenced file of checkpoint $home" "$WORK/verify-bad.txt" || { cat "$WORK/verify-bad.txt" >&2; fail "verify does not name the referenced file"; }

# Restore from the corrupt store: falls back below checkpoint $home, replays, diff 0.
finish_node
grep -q "checkpoint $newest: .*referenced file of checkpoint $home.*falling back" "$NODE_LOG" \
  || { cat "$NODE_LOG" >&2; fail "no fallback from checkpoint $newest was logged"; }
restored=$(sed -n 's/.*restoring checkpoint \([0-9]*\).*/\1/p' "$NODE_LOG" | head -1)
[ -n "$restored" ] && [ "$restored" -lt "$home" ] || fail "restored checkpoint '${restored}', expected one older than $home"
check_oracle
log "fallback: restored checkpoint $restored (older than the corrupt file's $home), zero differences"

# Restore from the intact store: the references are followed, diff 0.
rm -rf "$WORK/checkpoints" && mv "$WORK/intact" "$WORK/checkpoints"
finish_node
grep -q "restoring checkpoint $newest " "$NODE_LOG" || { cat "$NODE_LOG" >&2; fail "checkpoint $newest was not restored"; }
check_oracle
log "PASS: idle checkpoint $newest referenced all $(entries "$newest") key groups; restore from it and the fallback past a corrupt referenced file both give zero differences"
