# shellcheck shell=bash
# What the recovery and cluster tests read of $WORK/checkpoints: how many
# complete checkpoints are there (retention keeps checkpoint.keep of them, 3 by
# default), and the newest one's id. 0 before the directory exists.
complete_count() { { find "$WORK/checkpoints" -name MANIFEST 2>/dev/null || true; } | wc -l; }
newest_complete() {
  { find "$WORK/checkpoints" -name MANIFEST 2>/dev/null || true; } \
    | sed 's|.*/chk-\([0-9]*\)/MANIFEST|\1|' | sort -n | tail -1 | grep . || echo 0
}
