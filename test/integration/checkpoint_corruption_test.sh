#!/usr/bin/env bash
# A corrupted latest checkpoint: restore falls back to the previous complete
# one with a clear log line, and the run still ends with zero differences.
# Usage: checkpoint_corruption_test.sh RTFEAT_BIN REPO_ROOT
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-200000} PARTITIONS=${PARTITIONS:-16} SEED=${SEED:-12}
source "$ROOT/test/integration/lib/recovery.sh"

# Run until at least two checkpoints are complete, then kill the node.
start_node
for _ in $(seq 1 200); do
  [ "$(ls -d "$WORK"/checkpoints/chk-*/MANIFEST 2>/dev/null | wc -l)" -ge 2 ] && break
  sleep 0.05
done
kill -9 "$NODE_PID"; wait "$NODE_PID" 2>/dev/null || true; NODE_PID=
newest=$(ls -d "$WORK"/checkpoints/chk-*/MANIFEST | sed 's|.*/chk-\([0-9]*\)/MANIFEST|\1|' | sort -n | tail -1)
[ -n "$newest" ] || fail "no complete checkpoint was written"
snap=$(ls "$WORK/checkpoints/chk-$newest"/kg-*.snap | head -1)
# Flip one byte in the middle of the snapshot body.
size=$(stat -c %s "$snap")
byte=$(od -An -tu1 -j $((size / 2)) -N1 "$snap" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$snap" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
log "corrupted $(basename "$snap") of checkpoint $newest"

finish_node
grep -q "checkpoint $newest" "$NODE_LOG" && grep -qi "falling back\|fall back" "$NODE_LOG" \
  || { cat "$NODE_LOG" >&2; fail "no fallback from the corrupted checkpoint $newest was logged"; }
grep -q "restoring checkpoint" "$NODE_LOG" || fail "nothing was restored"
grep -E "checkpoint $newest|restoring" "$NODE_LOG" >&2
check_oracle
log "PASS: corrupted checkpoint $newest skipped, zero differences"
