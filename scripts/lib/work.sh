# shellcheck shell=bash
# The bookkeeping every integration test shares: its work dir, the cleanup
# steps run when it exits (however it exits), and `fail`, which shows the logs
# that explain a failure; also the benches' work dir and cleanup. Source it
# after scripts/lib/common.sh (it uses log).
# It defines functions only; a test calls work_dir NAME to start.

_work_steps=()  # on_exit steps, in the order registered
_work_shows=()  # "LINES PATTERN" per fail_shows

# Makes $WORK (${TMPDIR:-/tmp}/rtfeat-NAME.XXXXXX) and, at exit, runs the
# on_exit steps newest first, then removes $WORK unless KEEP_WORK=1. The
# test's exit code is kept: a failing test still fails.
work_dir() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtfeat-$1.XXXXXX")
  trap _work_exit EXIT
}

# Registers shell code to run at exit. Single-quote it: it is evaluated then,
# so it sees what is set later ('kill -9 "$SERVE_PID"'). A step that fails
# does not stop the others.
on_exit() { _work_steps+=("$1"); }

# On fail, show the last LINES (default 10) of each file PATTERN names. Like
# an on_exit step, PATTERN is evaluated when fail runs, so '$NODE_LOG' is the
# log of the node that ran last and '$WORK/node-*.log' every node's.
fail_shows() { _work_shows+=("${2:-10} $1"); }

fail() {
  log "FAIL: $*"
  local entry
  for entry in "${_work_shows[@]}"; do _work_tail "${entry%% *}" "${entry#* }"; done
  exit 1
}

_work_tail() {  # LINES PATTERN
  local lines=$1 pattern f
  pattern=$(set +u; eval "printf '%s' \"$2\"")  # without -u: a variable not yet set names nothing
  local IFS=  # the glob expands, a path with spaces stays one
  for f in $pattern; do
    if [ -f "$f" ]; then log "--- $f"; tail -n "$lines" "$f" >&2; fi
  done
}

_work_exit() {
  local rc=$? i
  # Each step in a subshell without -e: an unset variable or a failing
  # command ends that step only.
  for ((i = ${#_work_steps[@]} - 1; i >= 0; i--)); do
    (set +e; eval "${_work_steps[i]}") || true
  done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit "$rc"
}
