#!/usr/bin/env bash
# The Prometheus endpoint of a running node (docs/metrics.md): promtool accepts
# the text, the counters agree with the generator and with the node's own
# --stats at the end, the port binds only metrics.host, and a taken port or a
# bad one is a clear error at start. config/alerts.yml: promtool's rule tests.
# Usage: metrics_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
command -v promtool >/dev/null || fail "promtool is missing (scripts/test installs the prometheus package)"

log "alerts: promtool check rules + test rules"
promtool check rules "$ROOT/config/alerts.yml" >&2 || fail "config/alerts.yml does not load"
(cd "$ROOT/test/integration" && promtool test rules alerts.test.yml >&2) || fail "alert rule tests"

work_dir metrics
REDIS_PORT=$(free_port)
METRICS_PORT=$(free_listen_port)
NODE_PID=""
on_exit 'stop_redis "$REDIS_PORT"'
on_exit '[ -n "$NODE_PID" ] && kill -9 "$NODE_PID" 2>/dev/null'

EVENTS=60000
start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events "$EVENTS" --seed 11 --out "$WORK/events.jsonl" --summary "$WORK/gen.json" 2>/dev/null
common=(--config "$ROOT/config/rtfeat.toml" --set source.kind=file --set "source.path=$WORK/events.jsonl"
  --set "redis.port=$REDIS_PORT" --set "checkpoint.dir=$WORK/checkpoints" --set checkpoint.interval_ms=300
  --set "dead_letter.path=$WORK/dead-letter.jsonl" --set node.progress_interval_ms=0)

# Without --drain the node keeps running after the file: scrape it live.
"$BIN" node "${common[@]}" --set "metrics.port=$METRICS_PORT" --stats "$WORK/node.json" 2>"$WORK/node.log" &
NODE_PID=$!
URL="http://127.0.0.1:$METRICS_PORT/metrics"
scrape() { curl -sf "$URL" > "$WORK/metrics.txt"; }
metric() { awk -v n="$1" '$1 == n { print $2 }' "${2:-$WORK/metrics.txt}"; }  # $1 name, $2 file
wait_for() {  # $1: description, $2: a shell condition over the last scrape
  for _ in $(seq 1 600); do
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; fail "the node exited"; }
    if scrape && eval "$2"; then return 0; fi
    sleep 0.1
  done
  cat "$WORK/metrics.txt" >&2 || true
  fail "timed out waiting for $1"
}
wait_for "every event read" '[ "$(metric rtfeat_events_read_total)" = "$EVENTS" ]'
# Two checkpoints after the last event: the state gauges describe the whole input.
after=$(metric rtfeat_last_checkpoint_id)
wait_for "two more checkpoints" '[ "$(metric rtfeat_last_checkpoint_id)" -ge $((after + 2)) ]'
promtool check metrics < "$WORK/metrics.txt" >&2 || fail "promtool rejects the /metrics text"
cp "$WORK/metrics.txt" "$WORK/live.txt"

malformed=$(jq -r .malformed "$WORK/gen.json")
rejected=$(awk '$1 ~ /^rtfeat_events_rejected_total\{/ { s += $2 } END { print s }' "$WORK/live.txt")
[ "$rejected" = "$malformed" ] || fail "rejected by reason sums to $rejected, the generator made $malformed malformed events"
[ "$(metric rtfeat_dead_letters_total)" = "$malformed" ] || fail "dead letters $(metric rtfeat_dead_letters_total) != $malformed"
[ "$(metric rtfeat_sink_batch_commands_sum)" = "$(metric rtfeat_redis_commands_total)" ] \
  || fail "sink batch sizes do not add up to the Redis commands"
[ "$(metric rtfeat_redis_write_seconds_count)" -gt 0 ] || fail "no Redis write observed"
[ "$(metric rtfeat_checkpoints_failed_total)" = 0 ] || fail "a checkpoint failed"
grep -q '^rtfeat_watermark_lag_seconds ' "$WORK/live.txt" || fail "no watermark lag after $EVENTS events"
grep -q '^rtfeat_node_info{node="local"} 1$' "$WORK/live.txt" || fail "no rtfeat_node_info"

[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$METRICS_PORT/other")" = 404 ] || fail "/other is not 404"
if curl -s -o /dev/null "http://127.0.0.2:$METRICS_PORT/metrics"; then
  fail "metrics answered on 127.0.0.2: the port must bind metrics.host (127.0.0.1) only"
fi

# A second node on the same metrics port: a clear error and exit 2, before any work.
set +e
"$BIN" node "${common[@]}" --set "metrics.port=$METRICS_PORT" --set "checkpoint.dir=$WORK/other" 2>"$WORK/taken.log"
rc=$?
"$BIN" node "${common[@]}" --set metrics.port=70000 2>"$WORK/bad.log"
rc_bad=$?
set -e
[ "$rc" = 2 ] && grep -q "metrics: cannot listen on 127.0.0.1:$METRICS_PORT" "$WORK/taken.log" \
  || { cat "$WORK/taken.log" >&2; fail "a taken metrics port: exit $rc, expected 2 and 'cannot listen'"; }
[ "$rc_bad" = 2 ] && grep -q "metrics.port: expected 0..65535" "$WORK/bad.log" \
  || { cat "$WORK/bad.log" >&2; fail "metrics.port=70000: exit $rc_bad, expected 2 and the range"; }

kill -TERM "$NODE_PID"
wait "$NODE_PID" || fail "the node failed on SIGTERM"
NODE_PID=""
# The live gauges against the node's own end-of-run report.
for pair in events_read:rtfeat_events_read_total late:rtfeat_events_late_total; do
  key=${pair%%:*} stats=$(jq -r ".${pair%%:*}" "$WORK/node.json") live=$(metric "${pair#*:}" "$WORK/live.txt")
  [ "$stats" = "$live" ] || fail "$key: --stats $stats, /metrics $live"
done
features=0
while read -r feature n; do
  live=$(metric "rtfeat_state_entities{feature=\"$feature\"}" "$WORK/live.txt")
  [ "$live" = "$n" ] || fail "state entities of $feature: /metrics ${live:-none}, --stats $n"
  features=$((features + 1))
done < <(jq -r '.state_entities | to_entries[] | "\(.key) \(.value)"' "$WORK/node.json")
[ "$features" -ge 5 ] || fail "only $features features in --stats"
log "PASS: /metrics of a running node: $EVENTS events, $malformed rejected, $features features' state sizes; alerts tested"
