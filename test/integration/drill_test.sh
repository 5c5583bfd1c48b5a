#!/usr/bin/env bash
# rtfeat drill end to end: bad flags are refused before anything starts; a small
# drill (2 nodes, 2 SIGKILLs, rescale to 3) passes with zero differences and a
# JSON report whose numbers add up; Ctrl-C ends every child and removes the work
# dir. 1 000 000 events: the drill paces the readers so that they outlast the
# kills and the rescale (drill_pacing_test.sh), and at this size its pace is
# about what the two nodes read anyway.
# Usage: drill_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$(cd "$2" && pwd)
source "$ROOT/test/integration/lib/drill.sh"
drill_work_dir drill-test

# Bad flags: exit 2 with one clear line, nothing started.
expect_refused "--nodes: expected 1..16, got 0" --nodes 0 --events 200000 --kills 1
expect_refused "not both" --nodes 2 --events 200000 --from "$WORK/x.jsonl" --kills 1
expect_refused "--events 15000: too few for 2 kills: give at least 20000" --nodes 2 --events 15000 --kills 2
expect_refused "--events 150000: too few for 2 kills with --rate 0" --nodes 2 --events 150000 --kills 2 --rate 0
expect_refused "cannot find 'no-such-redis-server'" --nodes 2 --events 200000 --kills 1 --redis-server no-such-redis-server
[ -z "$(ls -A "$WORK" | grep rtfeat-drill || true)" ] || fail "a refused drill left a work dir"

# The drill itself.
drill_passes --nodes 2 --events 1000000 --kills 2 --rescale-to 3 --checkpoint-ms 200 --seed 5
report_holds '.passed == true and .differences == 0 and (.failures | length) == 0'
report_holds '.kills == 2 and (.kill_list | length) == 2'
report_holds '.restores >= 2 and ([.kill_list[] | select(.restored_checkpoint > 0)] | length) == 2'
report_holds '.events == 1000000 and .events_read == .events and .events_in_kafka == .events'
report_holds '.nodes == 2 and .nodes_after == 3 and .rescale.to_nodes == 3'
report_holds '[.kill_list[] | select(.waited_for == "checkpoint in flight")] | length == 1'
report_holds '[.kill_list[] | select(.restored_checkpoint >= .complete_at_kill)] | length == 2'
report_holds '[.kill_list[] | select(.rollback_ms > 0 and .rollback_ms >= .pause_ms)] | length == 2'
report_holds '.rescale.rollback_ms >= .rescale.pause_ms and .checkpoints_completed >= 1'
grep -q '^drill: .* ev/s' "$WORK/drill.err" || fail "no progress lines with rates"
grep -q '^differences       0$' "$WORK/report.txt" || fail "the text report does not show zero differences"

# Ctrl-C: every child ends, the work dir goes, exit 130.
"$BIN" drill --config "$ROOT/config/cluster.toml" --nodes 2 --events 600000 --kills 2 >/dev/null 2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 600); do grep -q "nodes processing after" "$WORK/int.err" && break; sleep 0.05; done
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" = 130 ] || fail "an interrupted drill exited $rc, expected 130"
sleep 0.2
if pgrep -f "$WORK/rtfeat-drill\." >/dev/null; then pgrep -af "$WORK/rtfeat-drill\." >&2; fail "children outlived the drill"; fi
[ -z "$(ls -A "$WORK" | grep '^rtfeat-drill\.' || true)" ] || fail "the interrupted drill left its work dir"
log "PASS: drill 2 -> 3 nodes, 2 kills, zero differences, events read == events; bad flags refused; Ctrl-C cleans up"
