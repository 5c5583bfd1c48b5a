#!/usr/bin/env bash
# config/grafana/rtfeat.json: every query parses as PromQL (promtool, as
# recording rules) and every metric it names is in the live /metrics of a
# running node or of rtfeat serve (with its cache and a model), so the
# dashboard cannot drift from what the binaries export.
# Usage: dashboard_test.sh RTFEAT_BIN REPO_ROOT
set -euo pipefail
BIN=$1 ROOT=$2
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/work.sh"
command -v promtool >/dev/null || fail "promtool is missing (scripts/test installs the prometheus package)"
DASH=$ROOT/config/grafana/rtfeat.json

work_dir dashboard
REDIS_PORT=$(free_port) METRICS_PORT=$(free_listen_port) SERVE_PORT=$(free_listen_port)
PIDS=()
on_exit 'stop_redis "$REDIS_PORT"'
on_exit 'for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null; done'

log "every query is PromQL"
jq -r '.panels[] | select(.type != "row") | .targets[].expr' "$DASH" \
  | sed -e 's/\$node_job/rtfeat/g' -e 's/\$serve_job/rtfeat-serve/g' >"$WORK/exprs"
[ "$(awk 'END {print NR}' "$WORK/exprs")" -gt 20 ] || fail "the dashboard has too few queries"
{ printf 'groups:\n  - name: dashboard\n    rules:\n'
  n=0
  while IFS= read -r e; do
    n=$((n + 1))
    printf '      - record: dashboard:q%s\n        expr: %s\n' "$n" "$(jq -Rn --arg e "$e" '$e')"
  done <"$WORK/exprs"
} >"$WORK/rules.yml"
promtool check rules "$WORK/rules.yml" >&2 || fail "a dashboard query does not parse"

log "every metric it names is exported"
start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" gen --events 20000 --seed 2 --out "$WORK/events.jsonl" 2>/dev/null
common=(--config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT")
# Not --drain: the node stays up after the file, with its watermark and checkpoints.
"$BIN" node "${common[@]}" --set source.kind=file --set "source.path=$WORK/events.jsonl" \
  --set "checkpoint.dir=$WORK/checkpoints" --set checkpoint.interval_ms=200 --set "dead_letter.path=$WORK/dl.jsonl" \
  --set "metrics.port=$METRICS_PORT" --set node.progress_interval_ms=0 2>"$WORK/node.log" &
PIDS+=($!)
"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set serve.cache.max_entries=1000 \
  --set "serve.model=$ROOT/test/data/model/model.toml" 2>"$WORK/serve.log" &
PIDS+=($!)
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" | grep -q '^rtfeat_last_checkpoint_id [1-9]' \
    && curl -sf "http://127.0.0.1:$SERVE_PORT/readyz" >/dev/null && break
  sleep 0.1
done
U=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'user:feature:*' | sed 's/.*{\(.*\)}.*/\1/' | awk 'NR == 1')
curl -sf "http://127.0.0.1:$SERVE_PORT/v1/users/$U/features" >/dev/null
curl -sf -X POST "http://127.0.0.1:$SERVE_PORT/v1/predict" -d "{\"user_id\":\"$U\",\"item_ids\":[\"i1\",\"i2\"]}" >/dev/null
{ curl -sf "http://127.0.0.1:$METRICS_PORT/metrics"; curl -sf "http://127.0.0.1:$SERVE_PORT/metrics"; } \
  | awk '$1 == "#" && $2 == "TYPE" {print $3}' | sort -u >"$WORK/exported"
grep -o 'rtfeat_[a-z_]*' "$DASH" | sed -E 's/_(bucket|sum|count)$//' | sort -u >"$WORK/named"
missing=$(comm -23 "$WORK/named" "$WORK/exported")
[ -z "$missing" ] || fail "the dashboard names metrics no binary exports: $missing"
log "PASS: $(awk 'END {print NR}' "$WORK/exprs") queries, $(awk 'END {print NR}' "$WORK/named") metrics, all exported"
