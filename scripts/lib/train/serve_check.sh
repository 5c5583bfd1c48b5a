#!/usr/bin/env bash
# Usage: serve_check.sh RTFEAT ROOT MODEL_TOML USERS_CSV ITEMS_CSV USER_ID ITEM_ID HOUR
# Does `rtfeat serve` accept a trained model? serve has no check-only mode, so this
# starts a throwaway redis-server on a free loopback port, loads the offline tables
# into it, starts serve with the model, POSTs one /v1/predict and prints the answer.
# Exits non-zero when serve refuses the model or the answer has no score.
set -euo pipefail
BIN=$1 ROOT=$2 MODEL=$3 USERS=$4 ITEMS=$5 USER_ID=$6 ITEM_ID=$7 HOUR=$8
source "$ROOT/scripts/lib/common.sh"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rtfeat-train-serve.XXXXXX")
REDIS_PORT=$(free_port)
SERVE_PORT=$(free_listen_port)
SERVE_PID=""
cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  stop_redis "$REDIS_PORT"
  rm -rf "$WORK"
}
trap cleanup EXIT
common=(--config "$ROOT/config/rtfeat.toml" --set "redis.port=$REDIS_PORT")

start_redis "$REDIS_PORT" "$WORK/redis"
"$BIN" materialize "${common[@]}" --table "$USERS" --entity user 2>"$WORK/m.log" \
  && "$BIN" materialize "${common[@]}" --table "$ITEMS" --entity item 2>>"$WORK/m.log" \
  || { cat "$WORK/m.log" >&2; exit 1; }
"$BIN" serve "${common[@]}" --set "serve.port=$SERVE_PORT" --set "serve.model=$MODEL" 2>"$WORK/serve.log" &
SERVE_PID=$!
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$SERVE_PORT/readyz" >/dev/null && break
  kill -0 "$SERVE_PID" 2>/dev/null || { SERVE_PID=""; tail -n 5 "$WORK/serve.log" >&2; exit 1; }
  sleep 0.05
done
answer=$(curl -s -X POST "http://127.0.0.1:$SERVE_PORT/v1/predict" \
  -d "{\"user_id\":\"$USER_ID\",\"item_ids\":[\"$ITEM_ID\"],\"context\":{\"hour\":$HOUR}}")
echo "$answer"
grep -q '"score":' <<<"$answer" || { tail -n 5 "$WORK/serve.log" >&2; exit 1; }
