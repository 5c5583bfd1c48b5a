#!/usr/bin/env bash
# Smoke run of scripts/bench at tiny size with the binaries already built next
# to RTFEAT_BIN (no install, no rebuild), so the bench cannot rot: every key of
# latest.json that the ingest bench promises must be a number > 0.
# Usage: bench_smoke_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-20000}
source "$ROOT/scripts/lib/common.sh"

OUT=$(mktemp -d "${TMPDIR:-/tmp}/rtfeat-bench-smoke.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
fail() { log "FAIL: $*"; exit 1; }

# 10 ms checkpoints: the reading part of the run is too short for a 1 s one (checkpoints
# stop once every reader has ended), and the checkpoint keys must be > 0.
RTFEAT_BUILD_DIR=$(cd "$(dirname "$BIN")" && pwd) BENCH_RESULTS=$OUT \
  bash "$ROOT/scripts/bench" --quick --events "$EVENTS" --checkpoint-ms 10 >"$OUT/table.md" \
  || fail "scripts/bench failed"

[ -s "$OUT/latest.json" ] || fail "no latest.json"
[ -s "$OUT/ingest.md" ] || fail "no ingest.md"
grep -q '| engine' "$OUT/table.md" || fail "no table printed"
# checkpoint_ms alone may be 0: a checkpoint of 20 000 events' state can take under 1 ms.
jq -e '.ingest.checkpoint_ms | type == "number" and . >= 0' "$OUT/latest.json" >/dev/null \
  || fail "latest.json: ingest.checkpoint_ms is $(jq -c .ingest.checkpoint_ms "$OUT/latest.json")"
for key in ingest.events_per_s ingest.raw_events_per_s ingest.ratio_to_raw ingest.parse_events_per_s \
  ingest.redis_commands_per_event ingest.cpu_s_per_million ingest.peak_rss_mb ingest.checkpoints \
  ingest.checkpoint_bytes redis.ceiling_hset_per_s ingest.sink_to_ceiling; do
  jq -e ".$key | type == \"number\" and . > 0" "$OUT/latest.json" >/dev/null \
    || fail "latest.json: $key is $(jq -c ".$key" "$OUT/latest.json"), expected a number > 0"
done
log "PASS: bench smoke ($EVENTS events): $(jq -c '.ingest | {events_per_s, ratio_to_raw}' "$OUT/latest.json")"
