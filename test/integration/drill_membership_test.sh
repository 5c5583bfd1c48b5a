#!/usr/bin/env bash
# rtfeat drill with membership changes (issue 16): a 3-node drill with one kill,
# a node joining (n4), a member leaving and n3 lost for good must pass with zero
# differences, its JSON report listing a join, a leave and a replace with
# increasing epochs and a pause each; impossible membership flags are refused
# before anything starts. The drill paces the readers by itself (no --rate).
# Usage: drill_membership_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$(cd "$2" && pwd)
source "$ROOT/test/integration/lib/drill.sh"
drill_work_dir drill-membership-test

expect_refused "--lose n5: not a node of the drill (n1..n3)" --nodes 3 --events 150000 --kills 0 --lose n5
expect_refused "1 of 2 is no majority" --nodes 2 --events 150000 --kills 0 --lose n2
expect_refused "--leave-at: a 1-node cluster" --nodes 1 --events 150000 --kills 0 --leave-at 3
expect_refused "--join-at: expected seconds > 0" --nodes 2 --events 150000 --kills 0 --join-at 0
[ -z "$(ls -A "$WORK" | grep rtfeat-drill || true)" ] || fail "a refused drill left a work dir"

drill_passes --nodes 3 --events 150000 --kills 1 --join-at 3 --leave-at 8 --lose n3 --seed 3
report_holds '.passed == true and .differences == 0 and (.failures | length) == 0'
report_holds '.events_read == .events and .kills == 1 and .rollback_ms.count == 1'
report_holds '[.membership_changes[] | .kind] == ["join", "leave", "replace"]'
report_holds '[.membership_changes[] | .node] == ["n4", "n4", "n3"]'
report_holds '[.membership_changes[] | .epoch] as $e | $e[0] >= 1 and $e[1] > $e[0] and $e[2] > $e[1]'
report_holds '[.membership_changes[] | select(.pause_ms >= 0 and .since_action_ms >= .pause_ms)] | length == 3'
report_holds '.nodes == 3 and .nodes_after == 2 and .rate_defaulted == true and .rate_per_partition > 0'
grep -q '^drill: readers paced at' "$WORK/drill.err" || fail "the drill does not say it paced the readers"
grep -q '^membership        3 changes$' "$WORK/report.txt" || fail "no membership lines in the text report"
log "PASS: drill with a join, a leave and a replacement, zero differences"
