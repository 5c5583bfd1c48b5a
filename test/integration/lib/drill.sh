# shellcheck shell=bash
# Shared by the drill tests: a work dir the drills make theirs in, `drill` with
# the repo's cluster config, `expect_refused` (bad flags), `drill_passes` (a
# drill that must pass, its report in $WORK/r.json, $WORK/report.txt and
# $WORK/drill.err) and `report_holds` (a jq condition on that report). Source it
# after setting BIN and ROOT.
set -euo pipefail
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"

# drill_work_dir NAME: $WORK, also the drills' $TMPDIR.
drill_work_dir() {
  work_dir "$1"
  export TMPDIR=$WORK
}

drill() { "$BIN" drill --config "$ROOT/config/cluster.toml" "$@"; }

# expect_refused TEXT ARGS...: the drill exits 2 with TEXT on stderr.
expect_refused() {
  local want=$1; shift
  local rc=0
  drill "$@" 2>"$WORK/err.txt" >/dev/null || rc=$?
  [ "$rc" = 2 ] || fail "drill $* exited $rc, expected 2"
  grep -qF -- "$want" "$WORK/err.txt" || fail "drill $*: expected '$want', got: $(cat "$WORK/err.txt")"
}

# drill_passes ARGS...: runs the drill; on failure shows its report and stderr and fails.
drill_passes() {
  drill "$@" --report "$WORK/r.json" >"$WORK/report.txt" 2>"$WORK/drill.err" \
    || { cat "$WORK/report.txt" "$WORK/drill.err" >&2; fail "the drill failed: drill $*"; }
  cat "$WORK/report.txt" >&2
}

report_holds() { jq -e "$1" "$WORK/r.json" >/dev/null || fail "report: $1 does not hold: $(cat "$WORK/r.json")"; }
