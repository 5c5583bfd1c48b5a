#!/usr/bin/env bash
# Smoke run of scripts/bench at tiny size with the binaries already built next
# to RTFEAT_BIN (no install, no rebuild), so the benches cannot rot: every key of
# latest.json that the ingest, latency, scaling, checkpoint and serving benches promise must be a number > 0.
# Usage: bench_smoke_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2 EVENTS=${EVENTS:-20000}
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
BUILD=$(cd "$(dirname "$BIN")" && pwd)

work_dir bench-smoke
# $1 = jq condition on the value, then the keys of latest.json it must hold for.
expect() {
  local cond=$1 key; shift
  for key in "$@"; do
    jq -e ".$key | $cond" "$WORK/latest.json" >/dev/null \
      || fail "latest.json: $key is $(jq -c ".$key" "$WORK/latest.json"), expected $cond"
  done
}

# 10 ms checkpoints: the reading part of the ingest run is too short for a 1 s one (checkpoints
# stop once every reader has ended), and the checkpoint keys must be > 0. Latency: 4 s at
# 2 000 events/s (a probe every 10th event); scaling: 20 000 events at 8 and 16 partitions;
# serving: the keys of 20 000 events, runs of 2 s, wrk with 50 connections.
RTFEAT_BUILD_DIR=$BUILD BENCH_RESULTS=$WORK bash "$ROOT/scripts/bench" --quick --events "$EVENTS" \
  --checkpoint-ms 10 --latency-rate 2000 --latency-seconds 4 --scaling-events "$EVENTS" \
  --scaling-partitions 8,16 --checkpoint-users 10000 --serving-seconds 2 --serving-connections 50 \
  >"$WORK/table.md" 2>"$WORK/bench.log" \
  || { tail -30 "$WORK/bench.log" >&2; fail "scripts/bench failed"; }

[ -s "$WORK/latest.json" ] || fail "no latest.json"
for name in ingest latency scaling serving; do [ -s "$WORK/$name.md" ] || fail "no $name.md"; done
for row in '| engine' '| p50 | p95' '| stage | includes' '| flush wait |' '| partitions (Zipf 1.1)' '| uniform (8)' '| `rtfeat serve`, cache off |' \
  '| nginx, 2 workers' '| 1 000 QPS, Zipf users, cache on |' '| predict, 100 candidates'; do
  grep -qF "$row" "$WORK/table.md" || fail "no table row '$row' printed"
done

# checkpoint_ms alone may be 0: a checkpoint of 20 000 events' state can take under 1 ms.
expect 'type == "number" and . >= 0' ingest.checkpoint_ms
expect 'type == "number" and . > 0' ingest.events_per_s ingest.raw_events_per_s ingest.ratio_to_raw \
  ingest.parse_events_per_s ingest.redis_commands_per_event ingest.cpu_s_per_million ingest.peak_rss_mb \
  ingest.checkpoints ingest.checkpoint_bytes redis.ceiling_hset_per_s ingest.sink_to_ceiling \
  latency.p50_ms latency.p95_ms latency.p99_ms latency.max_ms latency.rate_events_per_s \
  latency.probes latency.seconds
expect '. == 0' latency.probes_missing
# The stage table: the node's /metrics scraped around the window saw every stage.
for stage in stage_kafka stage_reader stage_shard_queue stage_flush_wait stage_sink_queue stage_redis producer_ack; do
  expect 'type == "number" and . >= 0' "latency.${stage}_p50_ms" "latency.${stage}_p99_ms" "latency.${stage}_mean_ms"
  expect 'type == "number" and . > 0' "latency.${stage}_count"
done
expect '. >= 1900 and . <= 2100' latency.rate_events_per_s
expect '[.[].partitions] == [8, 16]' scaling.by_partitions
expect '[.[].skew] == [0, 1.1]' scaling.by_skew
expect 'all(.events_per_s | type == "number" and . > 0)' scaling.by_partitions scaling.by_skew

expect 'type == "number" and . > 0' checkpoint.duration_ms checkpoint.restore_ms checkpoint.keys checkpoint.bytes \
  checkpoint.incremental_ms checkpoint.incremental_encode_ms checkpoint.changed_users
# Serving: every side answered, the constant-rate runs kept their rate and (all but a stall's
# worth) got 2xx answers: a request the server refuses (a rotted path or body) fails here.
sides='serving.c500.serve_cache_off serving.c500.serve_cache_on serving.c500.flask serving.c500.nginx serving.c500.redis'
rates='serving.rate.one_user_cache_off serving.rate.zipf_cache_off serving.rate.one_user_cache_on
  serving.rate.zipf_cache_on serving.rate.nginx serving.predict.cache_off serving.predict.cache_on'
expect 'type == "number" and . > 0' serving.users serving.items serving.answer_bytes serving.user_keys_start \
  serving.ratios.serve_cache_off_to_flask serving.ratios.serve_cache_on_to_flask serving.ratios.serve_cache_on_to_nginx
# shellcheck disable=SC2086
expect '[(.qps, .p50_ms, .p99_ms, .requests) | type == "number" and . > 0] | all' $sides
# shellcheck disable=SC2086
expect '[(.achieved_rps, .p50_ms, .p99_ms, .max_ms, .body_bytes_p50) | type == "number" and . > 0] | all' $rates
# shellcheck disable=SC2086
expect '.errors == 0 and .non_2xx * 10 < .requests and .achieved_rps >= 0.9 * .target_rps' $rates
expect '[.[] | type] | all(. == "boolean") and length == 7' serving.targets

log "PASS: bench smoke ($EVENTS events): $(jq -c '{e: .ingest.events_per_s, r: .ingest.ratio_to_raw,
  p99: .latency.p99_ms, s: [.scaling.by_partitions[].events_per_s], serve: .serving.c500.serve_cache_off.qps,
  flask: .serving.c500.flask.qps}' "$WORK/latest.json")"
