#!/usr/bin/env bash
# rtfeat drill paces a kills-only drill by itself (issue 16, item 6): 200 000
# events with 4 kills drain before the second kill when the readers run at full
# speed (the control run, with a pace the cluster never reaches, must fail so),
# and pass with zero differences at the pace the drill picks from the events per
# partition and the kill plan, which it prints.
# Usage: drill_pacing_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$(cd "$2" && pwd)
source "$ROOT/test/integration/lib/drill.sh"
drill_work_dir drill-pacing-test
plan=(--nodes 2 --events 200000 --kills 4 --seed 2)

# Unpaced, too few events is refused before anything starts; paced, it is not.
expect_refused "--events 200000: too few for 4 kills with --rate 0" "${plan[@]}" --rate 0

# The control: at a pace the cluster never reaches, it drains before the kills are done.
rc=0
drill "${plan[@]}" --rate 100000000 >"$WORK/control.txt" 2>"$WORK/control.err" || rc=$?
[ "$rc" = 1 ] || { cat "$WORK/control.txt" >&2; fail "the unpaced control drill exited $rc, expected 1"; }
grep -q '^failure .*the cluster drained before the drill was done' "$WORK/control.txt" \
  || { cat "$WORK/control.txt" >&2; fail "the unpaced control drill failed for another reason"; }

# The drill itself, paced by default.
drill_passes "${plan[@]}"
report_holds '.passed == true and .differences == 0 and (.failures | length) == 0'
report_holds '.kills == 4 and .rollback_ms.count == 4 and .events_read == .events and .events_in_kafka == .events'
report_holds '.source_kind == "kafka" and .rate_defaulted == true and .rate_per_partition > 0'
report_holds '.rate_per_partition < 100000'  # a pace, not a formality
grep -q '^drill: readers paced at [0-9]* events/s per partition, for a plan of 30 s of reading' "$WORK/drill.err" \
  || fail "the drill does not say which pace it chose"
grep -q '^pace              [0-9]* events/s per partition reader (chosen by the drill' "$WORK/report.txt" \
  || fail "no pace line in the text report"
log "PASS: a kills-only drill that drains unpaced passes at the drill's own pace, zero differences"
