#!/usr/bin/env bash
# rtfeat drill of a log the Kafka mock cannot hold (issue 16, item 6): with 2
# partitions, 240 000 events put ~130 000 events (~20 MiB) in a partition, where
# the mock keeps ~100 000 messages or 5 MiB and silently drops the oldest. The
# drill sees it before producing anything and runs the nodes on the file source
# (source.kind = file), which splits the log with the same partitioner; two
# kills make the nodes restore file offsets from checkpoints. Zero differences.
# Usage: drill_file_source_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$(cd "$2" && pwd)
source "$ROOT/test/integration/lib/drill.sh"
drill_work_dir drill-file-source-test

drill_passes --nodes 2 --partitions 2 --events 240000 --kills 2 --seed 4 --keep
report_holds '.passed == true and .differences == 0 and (.failures | length) == 0'
report_holds '.source_kind == "file" and (.source_kind_why | test("^partition [01] of 2 would hold [0-9]+ events"))'
report_holds '.events == 240000 and .events_read == .events and .events_in_kafka == 0'
report_holds '.kills == 2 and .restores >= 2 and .final_checkpoint > 0 and .events_at_checkpoint > 0'
grep -q '^drill: partition [01] of 2 would hold .*: the nodes read the log through the file source instead$' \
  "$WORK/drill.err" || fail "the drill does not say it reads through the file source"
grep -q '^source.kind       file (partition' "$WORK/report.txt" || fail "no source.kind line in the text report"
# Nothing was produced: no mock Kafka ran, and the nodes were configured for the file.
drill_dir=$(jq -r .work_dir "$WORK/r.json")
[ ! -e "$drill_dir/mock-kafka.log" ] || fail "the drill started the Kafka mock anyway"
grep -q "^kind = 'file'" "$drill_dir/cluster-2.toml" || fail "the nodes' config does not read the file source"
grep -q '^max_rate_per_partition = [1-9]' "$drill_dir/cluster-2.toml" || fail "the file source is not paced"
log "PASS: a log the Kafka mock would truncate is drilled through the file source, zero differences"
